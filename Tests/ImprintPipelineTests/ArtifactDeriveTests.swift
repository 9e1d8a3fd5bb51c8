import ImprintImaging
import XCTest
@testable import ImprintPipeline

/// The one-pass reduction must equal what it replaced: the whole image converted to luma
/// (when asked), then averaged over each output pixel's source block.
final class ArtifactDeriveTests: XCTestCase {
    private func reference(_ raster: Raster, scale: Int, luma: Bool) -> Raster {
        let source = luma ? raster.luma() : raster
        let width = max(1, (source.width + scale - 1) / scale), height = max(1, (source.height + scale - 1) / scale)
        var pixels = [UInt8](repeating: 0, count: width * height * source.channels)
        for y in 0..<height {
            let y0 = y * source.height / height, y1 = max(y0 + 1, (y + 1) * source.height / height)
            for x in 0..<width {
                let x0 = x * source.width / width, x1 = max(x0 + 1, (x + 1) * source.width / width)
                for channel in 0..<source.channels {
                    var sum = 0
                    for sy in y0..<y1 { for sx in x0..<x1 { sum += Int(source.pixels[(sy * source.width + sx) * source.channels + channel]) } }
                    pixels[(y * width + x) * source.channels + channel] = UInt8(sum / ((y1 - y0) * (x1 - x0)))
                }
            }
        }
        return Raster(width: width, height: height, layout: source.layout, pixels: pixels)
    }

    func testOnePassReductionEqualsLumaThenAverage() {
        var state: UInt32 = 7
        for (width, height, layout) in [(37, 23, Raster.Layout.rgb), (64, 48, .rgba), (5, 9, .luma), (100, 3, .rgb)] {
            let pixels = (0..<(width * height * layout.rawValue)).map { _ -> UInt8 in
                state = state &* 1_664_525 &+ 1_013_904_223
                return UInt8(truncatingIfNeeded: state >> 24)
            }
            let raster = Raster(width: width, height: height, layout: layout, pixels: pixels)
            for scale in [1, 2, 4, 8] {
                for luma in [false, true] {
                    let derived = Artifact.derive(raster, scaleDenominator: scale, luma: luma)
                    let expected = reference(raster, scale: scale, luma: luma)
                    XCTAssertEqual(derived.pixels, expected.pixels, "\(width)x\(height) \(layout) 1/\(scale) luma \(luma)")
                    XCTAssertEqual([derived.width, derived.height, derived.channels], [expected.width, expected.height, expected.channels])
                }
            }
        }
    }
}
