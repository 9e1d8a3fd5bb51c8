import ImprintImaging
import XCTest
@testable import ImprintDetectors

/// The one-pass decode hands the watermark collector the replicated-chroma image as three
/// planes. Its votes must be those of the interleaved replicated image, bit for bit, and
/// so must its grey test.
final class DwtDctPlanarTests: XCTestCase {
    private func picture(width: Int, height: Int, grey: Bool) -> Raster {
        var state: UInt32 = 77
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                state = state &* 1_664_525 &+ 1_013_904_223
                let noise = Int(state >> 28)
                let r = UInt8(truncatingIfNeeded: (x * 5 + noise) & 255), g = UInt8(truncatingIfNeeded: (y * 3 + x) & 255)
                let b = UInt8(truncatingIfNeeded: (255 - x - y + noise) & 255)
                pixels += grey ? [g, g, g] : [r, g, b]
            }
        }
        return Raster(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    private func assertSameVotes(_ planar: DwtDctStripCollector, _ interleaved: DwtDctStripCollector, _ label: String) throws {
        XCTAssertTrue(planar.isComplete, label)
        XCTAssertTrue(interleaved.isComplete, label)
        XCTAssertEqual(planar.hasChroma, interleaved.hasChroma, label)
        let got = planar.votes(), expected = interleaved.votes()
        XCTAssertEqual(got.count, DwtDctBlockField.keys.count, label)
        for key in DwtDctBlockField.keys {
            for length in [48, 136] {
                let a = try XCTUnwrap(got[key]?[length]), b = try XCTUnwrap(expected[key]?[length])
                XCTAssertEqual(a.sinSums.map(\.bitPattern), b.sinSums.map(\.bitPattern), "\(label) \(key) \(length)")
                XCTAssertEqual(a.cosSums.map(\.bitPattern), b.cosSums.map(\.bitPattern), "\(label) \(key) \(length)")
                XCTAssertEqual(a.counts, b.counts, "\(label) \(key) \(length)")
            }
        }
    }

    func testPlanarStripsGiveTheInterleavedImagesVotes() throws {
        let decoder = ImageDecoder()
        // Widths off the 16-pixel vector step and heights off the 8-row strip; 4:2:0 and 4:2:2.
        for (width, height, subsampling, grey) in [(203, 157, JPEGEncodeOptions.Subsampling.s420, false),
                                                   (264, 256, .s422, false), (130, 75, .s420, true)] {
            let label = "\(width)x\(height) \(subsampling) grey \(grey)"
            let jpeg = try ImageEncoder.jpeg(picture(width: width, height: height, grey: grey),
                                             options: .init(quality: 90, subsampling: subsampling))
            let both = try XCTUnwrap(decoder.decodeBoth(jpeg), label)
            let interleaved = DwtDctStripCollector(both.replicated, lengths: [48, 136])
            let planar = DwtDctStripCollector(width: width, height: height, lengths: [48, 136])
            XCTAssertNotNil(decoder.decodeBoth(jpeg, replicatedStrips: planar), label)
            try assertSameVotes(planar, interleaved, label)
            if !grey { XCTAssertTrue(planar.hasChroma, label) }
        }
    }

    /// A strip out of order, or of another image's size, fails the collector instead of
    /// being counted.
    func testPlanarStripsOutOfOrderFail() {
        let pixels = [UInt8](repeating: 100, count: 3 * 16 * 16)
        pixels.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            let strip = PlanarStrip(red: base, green: base + 256, blue: base + 512, stride: 16)
            let skipped = DwtDctStripCollector(width: 16, height: 16, lengths: [48])
            skipped.consume(strip, firstRow: 8, rowCount: 8, width: 16, height: 16)
            XCTAssertTrue(skipped.failed)
            let resized = DwtDctStripCollector(width: 16, height: 16, lengths: [48])
            resized.consume(strip, firstRow: 0, rowCount: 8, width: 15, height: 16)
            XCTAssertTrue(resized.failed)
            let fine = DwtDctStripCollector(width: 16, height: 16, lengths: [48])
            fine.consume(strip, firstRow: 0, rowCount: 8, width: 16, height: 16)
            fine.consume(strip, firstRow: 8, rowCount: 8, width: 16, height: 16)
            XCTAssertTrue(fine.isComplete)
            XCTAssertFalse(fine.hasChroma)
        }
    }
}
