import Foundation
import XCTest
import ImprintBytes
import ImprintImaging
import ImprintTestSupport

/// `imprint watermark` and the `watermark.sd-dwtdct` finding through ingest, on images
/// the test marks itself.
final class WatermarkCLITests: XCTestCase {
    private static let sd2 = "01010011010001000101011000110010".map { $0 == "1" }

    func testWatermarkCommandShowsEveryPayloadAndIngestRecordsTheFinding() throws {
        let evidence = try FixtureTree("watermark-evidence")
        defer { evidence.remove() }
        let picture = DwtDctEmbedder.texturedPicture(width: 320, height: 320, seed: 3)
        let marked = DwtDctEmbedder.embed(picture, bits: Self.sd2, order: .bgr, lattice: .uint8)
        try evidence.write("marked.png", try ImageEncoder.png(marked))
        try evidence.write("clean.png", try ImageEncoder.png(picture))
        try evidence.write("tiny.png", try ImageEncoder.png(DwtDctEmbedder.texturedPicture(width: 64, height: 64)))

        let decoded = try CLIRunner.run(["watermark", "--json", evidence.root])
        XCTAssertEqual(decoded.status, 0, decoded.stderr)
        let rows = try decoded.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        XCTAssertEqual(rows.count, 3)
        func row(_ name: String) throws -> JSONValue {
            try XCTUnwrap(rows.first { $0["path"]?.stringValue?.hasSuffix("/" + name) == true }, name)
        }
        let markedRow = try row("marked.png")
        XCTAssertEqual(markedRow["status"]?.stringValue, "decoded")
        XCTAssertEqual(markedRow["variantsPerPayload"]?.intValue, 144)
        let payloads = try XCTUnwrap(markedRow["payloads"]?.arrayValue)
        XCTAssertEqual(payloads.compactMap { $0["payload"]?.stringValue }, ["sd1", "sd2", "sdxl"])
        let sd2 = try XCTUnwrap(payloads.first { $0["payload"]?.stringValue == "sd2" })
        XCTAssertEqual(sd2["tier"]?.stringValue, "very_likely")
        XCTAssertEqual(sd2["bitsAgreeing"]?.intValue, 32)
        XCTAssertEqual(sd2["order"]?.stringValue, "bgr")
        let clean = try XCTUnwrap(try row("clean.png")["payloads"]?.arrayValue)
        for payload in clean {
            XCTAssertTrue(["none", "partial"].contains(payload["tier"]?.stringValue ?? ""), "\(payload)")
        }
        XCTAssertEqual(try row("tiny.png")["status"]?.stringValue, "not_applicable")

        let text = try CLIRunner.run(["watermark", evidence.root + "/marked.png"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("sd2: 32/32 bits  very_likely"), text.stdout)

        let work = try FixtureTree("watermark-case")
        defer { work.remove() }
        let casePath = work.absolute("case.imprint")
        XCTAssertEqual(try CLIRunner.run(["case", "create", casePath, "--case-number", "C-7", "--examiner", "A. Examiner"]).status, 0)
        let ingest = try CLIRunner.run(["ingest", casePath, evidence.root, "--exhibit", "EX-1", "--quiet"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        let findings = try CLIRunner.run(["findings", casePath, "--label", "watermark.", "--json"])
        XCTAssertEqual(findings.status, 0, findings.stderr)
        XCTAssertTrue(findings.stdout.contains("marked.png"), findings.stdout)
        XCTAssertFalse(findings.stdout.contains("clean.png"), findings.stdout)
        XCTAssertTrue(findings.stdout.contains("\"payload\":\"sd2\""), findings.stdout)
    }
}
