import ImprintCase
import ImprintDetectors
import ImprintImaging
@testable import ImprintPipeline
import ImprintTestSupport
import XCTest

/// When every pixel reader streams, a colour-subsampled JPEG's shared decode goes to the
/// strip consumers only and the full-size image is never held. The findings must be
/// exactly those of the held raster, from one decode.
final class StreamedSharedDecodeTests: XCTestCase {
    /// A 4:2:0 colour JPEG of 640 × 480 whose EXIF thumbnail shows another picture (so the
    /// thumbnail check reports a correlation), large enough for two synthetic crops.
    private func photograph() throws -> [UInt8] {
        var pixels: [UInt8] = []
        var state: UInt32 = 4242
        for y in 0..<480 {
            for x in 0..<640 {
                state = state &* 1_664_525 &+ 1_013_904_223
                let value = (x * 3 + y * 5) / 8 + Int(state >> 28)
                pixels += [UInt8(clamping: value), UInt8(clamping: 255 - value), UInt8(clamping: (x / 40 + y / 40) % 2 * 200)]
            }
        }
        let image = Raster(width: 640, height: 480, layout: .rgb, pixels: pixels)
        var builder = ExifBuilder()
        builder.ifd0 = [(0x010F, .ascii("Nikon"))]
        builder.thumbnail = try ImageEncoder.jpeg(MetadataAnalyzerTests.picture(width: 160, height: 120, squareAt: 1), quality: 80)
        let body = try ImageEncoder.jpeg(image, options: .init(quality: 90, subsampling: .s420))
        return JPEGFixture.inserting([JPEGFixture.exifSegment(builder.build())], into: body)
    }

    private func analyse(_ bytes: [UInt8], holding: Bool) throws -> (artifact: Artifact, findings: [Finding]) {
        let artifact = Artifact(path: Array("p.jpg".utf8), name: Array("p.jpg".utf8), bytes: bytes, format: .jpeg)
        let analyzers = AnalyzerRegistry.all
        for analyzer in analyzers { analyzer.prepare(artifact) }
        artifact.holdsSharedRaster = holding
        _ = try artifact.decodeShared()
        var findings: [Finding] = []
        for analyzer in analyzers { findings += try analyzer.analyze(artifact) }
        return (artifact, findings)
    }

    func testStreamedAnalysisEqualsTheHeldRastersFromOneDecode() throws {
        let bytes = try photograph()
        let streamed = try analyse(bytes, holding: false)
        let held = try analyse(bytes, holding: true)
        XCTAssertEqual(streamed.findings, held.findings)
        XCTAssertNotNil(streamed.artifact.streamedImage, "the decode was not streamed")
        XCTAssertNil(held.artifact.streamedImage)
        XCTAssertEqual(streamed.artifact.decodeCount, 1, "an analyzer asked for the whole raster")
        XCTAssertEqual(held.artifact.decodeCount, 1)
        // Both streamed readers had something to say, so the comparison covers them.
        let analyzers = Set(streamed.findings.map(\.analyzer))
        XCTAssertTrue(analyzers.isSuperset(of: ["metadata.thumbnail", "synthetic.spectral"]), "\(analyzers)")
        // What each streamed reader took is what it takes from the held raster. (The
        // thumbnail's correlation, on a 16 × 16 grid, would hide a wrong reduction.)
        let whole = try held.artifact.raster()
        let scale = ThumbnailConsistencyAnalyzer.scaleDenominator(imageWidth: 640, thumbnailWidth: 160)
        let thumbnailStrips = try XCTUnwrap(streamed.artifact.streamedSmooth(key: "metadata.thumbnail") as? ThumbnailComparisonStrips)
        XCTAssertTrue(thumbnailStrips.reduction.raster?.pixels == Artifact.derive(whole, scaleDenominator: scale, luma: true).pixels,
                      "the thumbnail's reduction differs from the raster's")
        let crops = try XCTUnwrap((streamed.artifact.streamedSmooth(key: "synthetic.spectral") as? LumaRegionCollector)?.rasters)
        XCTAssertTrue(crops.map(\.pixels) == SpectralFeatures.cropRegions(width: 640, height: 480).map {
            whole.luma(x: $0.x, y: $0.y, width: $0.width, height: $0.height).pixels
        }, "the synthetic crops differ from the raster's")
    }

    /// An analyzer that asks for the raster after a streamed decode still gets it: decoded
    /// again, and a reduced view derived from it as usual (not libjpeg's DCT scaling).
    func testARasterAskedForAfterAStreamedDecodeIsDecodedAgain() throws {
        let bytes = try photograph()
        let artifact = Artifact(path: Array("p.jpg".utf8), name: Array("p.jpg".utf8), bytes: bytes, format: .jpeg)
        artifact.streamSmooth(key: "k") { AreaReductionCollector(width: $0, height: $1, scaleDenominator: 4, luma: true) }
        artifact.holdsSharedRaster = false
        XCTAssertEqual(try artifact.decodeShared().width, 640)
        XCTAssertEqual(artifact.decodeCount, 1)
        let reduced = try artifact.raster(scaleDenominator: 4, luma: true)
        XCTAssertEqual(artifact.decodeCount, 2)
        let whole = try ImageDecoder().decode(bytes, format: .jpeg, chroma: .smooth)
        XCTAssertTrue(reduced.pixels == Artifact.derive(whole, scaleDenominator: 4, luma: true).pixels)
        let streamed = try XCTUnwrap((artifact.streamedSmooth(key: "k") as? AreaReductionCollector)?.raster)
        XCTAssertTrue(streamed.pixels == reduced.pixels)
        XCTAssertTrue(try artifact.raster().pixels == whole.pixels)
    }

    func testTheFullImageIsHeldOnlyWhenAPixelReaderDoesNotStream() {
        XCTAssertFalse(FileAnalysis.holdsSharedRaster(for: AnalyzerRegistry.all))
        XCTAssertTrue(FileAnalysis.holdsSharedRaster(for: AnalyzerRegistry.all + [WholeRasterReader()]))
        XCTAssertFalse(FileAnalysis.holdsSharedRaster(for: [ExtensionMismatchAnalyzer()]))
    }

    /// The synthetic features from crops collected off the strips equal those of the raster, bit for bit.
    func testSpectralFeaturesFromCollectedCropsEqualTheRasters() throws {
        let image = try ImageDecoder().decode(try photograph(), format: .jpeg, chroma: .smooth)
        let collector = LumaRegionCollector(width: image.width, height: image.height,
                                            regions: SpectralFeatures.cropRegions(width: image.width, height: image.height))
        _ = ImageDecoder().decodeStrips(try photograph(), replicatedStrips: nil, smoothStrips: collector)
        let crops = try XCTUnwrap(collector.rasters)
        XCTAssertEqual(crops.count, 2)
        let fromCrops = try SpectralFeatures.compute(crops: crops, width: image.width, height: image.height)
        let fromRaster = try SpectralFeatures.compute(image)
        XCTAssertEqual(fromCrops.values.map(\.bitPattern), fromRaster.values.map(\.bitPattern))
        XCTAssertEqual(fromCrops.cropCount, fromRaster.cropCount)
        XCTAssertThrowsError(try SpectralFeatures.compute(crops: Array(crops.prefix(1)), width: image.width, height: image.height))
    }
}

/// A pixel analyzer that reads the whole raster (does not stream).
private struct WholeRasterReader: Analyzer {
    let id = "test.whole-raster"
    let version = "1"
    let needsPixels = true
    func analyze(_ artifact: Artifact) throws -> [Finding] { [] }
}
