import XCTest
@testable import ImprintSimilarity

/// `imagehash`'s resizes fed strip by strip must be `resizeLanczos` of the whole grey
/// image, byte for byte: horizontal pass first (with and without the rows the vertical
/// pass skips), vertical first (tall images such as phone screenshots), one pass only,
/// and no pass, for strips of any height.
final class PillowResizeStreamTests: XCTestCase {
    private func grey(width: Int, height: Int, seed: UInt64) -> GreyImage {
        var state = seed
        let pixels = (0..<(width * height)).map { index -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let x = index % width, y = index / width
            // A gradient with noise and saturated patches, so that clipping and every
            // weight matter.
            if (x / 7 + y / 5) % 11 == 0 { return 255 }
            if (x / 5 + y / 7) % 13 == 0 { return 0 }
            return UInt8(truncatingIfNeeded: (x * 3 + y * 2) / 2 + Int(state >> 60))
        }
        return GreyImage(width: width, height: height, pixels: pixels)
    }

    private func streamed(_ image: GreyImage, width: Int, height: Int, strip: Int) throws -> GreyImage? {
        let stream = try XCTUnwrap(PillowResizeStream(sourceWidth: image.width, sourceHeight: image.height,
                                                      width: width, height: height))
        let stride = image.width + PillowImaging.rowSlack
        var first = 0
        while first < image.height {
            let count = min(strip, image.height - first)
            // Junk in the slack: its weights are zero.
            var rows = [Int16](repeating: 0x5A5A, count: count * stride)
            for r in 0..<count {
                for x in 0..<image.width { rows[r * stride + x] = Int16(image.pixels[(first + r) * image.width + x]) }
            }
            let taken = rows.withUnsafeBufferPointer { stream.push($0.baseAddress!, stride: stride, firstRow: first, count: count) }
            XCTAssertTrue(taken)
            first += count
        }
        return stream.finish()
    }

    func testStreamedResizesEqualTheWholeImageResize() throws {
        // (width, height): wide, square, tall enough for the vertical pass to go first,
        // one side already at the target, tiny, and sizes whose weights are split or not.
        let sizes = [(300, 40), (97, 97), (30, 200), (40, 700), (9, 50), (8, 8), (32, 500), (7, 5), (1100, 23), (4100, 9)]
        for (index, (width, height)) in sizes.enumerated() {
            let image = grey(width: width, height: height, seed: UInt64(index + 1))
            for (targetWidth, targetHeight) in [(8, 8), (9, 8), (32, 32)] {
                let expected = PillowImaging.resizeLanczos(image, width: targetWidth, height: targetHeight)
                for strip in [1, 3, 8, 16] {
                    let actual = try streamed(image, width: targetWidth, height: targetHeight, strip: strip)
                    XCTAssertEqual(actual, expected, "\(width)x\(height) → \(targetWidth)x\(targetHeight), strips of \(strip)")
                }
            }
        }
    }

    func testRowsOutOfOrderOrMissingGiveNoImage() throws {
        let rows = [Int16](repeating: 100, count: 8 * (20 + PillowImaging.rowSlack))
        let stride = 20 + PillowImaging.rowSlack
        let stream = try XCTUnwrap(PillowResizeStream(sourceWidth: 20, sourceHeight: 16, width: 8, height: 8))
        XCTAssertFalse(rows.withUnsafeBufferPointer { stream.push($0.baseAddress!, stride: stride, firstRow: 8, count: 8) })
        XCTAssertTrue(rows.withUnsafeBufferPointer { stream.push($0.baseAddress!, stride: stride, firstRow: 0, count: 8) })
        XCTAssertNil(stream.finish(), "half the rows")
        XCTAssertFalse(rows.withUnsafeBufferPointer { stream.push($0.baseAddress!, stride: 20, firstRow: 8, count: 8) },
                       "a stride without the slack")
        XCTAssertTrue(rows.withUnsafeBufferPointer { stream.push($0.baseAddress!, stride: stride, firstRow: 8, count: 8) })
        XCTAssertNotNil(stream.finish())
        XCTAssertNil(PillowResizeStream(sourceWidth: 0, sourceHeight: 16, width: 8, height: 8))
    }
}
