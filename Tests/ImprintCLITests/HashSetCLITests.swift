import Foundation
import GRDB
import XCTest
import ImprintBytes
import ImprintImaging
import ImprintTestSupport

/// `imprint hashset import` and `imprint match` on a case ingested from PNG files the test makes.
final class HashSetCLITests: XCTestCase {
    private var work: FixtureTree!
    private var casePath: String { work.absolute("case.imprint") }

    override func setUpWithError() throws { work = try FixtureTree("hashset-cli") }
    override func tearDown() { work?.remove() }

    private func query<T: DatabaseValueConvertible>(_ sql: String) throws -> [T] {
        var config = Configuration()
        config.readonly = true
        let db = try DatabaseQueue(path: casePath, configuration: config)
        return try db.read { try T.fetchAll($0, sql: sql) }
    }

    private func ingestCase() throws -> FixtureTree {
        let evidence = try FixtureTree("hashset-evidence")
        try evidence.write("a.png", try PatternImages.png(pattern: 1))
        try evidence.write("b.png", try PatternImages.png(pattern: 2))
        try evidence.write("c.png", try PatternImages.png(pattern: 3))
        XCTAssertEqual(try CLIRunner.run(["case", "create", casePath, "--case-number", "C-1", "--examiner", "A. Examiner"]).status, 0)
        let ingest = try CLIRunner.run(["ingest", casePath, evidence.root, "--exhibit", "EX-1", "--quiet"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        return evidence
    }

    func testImportCountsInvalidLinesAndRecordsCustody() throws {
        let evidence = try ingestCase()
        defer { evidence.remove() }
        let md5 = "d41d8cd98f00b204e9800998ecf8427e"
        let list = "\u{FEFF}# known list\r\n\(md5.uppercased())\r\n\n\(md5)  name.jpg\nnot-a-hash\n\(md5)0\n"
        try work.write("list.txt", Array(list.utf8))
        let result = try CLIRunner.run(["hashset", "import", casePath, work.absolute("list.txt"), "--name", "Known"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("2 record(s), 2 invalid line(s)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("line 5:"), result.stdout)
        let sourceSHA = try XCTUnwrap(FixtureTree.sha256(ofFile: Array(work.absolute("list.txt").utf8)))
        XCTAssertTrue(result.stdout.contains(sourceSHA), result.stdout)
        XCTAssertEqual(try query("SELECT record_count FROM hash_sets") as [Int], [2])
        XCTAssertEqual(try query("SELECT invalid_lines FROM hash_sets") as [Int], [2])
        XCTAssertEqual(try query("SELECT DISTINCT algorithm FROM hash_set_entries") as [String], ["md5"])

        let custody = try CLIRunner.run(["custody", casePath, "--json"])
        XCTAssertTrue(custody.stdout.contains("hashset.imported"), custody.stdout)
        XCTAssertTrue(custody.stdout.contains(sourceSHA), custody.stdout)
        let verify = try CLIRunner.run(["verify", casePath, "--quiet"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)

        // A 64-hex list under auto is never guessed; a missing file fails cleanly.
        let sha = String(repeating: "ab", count: 32)
        try work.write("ambiguous.txt", Array("\(sha)\n".utf8))
        let ambiguous = try CLIRunner.run(["hashset", "import", casePath, work.absolute("ambiguous.txt"), "--name", "X"])
        XCTAssertTrue(ambiguous.stdout.contains("0 record(s), 1 invalid line(s)"), ambiguous.stdout)
        XCTAssertTrue(ambiguous.stdout.contains("ambiguous"), ambiguous.stdout)
        let missing = try CLIRunner.run(["hashset", "import", casePath, work.absolute("nope.txt"), "--name", "Y"])
        XCTAssertNotEqual(missing.status, 0)
    }

    func testMatchRecordsExactAndNearFindingsOnceAndARun() throws {
        let evidence = try ingestCase()
        defer { evidence.remove() }
        let sha256A = try XCTUnwrap(FixtureTree.sha256(ofFile: Array((evidence.root + "/a.png").utf8)))
        let md5s: [String] = try query("SELECT md5 FROM files WHERE path_text = 'b.png'")
        let md5B = try XCTUnwrap(md5s.first)
        try work.write("sha.txt", Array("\(sha256A.uppercased())  a.png\n".utf8))
        try work.write("md5.txt", Array("\(md5B)\n".utf8))
        // A re-saved variant of c.png, hashed by ingesting it into a second case.
        let variant = try FixtureTree("hashset-variant")
        defer { variant.remove() }
        try variant.write("c2.png", try PatternImages.png(pattern: 3, patch: 30))
        let other = work.absolute("other.imprint")
        XCTAssertEqual(try CLIRunner.run(["case", "create", other, "--case-number", "C-2", "--examiner", "B"]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["ingest", other, variant.root, "--exhibit", "EX-9", "--quiet"]).status, 0)
        var config = Configuration()
        config.readonly = true
        let variantPDQ = try XCTUnwrap(try DatabaseQueue(path: other, configuration: config).read {
            try String.fetchOne($0, sql: "SELECT pdq FROM perceptual_hashes")
        })
        try work.write("pdq.csv", Array("\(variantPDQ),90,series-7\n\(String(repeating: "0", count: 64)),10,low\n".utf8))

        for (file, format, name) in [("sha.txt", "sha256", "Notable SHA"), ("md5.txt", "auto", "Notable MD5"),
                                     ("pdq.csv", "pdq", "Notable PDQ")] {
            let r = try CLIRunner.run(["hashset", "import", casePath, work.absolute(file), "--name", name, "--format", format])
            XCTAssertEqual(r.status, 0, r.stderr)
        }

        let first = try CLIRunner.run(["match", casePath])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("2 exact match(es) (0 known file(s)), 1 PDQ near match(es)"), first.stdout)
        XCTAssertTrue(first.stdout.contains("3 finding(s) recorded, 0 already recorded"), first.stdout)

        let findings = try CLIRunner.run(["findings", casePath, "--json"])
        let lines = findings.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        let matches = lines.filter { $0["label"]?.stringValue?.hasPrefix("hashset.") == true }
        XCTAssertEqual(matches.count, 3, findings.stdout)
        XCTAssertTrue(findings.stdout.contains("Notable SHA"), findings.stdout)
        XCTAssertTrue(findings.stdout.contains("MD5 match"), findings.stdout)
        XCTAssertTrue(findings.stdout.contains("series-7"), findings.stdout)
        XCTAssertTrue(findings.stdout.contains("hashset.near-match"), findings.stdout)

        // Run twice: a new run is recorded, no finding is duplicated.
        let second = try CLIRunner.run(["match", casePath])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("0 finding(s) recorded, 3 already recorded"), second.stdout)
        XCTAssertEqual(try query("SELECT count(*) FROM findings WHERE label LIKE 'hashset.%'") as [Int], [3])
        XCTAssertEqual(try query("SELECT count(*) FROM analysis_runs WHERE kind = 'match' AND status = 'completed'") as [Int], [2])
        let custody = try CLIRunner.run(["custody", casePath, "--json"])
        XCTAssertTrue(custody.stdout.contains("hashset-match"), custody.stdout)
        let verify = try CLIRunner.run(["verify", casePath, "--quiet"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }
}
