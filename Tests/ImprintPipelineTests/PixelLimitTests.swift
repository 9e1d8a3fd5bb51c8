import XCTest
import ImprintCase
import ImprintImaging
@testable import ImprintPipeline
import ImprintTestSupport

final class PixelLimitTests: XCTestCase {
    /// An image over the pixel limit is not decoded; the refusal is a recorded error with
    /// the reason, and its dimensions, hashes and metadata are still recorded.
    func testOversizedImageIsRefusedWithARecordedErrorAndKeepsItsDimensions() throws {
        let tree = try FixtureTree("pixels")
        defer { tree.remove() }
        var builder = ExifBuilder()
        builder.ifd0 = [(0x010F, .ascii("Example"))]
        builder.thumbnail = try ImageEncoder.jpeg(MetadataAnalyzerTests.picture(width: 160, height: 120), quality: 80)
        let body = try ImageEncoder.jpeg(MetadataAnalyzerTests.picture(width: 1600, height: 1200), quality: 70)
        try tree.write("big.jpg", JPEGFixture.inserting([JPEGFixture.exifSegment(builder.build())], into: body))

        guard case .success(let root) = DirectoryHandle.openRoot(tree.rootBytes) else { return XCTFail("open root") }
        let entry = try XCTUnwrap(EvidenceWalker(root: root).first { _ in true })
        let limited = FileAnalysis(decoder: ImageDecoder(maxPixels: 1_000_000)).observe(entry)
        XCTAssertEqual(limited.width, 1600)
        XCTAssertEqual(limited.height, 1200)
        XCTAssertNotNil(limited.sha256)
        XCTAssertEqual(limited.metadata?["make"]?.stringValue, "Example")
        let decode = try XCTUnwrap(limited.errors.first { $0.stage == "decode" })
        XCTAssertEqual(decode.code, "pixel-limit")
        XCTAssertTrue(decode.message.contains("1600 x 1200"))

        let unlimited = FileAnalysis().observe(entry)
        XCTAssertFalse(unlimited.errors.contains { $0.stage == "decode" })
        XCTAssertEqual(unlimited.findings.filter { $0.label == "metadata.thumbnail-mismatch" }, [])
    }
}
