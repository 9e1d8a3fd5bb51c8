import Foundation
import ImprintImaging
import ImprintTestSupport
import XCTest

/// `decodeBoth` does the upsampling and colour conversion itself from one raw decode; both
/// of its images must equal libjpeg's own decodes with each upsampling, pixel for pixel.
final class DecodeBothTests: XCTestCase {
    private let decoder = ImageDecoder()

    private func assertMatchesLibjpeg(_ jpeg: [UInt8], _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let both = decoder.decodeBoth(jpeg) else {
            XCTFail("\(label): decodeBoth declined a 4:2:0/4:2:2 JPEG", file: file, line: line)
            return
        }
        let smooth = try decoder.decode(jpeg, format: .jpeg, chroma: .smooth)
        let replicated = try decoder.decode(jpeg, format: .jpeg, chroma: .replicate)
        XCTAssertEqual([both.smooth.width, both.smooth.height], [smooth.width, smooth.height], label, file: file, line: line)
        XCTAssertTrue(both.smooth.pixels == smooth.pixels, "\(label): smooth upsampling differs from libjpeg's", file: file, line: line)
        XCTAssertTrue(both.replicated.pixels == replicated.pixels, "\(label): replicated chroma differs from libjpeg's", file: file, line: line)
        XCTAssertEqual(both.smooth.warnings, smooth.warnings, label, file: file, line: line)
        // Strip mode: the same smooth raster, and the replicated image's rows handed over
        // in order, 8 at a time, adding up to exactly libjpeg's replicated decode.
        // The smooth image's strips, when asked for, are its rows as kept.
        let strips = StripRecorder(), smoothStrips = StripRecorder()
        let streamedSmooth = decoder.decodeBoth(jpeg, replicatedStrips: strips, smoothStrips: smoothStrips)
        XCTAssertTrue(streamedSmooth?.pixels == smooth.pixels, "\(label): strip mode changed the smooth image", file: file, line: line)
        XCTAssertTrue(strips.inOrder && smoothStrips.inOrder, "\(label): strips out of order or misaligned", file: file, line: line)
        XCTAssertEqual(strips.rowCount, replicated.height, label, file: file, line: line)
        XCTAssertTrue(strips.pixels == replicated.pixels, "\(label): streamed replicated rows differ from libjpeg's", file: file, line: line)
        XCTAssertTrue(smoothStrips.pixels == smooth.pixels, "\(label): streamed smooth rows differ from libjpeg's", file: file, line: line)
        // Smooth strips alone: no replicated image is made at all.
        let alone = StripRecorder()
        XCTAssertTrue(decoder.decodeBoth(jpeg, replicatedStrips: nil, smoothStrips: alone)?.pixels == smooth.pixels, label,
                      file: file, line: line)
        XCTAssertTrue(alone.inOrder && alone.pixels == smooth.pixels, "\(label): smooth strips alone", file: file, line: line)
        // Strips only: neither image is held; the strips are the same rows, and the size
        // and warnings are what the raster would carry.
        let onlySmooth = StripRecorder(), onlyReplicated = StripRecorder()
        let shape = decoder.decodeStrips(jpeg, replicatedStrips: onlyReplicated, smoothStrips: onlySmooth)
        XCTAssertEqual(shape, StreamedImage(width: smooth.width, height: smooth.height, sourceWidth: smooth.sourceWidth,
                                            sourceHeight: smooth.sourceHeight, warnings: smooth.warnings,
                                            warningMessage: smooth.warningMessage), label, file: file, line: line)
        XCTAssertTrue(onlySmooth.inOrder && onlySmooth.pixels == smooth.pixels, "\(label): strips-only smooth rows", file: file, line: line)
        XCTAssertTrue(onlyReplicated.inOrder && onlyReplicated.pixels == replicated.pixels, "\(label): strips-only replicated rows",
                      file: file, line: line)
        let smoothOnly = StripRecorder()
        XCTAssertNotNil(decoder.decodeStrips(jpeg, replicatedStrips: nil, smoothStrips: smoothOnly), label, file: file, line: line)
        XCTAssertTrue(smoothOnly.pixels == smooth.pixels, "\(label): strips-only, smooth alone", file: file, line: line)
    }

    /// Keeps every strip it is handed (planar strips interleaved, to compare with a
    /// raster) and checks they come in order, 8-row aligned.
    private final class StripRecorder: RasterStripConsumer, PlanarStripConsumer {
        var pixels: [UInt8] = []
        var rowCount = 0
        var inOrder = true

