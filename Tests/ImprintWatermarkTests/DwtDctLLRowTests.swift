import ImprintImaging
import XCTest
@testable import ImprintDetectors

/// The vectorised LL row must hold exactly the values of the per-pixel formula
/// (`opencvU8` summed over each 2x2 cell, and the float path from the cell's sums).
final class DwtDctLLRowTests: XCTestCase {
    func testVectorisedRowEqualsThePerPixelFormula() {
        var state: UInt64 = 0x9E37_79B9
        func byte() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        for (width, height, channels) in [(16, 8, 3), (37, 10, 4), (130, 6, 3), (8, 2, 3), (96, 2, 3), (1000, 3, 3)] {
            // Extremes included: saturated and black pixels exercise the clamp.
            let pixels = (0..<(width * height * channels)).map { index in
                index % 17 == 0 ? UInt8(255) : index % 19 == 0 ? 0 : byte()
            }
            let llColumns = (width - width % 4) / 2
            let plane = llColumns
            var strip = [Double](repeating: .nan, count: 4 * plane)
            var planes = [Int32](repeating: 0, count: 12 * DwtDctBlockField.paddedLength(llColumns))
            pixels.withUnsafeBufferPointer { source in
                planes.withUnsafeMutableBufferPointer { planeBuffer in
                    strip.withUnsafeMutableBufferPointer { target in
                        guard let p = source.baseAddress, let q = planeBuffer.baseAddress, let s = target.baseAddress else { return }
                        DwtDctBlockField.fillLLRow(p, pixelCount: source.count, width: width, channels: channels, y0: 0, llColumns: llColumns,
                                                   planes: q, strip: s, plane: plane, rowBase: 0)
                    }
                }
            }
            for column in 0..<llColumns {
                var sumR = 0, sumG = 0, sumB = 0, bgr = 0, rgb = 0
                for dy in 0..<2 {
                    for dx in 0..<2 {
                        let i = (dy * width + column * 2 + dx) * channels
                        let r = Int(pixels[i]), g = Int(pixels[i + 1]), b = Int(pixels[i + 2])
                        sumR += r; sumG += g; sumB += b
                        bgr += Self.opencvU8(c0: b, c1: g, c2: r)
                        rgb += Self.opencvU8(c0: r, c1: g, c2: b)
                    }
                }
                let r = Double(sumR), g = Double(sumG), b = Double(sumB)
                XCTAssertEqual(strip[column], Double(bgr) / 2, "\(width)x\(height)x\(channels) column \(column)")
                XCTAssertEqual(strip[plane + column], (0.492111 * (b - (0.299 * r + 0.587 * g + 0.114 * b)) + 2) / 2)
                XCTAssertEqual(strip[2 * plane + column], Double(rgb) / 2)
                XCTAssertEqual(strip[3 * plane + column], (0.492111 * (r - (0.299 * b + 0.587 * g + 0.114 * r)) + 2) / 2)
            }
        }
    }

    /// OpenCV's 8-bit COLOR_BGR2YUV U channel, in its 14-bit fixed point: Y is rounded
    /// first, then U = round(0.492111 (c0 - Y) + 128), saturated to 0...255. (c0, c1, c2)
    /// play OpenCV's (B, G, R).
    static func opencvU8(c0: Int, c1: Int, c2: Int) -> Int {
        let y = (c2 * 4899 + c1 * 9617 + c0 * 1868 + 8192) >> 14
        let u = ((c0 - y) * 8061 + (128 << 14) + 8192) >> 14
        return min(max(u, 0), 255)
    }
}
