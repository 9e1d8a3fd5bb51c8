import XCTest
import ImprintCase
import ImprintImaging
@testable import ImprintPipeline
import ImprintTestSupport

final class ExtensionMismatchAnalyzerTests: XCTestCase {
    private func findings(_ name: String, _ bytes: [UInt8]) throws -> [Finding] {
        let artifact = Artifact(path: Array(name.utf8), name: Array(name.utf8), bytes: bytes,
                                format: FormatSniffer.sniff(bytes))
        return try ExtensionMismatchAnalyzer().analyze(artifact)
    }

    func testMatchingNamesGiveNoFinding() throws {
        XCTAssertTrue(try findings("a.jpg", MagicBytes.jpeg).isEmpty)
        XCTAssertTrue(try findings("a.JPEG", MagicBytes.jpeg).isEmpty)
        XCTAssertTrue(try findings("a.png", MagicBytes.png).isEmpty)
        XCTAssertTrue(try findings("notes.txt", MagicBytes.text).isEmpty)
        XCTAssertTrue(try findings("empty.jpg", []).isEmpty)
    }

    func testImageUnderAnotherImageName() throws {
        let result = try findings("photo.jpg", MagicBytes.png)
        XCTAssertEqual(result.map(\.label), ["integrity.extension-mismatch"])
        XCTAssertEqual(result.first?.strength, .moderate)
        XCTAssertEqual(result.first?.details["relation"]?.stringValue, "image-as-other-image")
        XCTAssertEqual(result.first?.details["sniffedFormat"]?.stringValue, "png")
        XCTAssertEqual(result.first?.location?["offset"]?.intValue, 0)
    }

    func testImageHiddenUnderNonImageNameOrNoExtension() throws {
        XCTAssertEqual(try findings("report.docx", MagicBytes.jpeg).first?.details["relation"]?.stringValue,
                       "image-under-non-image-name")
        XCTAssertEqual(try findings("README", MagicBytes.gif).first?.details["relation"]?.stringValue,
                       "image-under-non-image-name")
        XCTAssertEqual(try findings(".hidden", MagicBytes.gif).first?.details["extension"], .null)
    }

    func testNonImageUnderImageNameIsWeak() throws {
        let result = try findings("evidence.png", MagicBytes.text)
        XCTAssertEqual(result.first?.strength, .weak)
        XCTAssertEqual(result.first?.details["relation"]?.stringValue, "non-image-under-image-name")
    }
}