        func consume(_ rows: UnsafePointer<UInt8>, firstRow: Int, rowCount count: Int, width: Int, height: Int) {
            if firstRow != rowCount || firstRow % 8 != 0 || count < 1 || count > 8 || firstRow + count > height { inOrder = false }
            pixels += UnsafeBufferPointer(start: rows, count: count * width * 3)
            rowCount += count
        }

        func consume(_ strip: PlanarStrip, firstRow: Int, rowCount count: Int, width: Int, height: Int) {
            if firstRow != rowCount || firstRow % 8 != 0 || count < 1 || count > 8 || firstRow + count > height ||
                strip.stride < width { inOrder = false }
            pixels += strip.interleaved(rowCount: count, width: width)
            rowCount += count
        }
    }

    private func picture(width: Int, height: Int, seed: UInt32) -> Raster {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                state = state &* 1_664_525 &+ 1_013_904_223
                let noise = Int(state >> 27)
                let i = (y * width + x) * 3
                // Gradients, saturated corners and noise: every clamp and rounding path.
                pixels[i] = UInt8(clamping: x * 255 / max(width - 1, 1) + noise - 16)
                pixels[i + 1] = UInt8(clamping: y * 255 / max(height - 1, 1) - noise)
                pixels[i + 2] = UInt8(clamping: ((x + y) % 64) * 4 + noise * 3)
            }
        }
        return Raster(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    func testEveryLayoutAndOddSizeEqualsLibjpeg() throws {
        let sizes = [(6, 6), (7, 9), (17, 16), (33, 31), (64, 48), (101, 77), (250, 3 * 17 + 1)]
        for (index, (width, height)) in sizes.enumerated() {
            let raster = picture(width: width, height: height, seed: UInt32(index + 1))
            for subsampling in [JPEGEncodeOptions.Subsampling.s420, .s422] {
                for progressive in [false, true] {
                    let jpeg = try ImageEncoder.jpeg(raster, options: .init(quality: 80 + index, subsampling: subsampling,
                                                                           progressive: progressive))
                    try assertMatchesLibjpeg(jpeg, "\(width)x\(height) \(subsampling) progressive \(progressive)")
                }
            }
        }
    }

    func testOtherLayoutsAreDeclined() throws {
        let raster = picture(width: 40, height: 30, seed: 9)
        let full = try ImageEncoder.jpeg(raster, options: .init(quality: 90, subsampling: .s444))
        XCTAssertNil(decoder.decodeBoth(full), "4:4:4 has nothing to upsample")
        XCTAssertNil(decoder.decodeBoth(full, replicatedStrips: StripRecorder()))
        let grey = Raster(width: 40, height: 30, layout: .luma, pixels: [UInt8](repeating: 100, count: 1200))
        XCTAssertNil(decoder.decodeBoth(try ImageEncoder.jpeg(grey, options: .init(quality: 90))))
        let tiny = try ImageEncoder.jpeg(picture(width: 5, height: 5, seed: 3), options: .init(quality: 90))
        XCTAssertNil(decoder.decodeBoth(tiny), "under 6 pixels a side")
        XCTAssertNil(decoder.decodeBoth([0xFF, 0xD8, 0xFF, 0xD9]), "a broken JPEG is left to decode(), which reports it")
        XCTAssertNil(decoder.decodeStrips(full, replicatedStrips: nil, smoothStrips: StripRecorder()), "4:4:4")
        XCTAssertNil(decoder.decodeStrips([0xFF, 0xD8, 0xFF, 0xD9], replicatedStrips: nil, smoothStrips: StripRecorder()))
    }

    func testCorpusPhotographsEqualLibjpeg() throws {
        guard let root = SharedCorpus.root else {
            print("DecodeBothTests: ../shared/corpus absent; corpus photographs skipped")
            return
        }
        var checked = 0
        for folder in ["camera", "pdq", "watermark", "synthetic"] {
            let base = URL(fileURLWithPath: root).appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where ["jpg", "jpeg"].contains(url.pathExtension.lowercased()) {
                guard checked < 60, let data = FileManager.default.contents(atPath: url.path) else { continue }
                let bytes = [UInt8](data)
                guard decoder.decodeBoth(bytes) != nil else { continue }
                try assertMatchesLibjpeg(bytes, url.lastPathComponent)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 10, "too few 4:2:0/4:2:2 photographs found in the corpus")
    }
}
