import ImprintImaging
import XCTest

/// The collectors that take what an analyzer needs from a decode's strips must give
/// exactly what the same code takes from the whole raster.
final class StripCollectorTests: XCTestCase {
    private func picture(width: Int, height: Int, channels: Int = 3) -> Raster {
        var state: UInt32 = 99
        let pixels = (0..<(width * height * channels)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        return Raster(width: width, height: height, layout: channels == 3 ? .rgb : .rgba, pixels: pixels)
    }

    /// Feeds `raster` (RGB) to `consumer` in strips of 8 rows, as the decoder does.
    private func feed(_ raster: Raster, to consumer: any RasterStripConsumer) {
        raster.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress else { return }
            for first in stride(from: 0, to: raster.height, by: 8) {
                consumer.consume(base + first * raster.width * 3, firstRow: first, rowCount: min(8, raster.height - first),
                                 width: raster.width, height: raster.height)
            }
        }
    }

    func testRegionsEqualTheRastersLumaOfTheSameRegions() throws {
        let image = picture(width: 101, height: 77)
        let regions = [LumaRegionCollector.Region(x: 0, y: 0, width: 17, height: 9),
                       .init(x: 40, y: 30, width: 33, height: 33),
                       .init(x: 90, y: 70, width: 30, height: 30),   // clamped at the right and bottom
                       .init(x: -5, y: -3, width: 10, height: 10),   // clamped at the origin
                       .init(x: 200, y: 5, width: 4, height: 4)]     // outside: empty
        let collector = LumaRegionCollector(width: image.width, height: image.height, regions: regions)
        feed(image, to: collector)
        let collected = try XCTUnwrap(collector.rasters)
        XCTAssertEqual(collected.count, regions.count)
        for (region, got) in zip(regions, collected) {
            let expected = image.luma(x: region.x, y: region.y, width: region.width, height: region.height)
            XCTAssertEqual([got.width, got.height], [expected.width, expected.height], "\(region)")
            XCTAssertEqual(got.pixels, expected.pixels, "\(region)")
        }
    }

    func testRegionsAreRefusedWhenStripsComeOutOfOrder() {
        let image = picture(width: 20, height: 20)
        let collector = LumaRegionCollector(width: 20, height: 20, regions: [.init(x: 0, y: 0, width: 5, height: 5)])
        image.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress else { return }
            collector.consume(base + 8 * 60, firstRow: 8, rowCount: 8, width: 20, height: 20)
        }
        XCTAssertTrue(collector.failed)
        XCTAssertNil(collector.rasters)
        let short = LumaRegionCollector(width: 20, height: 20, regions: [.init(x: 0, y: 0, width: 5, height: 5)])
        image.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress else { return }
            short.consume(base, firstRow: 0, rowCount: 8, width: 20, height: 20)
        }
        XCTAssertNil(short.rasters, "not every row arrived")
    }

    /// `AreaReduction` fed row by row (from strips, or by `Artifact.derive`) against the
    /// definition: each output pixel the floor of its block's mean, of luma when asked.
    func testAreaReductionFromStripsEqualsTheBlockMeans() throws {
        for (width, height) in [(37, 23), (64, 48), (100, 3), (9, 17)] {
            let image = picture(width: width, height: height)
            for scale in [1, 2, 4, 8] {
                for luma in [false, true] {
                    let collector = AreaReductionCollector(width: width, height: height, scaleDenominator: scale, luma: luma)
                    feed(image, to: collector)
                    let got = try XCTUnwrap(collector.raster, "\(width)x\(height) 1/\(scale)")
                    let source = luma ? image.luma() : image
                    let w = (width + scale - 1) / scale, h = (height + scale - 1) / scale
                    XCTAssertEqual([got.width, got.height, got.channels], [w, h, source.channels])
                    var expected = [UInt8](repeating: 0, count: w * h * source.channels)
                    for y in 0..<h {
                        let y0 = y * height / h, y1 = max(y0 + 1, (y + 1) * height / h)
                        for x in 0..<w {
                            let x0 = x * width / w, x1 = max(x0 + 1, (x + 1) * width / w)
                            for channel in 0..<source.channels {
                                var sum = 0
                                for sy in y0..<y1 {
                                    for sx in x0..<x1 { sum += Int(source.pixels[(sy * width + sx) * source.channels + channel]) }
                                }
                                expected[(y * w + x) * source.channels + channel] = UInt8(sum / ((y1 - y0) * (x1 - x0)))
                            }
                        }
                    }
                    XCTAssertEqual(got.pixels, expected, "\(width)x\(height) 1/\(scale) luma \(luma)")
                }
            }
        }
    }

    func testAreaReductionIsNotGivenBeforeEveryRowArrived() {
        let image = picture(width: 16, height: 16)
        let collector = AreaReductionCollector(width: 16, height: 16, scaleDenominator: 2, luma: true)
        image.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress else { return }
            collector.consume(base, firstRow: 0, rowCount: 8, width: 16, height: 16)
        }
        XCTAssertNil(collector.raster)
        let wrong = AreaReductionCollector(width: 16, height: 16, scaleDenominator: 2, luma: true)
        image.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress else { return }
            wrong.consume(base, firstRow: 0, rowCount: 8, width: 15, height: 16)
        }
        XCTAssertTrue(wrong.failed)
    }
}
