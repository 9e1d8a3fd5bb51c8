import Foundation
import XCTest
import ImprintBytes
import ImprintTestSupport

final class CLITests: XCTestCase {
    private var work: FixtureTree!
    private var casePath: String { work.absolute("case.imprint") }

    override func setUpWithError() throws { work = try FixtureTree("cli") }
    override func tearDown() { work?.remove() }

    private func createCase() throws {
        let result = try CLIRunner.run(["case", "create", casePath, "--case-number", "2026-014", "--examiner", "A. Examiner",
                                        "--agency", "Lab", "--title", "CLI test"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testHelpDocumentsCommandsAndExitCodes() throws {
        let help = try CLIRunner.run(["--help"])
        XCTAssertEqual(help.status, 0)
        for word in ["case", "ingest", "verify", "custody", "analyze", "Exit codes"] {
            XCTAssertTrue(help.stdout.contains(word), "help should mention \(word)")
        }
        let sub = try CLIRunner.run(["ingest", "--help"])
        XCTAssertEqual(sub.status, 0)
        XCTAssertTrue(sub.stdout.contains("--exhibit"))
    }

    func testUsageAndRuntimeErrorsHaveDistinctCodesAndOneLine() throws {
        let usage = try CLIRunner.run(["ingest", casePath])
        XCTAssertEqual(usage.status, 2)
        let badJobs = try CLIRunner.run(["analyze", "--jobs", "0", "x"])
        XCTAssertEqual(badJobs.status, 2)
        let missing = try CLIRunner.run(["verify", work.absolute("nope.imprint")])
        XCTAssertEqual(missing.status, 3)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.hasPrefix("imprint: error: no case file at"))
        try createCase()
        let again = try CLIRunner.run(["case", "create", casePath, "--case-number", "x", "--examiner", "y"])
        XCTAssertEqual(again.status, 3)
        XCTAssertTrue(again.stderr.contains("already exists"))
    }

    func testIngestVerifyTamperAndCustody() throws {
        let evidence = try FixtureTree("ev")
        defer { evidence.remove() }
        try evidence.write("a/one.jpg", MagicBytes.jpeg)
        try evidence.write("a/two.png", MagicBytes.png)
        try evidence.write("three.txt", MagicBytes.text)
        try createCase()
        let ingest = try CLIRunner.run(["ingest", casePath, evidence.root, "--exhibit", "EX-1", "--quiet"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertTrue(ingest.stdout.contains("3 newly recorded"), ingest.stdout)
        XCTAssertTrue(ingest.stdout.contains("Merkle root"))

        let verify = try CLIRunner.run(["verify", casePath, "--quiet"])
        XCTAssertEqual(verify.status, 0, verify.stdout)
        XCTAssertTrue(verify.stdout.contains("VERIFIED"))

        try evidence.flipByte("a/two.png", at: 5)
        let tampered = try CLIRunner.run(["verify", casePath, "--json"])
        XCTAssertEqual(tampered.status, 1)
        let report = try JSONParser.parse(tampered.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(report["pass"], .bool(false))
        XCTAssertEqual(report["discrepancies"]?.arrayValue?.first?["subject"]?.stringValue, "a/two.png")
        XCTAssertEqual(report["discrepancies"]?.arrayValue?.first?["code"]?.stringValue, "file-changed")

        let custody = try CLIRunner.run(["custody", casePath, "--json"])
        XCTAssertEqual(custody.status, 0)
        let log = try JSONParser.parse(custody.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let actions = log["events"]?.arrayValue?.compactMap { $0["action"]?.stringValue }
        XCTAssertEqual(actions, ["case.created", "exhibit.registered", "ingest.started", "ingest.completed",
                                 "verify.result", "verify.result"])
        XCTAssertEqual(log["head"]?["hash"], log["events"]?.arrayValue?.last?["hash"])
        let text = try CLIRunner.run(["custody", casePath])
        XCTAssertTrue(text.stdout.contains("chain head: event 6"))
    }

    func testFindingsListsWhatIngestRecordedFilteredByLabel() throws {
        let evidence = try FixtureTree("fi")
        defer { evidence.remove() }
        try evidence.write("disguised.txt", MagicBytes.png)
        try evidence.write("fine.jpg", MagicBytes.jpeg)
        try createCase()
        XCTAssertEqual(try CLIRunner.run(["ingest", casePath, evidence.root, "--exhibit", "EX-F", "--quiet"]).status, 0)
        let all = try CLIRunner.run(["findings", casePath, "--json"])
        XCTAssertEqual(all.status, 0, all.stderr)
        let lines = try all.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        let mismatch = try XCTUnwrap(lines.first { $0["label"]?.stringValue == "integrity.extension-mismatch" })
        XCTAssertEqual(mismatch["path"]?.stringValue, "disguised.txt")
        XCTAssertEqual(mismatch["exhibit"]?.stringValue, "EX-F")
        XCTAssertNotNil(mismatch["sha256"]?.stringValue)
        let filtered = try CLIRunner.run(["findings", casePath, "--label", "integrity."])
        XCTAssertTrue(filtered.stdout.contains("disguised.txt"))
        XCTAssertTrue(filtered.stdout.contains("finding(s) with a label starting \"integrity.\""))
        let none = try CLIRunner.run(["findings", casePath, "--label", "generator_"])
        XCTAssertTrue(none.stdout.contains("0 finding(s)"), "an underscore is matched literally")
    }

    func testAnalyzeJSONFollowsTheDocumentedSchema() throws {
        let evidence = try FixtureTree("an")
        defer { evidence.remove() }
        try evidence.write("disguised.txt", MagicBytes.png)
        try evidence.write("ok.jpg", MagicBytes.jpeg)
        try evidence.symlink("link", to: "ok.jpg")
        let result = try CLIRunner.run(["analyze", "--json", evidence.root])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        let objects = try lines.map { try JSONParser.parse($0) }
        XCTAssertEqual(objects.compactMap { $0["path"]?.stringValue }, [evidence.root + "/disguised.txt", evidence.root + "/link",
                                                                        evidence.root + "/ok.jpg"])
        for object in objects {
            for key in ["path", "kind", "size", "sha256", "md5", "format", "errors", "findings"] {
                XCTAssertNotNil(object[key], "missing \(key)")
            }
        }
        XCTAssertEqual(objects[1]["kind"]?.stringValue, "symlink")
        XCTAssertEqual(objects[1]["linkTarget"]?.stringValue, "ok.jpg")
        XCTAssertEqual(objects[1]["sha256"], .null)
        XCTAssertEqual(objects[2]["sha256"]?.stringValue,
                       FixtureTree.sha256(ofFile: Array((evidence.root + "/ok.jpg").utf8)))
        let finding = try XCTUnwrap(objects[0]["findings"]?.arrayValue?.first)
        guard case .object(let members) = finding else { return XCTFail("finding is not an object") }
        XCTAssertEqual(members.map(\.key), ["analyzer", "analyzerVersion", "category", "label", "strength", "score",
                                            "summary", "details", "location"])
        XCTAssertEqual(finding["label"]?.stringValue, "integrity.extension-mismatch")

        // --hash-only: the same hashes, no parsing or analyzers.
        let hashOnly = try CLIRunner.run(["analyze", "--json", "--hash-only", evidence.root + "/disguised.txt"])
        let hashed = try JSONParser.parse(hashOnly.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(hashed["sha256"], objects[0]["sha256"])
        XCTAssertEqual(hashed["format"]?.stringValue, "png")
        XCTAssertEqual(hashed["findings"]?.arrayValue?.count, 0)
        XCTAssertNil(hashed["metadata"])

        // A single file argument, and one that does not exist: both reported, batch goes on.
        let mixed = try CLIRunner.run(["analyze", "--json", work.absolute("missing.jpg"), evidence.root + "/ok.jpg"])
        XCTAssertEqual(mixed.status, 0)
        let mixedLines = try mixed.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        XCTAssertEqual(mixedLines.count, 2)
        XCTAssertEqual(mixedLines[0]["errors"]?.arrayValue?.first?["code"]?.stringValue, "not-found")
        XCTAssertEqual(mixedLines[1]["format"]?.stringValue, "jpeg")
    }

    /// Conformance: the camera corpus ingests completely and verifies.
    func testCameraCorpusIngestsAndVerifies() throws {
        let camera = try SharedCorpus.require("camera")
        let expected = FileManager.default.enumerator(atPath: camera)?.compactMap { item -> String? in
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: camera + "/" + (item as? String ?? ""), isDirectory: &isDir)
            return isDir.boolValue ? nil : item as? String
        }.count ?? 0
        try createCase()
        let ingest = try CLIRunner.run(["ingest", casePath, camera, "--exhibit", "CAMERA", "--quiet"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertTrue(ingest.stdout.contains("\(expected) newly recorded"), "expected \(expected) files: \(ingest.stdout)")
        let verify = try CLIRunner.run(["verify", casePath, "--quiet"])
        XCTAssertEqual(verify.status, 0, verify.stdout)
        XCTAssertTrue(verify.stdout.contains("evidence: \(expected)/\(expected) files match"), verify.stdout)
    }
}
