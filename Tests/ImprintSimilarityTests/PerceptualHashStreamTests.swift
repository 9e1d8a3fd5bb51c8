import XCTest
import ImprintImaging
@testable import ImprintSimilarity

/// Hashes made from the decode's strips must be the hashes of the finished raster: PDQ
/// (its quality and 8 variants too), pHash, dHash and aHash, bit for bit.
final class PerceptualHashStreamTests: XCTestCase {
    private let decoder = ImageDecoder()

    private func streamed(_ jpeg: [UInt8]) -> (stream: PerceptualHashStream?, raster: Raster?) {
        var made: PerceptualHashStream?
        let maker = StreamMaker { made = $0 }
        let raster = decoder.decodeBoth(jpeg, replicatedStrips: nil, smoothStrips: maker)
        return (made, raster)
    }

    /// Makes the stream on the first strip, when the size is known (as the pipeline does).
    private final class StreamMaker: RasterStripConsumer {
        var stream: PerceptualHashStream?
        let made: (PerceptualHashStream) -> Void
        init(_ made: @escaping (PerceptualHashStream) -> Void) { self.made = made }
        func consume(_ rows: UnsafePointer<UInt8>, firstRow: Int, rowCount: Int, width: Int, height: Int) {
            if stream == nil {
                let new = PerceptualHashStream(width: width, height: height)
                stream = new
                made(new)
            }
            stream?.consume(rows, firstRow: firstRow, rowCount: rowCount, width: width, height: height)
        }
    }

    func testStreamedHashesEqualTheRastersForEveryGroupBoundaryAndLayout() throws {
        // Heights around the tent stream's 16-row groups and the decode's 8-row strips.
        let sizes = [(6, 6), (17, 9), (65, 64), (64, 65), (333, 257), (640, 481), (1001, 31)]
        for (index, (width, height)) in sizes.enumerated() {
            for subsampling in [JPEGEncodeOptions.Subsampling.s420, .s422] {
                let raster = SyntheticRasters.texture(width: width, height: height, seed: UInt32(index + 1))
                let jpeg = try ImageEncoder.jpeg(raster, options: .init(quality: 85, subsampling: subsampling))
                let (stream, decoded) = streamed(jpeg)
                let label = "\(width)x\(height) \(subsampling)"
                let full = try XCTUnwrap(decoded, label)
                let hashes = try XCTUnwrap(stream?.hashes(), "\(label): every row streamed, so hashes")
                let expected = PerceptualHashes.compute(full)
                XCTAssertEqual(hashes, expected, label)
                XCTAssertEqual(hashes.pdqDihedral, expected.pdqDihedral, label)
                XCTAssertNil(stream?.hashes(), "\(label): the stream's result is taken once")
            }
        }
    }

    func testSizesPDQTreatsSpeciallyAreNotStreamed() throws {
        // Exactly 64 × 64 skips PDQ's filter; under 5 pixels a side hashes to zeros.
        XCTAssertNil(PerceptualHashStream(width: 64, height: 64).hashes())
        XCTAssertNil(PerceptualHashStream(width: 4, height: 300).hashes())
        let raster = SyntheticRasters.texture(width: 64, height: 64)
        let (stream, decoded) = streamed(try ImageEncoder.jpeg(raster, options: .init(quality: 90)))
        XCTAssertNotNil(decoded)
        XCTAssertNil(stream?.hashes(), "64 x 64 falls back to the raster")
    }

    func testRowsOutOfOrderOrOfAnotherSizeGiveNoHashes() {
        let rows = [UInt8](repeating: 100, count: 20 * 8 * 3)
        let skipped = PerceptualHashStream(width: 20, height: 16)
        rows.withUnsafeBufferPointer { skipped.consume($0.baseAddress!, firstRow: 8, rowCount: 8, width: 20, height: 16) }
        XCTAssertNil(skipped.hashes())
        let other = PerceptualHashStream(width: 20, height: 16)
        rows.withUnsafeBufferPointer { other.consume($0.baseAddress!, firstRow: 0, rowCount: 8, width: 19, height: 16) }
        XCTAssertNil(other.hashes())
        let short = PerceptualHashStream(width: 20, height: 16)
        rows.withUnsafeBufferPointer { short.consume($0.baseAddress!, firstRow: 0, rowCount: 8, width: 20, height: 16) }
        XCTAssertNil(short.hashes(), "half the rows")
    }
}
