import CImprintKernels
import Foundation
import XCTest

/// The synthetic features' crop loop against its definition (`check-kernels.sh` also
/// holds it, the moments and the square-root sum to their lane order under the
/// sanitizers).
final class SpectralKernelTests: XCTestCase {
    func testCropResidualSumsAreTheDefinitions() {
        let side = 37, stride = 41
        var state: UInt64 = 7
        let luma = (0..<(stride * (side + 1))).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        var crop = [Double](repeating: 0, count: side * side), residual = crop
        var sums = [Int64](repeating: 0, count: 3)
        luma.withUnsafeBufferPointer { l in
            crop.withUnsafeMutableBufferPointer { c in
                residual.withUnsafeMutableBufferPointer { r in
                    imprint_crop_residual(l.baseAddress, stride, Int32(side), c.baseAddress, r.baseAddress, &sums)
                }
            }
        }
        var expected: [Int64] = [0, 0, 0]
        for y in 0..<side {
            for x in 0..<side {
                let a = Int64(luma[y * stride + x]), b = Int64(luma[y * stride + x + 1])
                let c = Int64(luma[(y + 1) * stride + x]), d = Int64(luma[(y + 1) * stride + x + 1])
                XCTAssertEqual(crop[y * side + x], Double(a))
                XCTAssertEqual(residual[y * side + x], Double(abs(a + d - b - c)))
                expected[0] += a
                expected[1] += abs(b - a) + abs(c - a)
                expected[2] += abs(a + d - b - c)
            }
        }
        XCTAssertEqual(sums, expected)
    }
}
