import Foundation
import GRDB
import XCTest
import ImprintBytes
import ImprintCase
import ImprintTestSupport

/// Tampering with a case file the way someone with `sqlite3` would (dropping the triggers
/// that make the tables append-only), checked through `imprint verify` as a user runs it.
/// Edited, re-hashed, deleted, inserted and reordered events and swapped file hashes are in
/// CaseStoreTests and IngestTests; these are the remaining cases of docs/hardening.md.
final class TamperTests: XCTestCase {
    private var evidence: FixtureTree!
    private var work: FixtureTree!
    private var casePath: String { work.absolute("case.imprint") }

    override func setUpWithError() throws {
        evidence = try FixtureTree("tamper")
        work = try FixtureTree("tampercase")
        try evidence.write("a.jpg", MagicBytes.jpeg)
        try evidence.write("b.png", MagicBytes.png)
        try evidence.write("sub/c.txt", MagicBytes.text)
        try evidence.write("sub/d.txt", Array("other notes\n".utf8))
        XCTAssertEqual(try CLIRunner.run(["case", "create", casePath, "--case-number", "T-1", "--examiner", "E"]).status, 0)
        let ingest = try CLIRunner.run(["ingest", casePath, evidence.root, "--exhibit", "EX-T", "--quiet"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertEqual(try CLIRunner.run(["verify", casePath, "--quiet"]).status, 0)
    }

    override func tearDown() {
        evidence?.remove()
        work?.remove()
    }

    /// Runs `verify --json` and returns its exit status and the (code, subject) pairs it named.
    private func verify(_ extra: [String] = []) throws -> (status: Int32, named: [(code: String, subject: String)]) {
        let result = try CLIRunner.run(["verify", casePath, "--json", "--quiet"] + extra)
        let json = try JSONParser.parse(Array(result.stdout.utf8))
        let named = (json["discrepancies"]?.arrayValue ?? []).map {
            (code: $0["code"]?.stringValue ?? "", subject: $0["subject"]?.stringValue ?? "")
        }
        return (result.status, named)
    }

    private func tamper(_ sql: String...) throws {
        try DatabaseQueue(path: casePath).write { db in
            for statement in sql { try db.execute(sql: statement) }
        }
    }

    private func events() throws -> [CustodyEvent] { try CaseStore.open(at: casePath, readOnly: true).custodyEvents() }

    func testADeletedFileRowIsNamed() throws {
        try tamper("DROP TRIGGER files_no_delete", "DELETE FROM files WHERE path_text = 'sub/c.txt'")
        let result = try verify()
        XCTAssertEqual(result.status, 1)
        let codes = Set(result.named.map(\.code))
        XCTAssertTrue(codes.isSuperset(of: ["row-count-mismatch", "merkle-mismatch"]), "\(result.named)")
    }

    func testARenamedFileRowIsNamed() throws {
        try tamper("DROP TRIGGER files_no_update",
                   "UPDATE files SET path = CAST('sub/e.txt' AS BLOB), path_text = 'sub/e.txt' WHERE path_text = 'sub/d.txt'")
        let result = try verify()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.named.contains { $0.code == "merkle-mismatch" && $0.subject == "EX-T" }, "\(result.named)")
        XCTAssertTrue(result.named.contains { $0.code == "file-missing" && $0.subject == "sub/e.txt" }, "\(result.named)")
    }

    func testAnEditedFileTimeOrFormatIsNotCommittedButAHashEditIs() throws {
        // What the Merkle root does not cover (times, format) survives; the hash does not.
        try tamper("DROP TRIGGER files_no_update", "UPDATE files SET format = 'png', mtime_ns = 0 WHERE path_text = 'a.jpg'")
        XCTAssertEqual(try verify().status, 0)
        try tamper("UPDATE files SET sha256 = '\(String(repeating: "ab", count: 32))' WHERE path_text = 'a.jpg'")
        let result = try verify()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.named.contains { $0.code == "merkle-mismatch" }, "\(result.named)")
        XCTAssertTrue(result.named.contains { $0.code == "file-changed" && $0.subject == "a.jpg" }, "\(result.named)")
    }

