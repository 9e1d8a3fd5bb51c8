import XCTest
import ImprintBytes
import ImprintCase
import ImprintDetectors
import ImprintImaging
@testable import ImprintPipeline
import ImprintTestSupport

final class CompressionAndSyntheticAnalyzerTests: XCTestCase {
    static func raster(side: Int) -> Raster {
        var pixels: [UInt8] = []
        var state: UInt32 = 12345
        for y in 0..<side {
            for x in 0..<side {
                state = state &* 1_664_525 &+ 1_013_904_223
                let value = UInt8(truncatingIfNeeded: (x * 3 + y * 5) / 4 + Int(state >> 27))
                pixels += [value, value &+ 20, value &+ 40]
            }
        }
        return Raster(width: side, height: side, layout: .rgb, pixels: pixels)
    }

    private func artifact(_ name: String, _ bytes: [UInt8]) -> Artifact {
        Artifact(path: Array(name.utf8), name: Array(name.utf8), bytes: bytes, format: FormatSniffer.sniff(bytes))
    }

    func testLibraryJPEGAt90() throws {
        let bytes = try ImageEncoder.jpeg(Self.raster(side: 512), quality: 90)
        let findings = try CompressionAnalyzer().analyze(artifact("a.jpg", bytes))
        XCTAssertEqual(findings.map(\.label), ["compression.quantization", "compression.encoding",
                                               "compression.exif-completeness", "compression.generator-dimensions"])
        XCTAssertTrue(findings.allSatisfy { $0.category == .compression && $0.analyzer == "compression.profile" })
        let quantization = findings[0]
        XCTAssertEqual(quantization.details["class"]?.stringValue, "ijg")
        XCTAssertEqual(quantization.details["lumaQuality"]?.intValue, 90)
        XCTAssertEqual(quantization.strength, .info)
        XCTAssertTrue(quantization.summary.contains("Not a sign that the picture is AI-generated"))
        XCTAssertEqual(quantization.location?["element"]?.stringValue, "DQT")
        XCTAssertEqual(findings[1].details["subsampling"]?.stringValue, "4:2:0")
        XCTAssertEqual(findings[1].details["huffman"]?.stringValue, "standard")
        XCTAssertEqual(findings[1].details["progressive"], .bool(false))
        XCTAssertEqual(findings[2].details["fraction"]?.doubleValue, 0)
        XCTAssertEqual(findings[2].strength, .weak)
        XCTAssertEqual(findings[3].details["knownSize"]?.stringValue, "Stable Diffusion 1.x, Wukong (GenImage)")
    }

    func testPNGGetsOnlyTheFormatIndependentFindings() throws {
        let bytes = try ImageEncoder.png(Self.raster(side: 100))
        let findings = try CompressionAnalyzer().analyze(artifact("a.png", bytes))
        XCTAssertEqual(findings.map(\.label), ["compression.exif-completeness"])
        XCTAssertEqual(findings[0].strength, .info)
        XCTAssertTrue(try CompressionAnalyzer().analyze(artifact("a.txt", Array("hello".utf8))).isEmpty)
    }

    func testSyntheticScoreCarriesTheModelAndItsErrorRates() throws {
        let count = SpectralFeatures.names.count
        let model = SyntheticModel(modelVersion: "test", means: [Double](repeating: 0, count: count),
                                   scales: [Double](repeating: 1, count: count), weights: [Double](repeating: 0, count: count),
                                   bias: 2, calibrationA: 1, calibrationB: 0, threshold: 0.6, training: .null,
                                   validation: .object([.init("auc", .double(0.8)), .init("thresholdTPR", .double(0.5)),
                                                        .init("thresholdFPR", .double(0.05))]))
        let analyzer = SyntheticAnalyzer(model: model)
        let findings = try analyzer.analyze(artifact("a.png", try ImageEncoder.png(Self.raster(side: 300))))
        XCTAssertEqual(findings.map(\.label), ["synthetic.score"])
        let finding = findings[0]
        // bias 2, zero weights: σ(2) whatever the pixels.
        XCTAssertEqual(try XCTUnwrap(finding.score), 1 / (1 + exp(-2.0)), accuracy: 1e-4)
        XCTAssertEqual(finding.category, .synthetic)
        XCTAssertEqual(finding.strength, .moderate)
        XCTAssertEqual(finding.details["flagged"], .bool(true))
        XCTAssertEqual(finding.details["validation"]?["auc"]?.doubleValue, 0.8)
        XCTAssertEqual(finding.details["crops"]?.intValue, 1)
        XCTAssertTrue(finding.summary.contains("not a verdict"))
        XCTAssertTrue(finding.summary.contains("5 % of real"))
        // Too small to measure: no finding, no error.
        XCTAssertTrue(try analyzer.analyze(artifact("s.png", try ImageEncoder.png(Self.raster(side: 40)))).isEmpty)
        // A model for other features is refused loudly rather than scoring nonsense.
        var stale = model
        stale.featureVersion = "0"
        XCTAssertThrowsError(try SyntheticAnalyzer(model: stale).analyze(artifact("a.png", try ImageEncoder.png(Self.raster(side: 300)))))
    }

    func testRegistryRunsBothAnalyzers() {
        let ids = AnalyzerRegistry.all.map(\.id)
        XCTAssertTrue(ids.contains("compression.profile"))
        XCTAssertTrue(ids.contains("synthetic.spectral"))
    }
}