    func testNewestEventsCutOffAreCaughtByAnAnchorKeptOutsideTheCase() throws {
        let head = try XCTUnwrap(try events().last)
        XCTAssertEqual(head.action, "verify.result")
        let anchor = "\(head.seq):\(head.hash)"
        try tamper("DROP TRIGGER custody_events_no_delete", "DELETE FROM custody_events WHERE seq >= \(head.seq - 1)")
        // The chain that is left is internally consistent: the cut cannot be seen from inside.
        let store = try CaseStore.open(at: casePath)
        XCTAssertTrue(try store.verifyChain().discrepancies.isEmpty)
        // The anchor kept outside names it.
        let result = try verify(["--expect-event", anchor])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.named.contains { $0.code == "anchor-missing" && $0.subject == String(head.seq) }, "\(result.named)")
        // (The ingest.completed removed with it leaves the exhibit unfinished, which verify names too.)
        XCTAssertTrue(result.named.contains { $0.code == "ingest-incomplete" }, "\(result.named)")
    }

    func testAChainRewrittenToItsEndIsCaughtByTheEvidenceAndByAnAnchor() throws {
        let before = try events()
        let anchor = try XCTUnwrap(before.last)
        // Swap two files' hashes, put the new Merkle root into ingest.completed, and re-hash
        // every event from there to the head: the record is consistent again.
        let store = try CaseStore.open(at: casePath)
        let oldRoot = try XCTUnwrap(store.verifyExhibits().first?.inventory.merkleRoot)
        try DatabaseQueue(path: casePath).write { db in
            try db.execute(sql: "DROP TRIGGER files_no_update")
            try db.execute(sql: "DROP TRIGGER custody_events_no_update")
            let c = try String.fetchOne(db, sql: "SELECT sha256 FROM files WHERE path_text = 'sub/c.txt'")
            let d = try String.fetchOne(db, sql: "SELECT sha256 FROM files WHERE path_text = 'sub/d.txt'")
            try db.execute(sql: "UPDATE files SET sha256 = ? WHERE path_text = 'sub/c.txt'", arguments: [d])
            try db.execute(sql: "UPDATE files SET sha256 = ? WHERE path_text = 'sub/d.txt'", arguments: [c])
        }
        let newRoot = try XCTUnwrap(store.verifyExhibits().first?.inventory.merkleRoot)
        XCTAssertNotEqual(oldRoot, newRoot)
        var previous = CustodyEvent.genesisPrevHash
        var rewritten: [CustodyEvent] = []
        for var event in before {
            event.detailsJSON = event.detailsJSON.replacingOccurrences(of: oldRoot, with: newRoot)
            event.prevHash = previous
            event.hash = event.expectedHash
            previous = event.hash
            rewritten.append(event)
        }
        try DatabaseQueue(path: casePath).write { db in
            for event in rewritten {
                try db.execute(sql: "UPDATE custody_events SET details_json = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                               arguments: [event.detailsJSON, event.prevHash, event.hash, event.seq])
            }
        }
        // The record alone now holds together (no key signs it) ...
        let recordOnly = try verify(["--skip-evidence"])
        XCTAssertEqual(recordOnly.status, 0, "\(recordOnly.named)")
        // ... but the evidence does not match it, and neither does the anchor.
        let withEvidence = try verify()
        XCTAssertEqual(Set(withEvidence.named.filter { $0.code == "file-changed" }.map(\.subject)), ["sub/c.txt", "sub/d.txt"])
        let anchored = try verify(["--skip-evidence", "--expect-event", "\(anchor.seq):\(anchor.hash)"])
        XCTAssertEqual(anchored.named.map(\.code), ["anchor-mismatch"])
    }

    func testAMalformedAnchorIsAUsageError() throws {
        XCTAssertEqual(try CLIRunner.run(["verify", casePath, "--expect-event", "3:abc"]).status, 2)
        XCTAssertEqual(try CLIRunner.run(["verify", casePath, "--expect-event", "x"]).status, 2)
    }
}
