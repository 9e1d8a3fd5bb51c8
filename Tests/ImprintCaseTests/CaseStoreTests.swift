#if canImport(Glibc)
import Glibc
#endif
import GRDB
import Foundation
import XCTest
@testable import ImprintCase
import ImprintBytes
import ImprintTestSupport

final class CaseStoreTests: XCTestCase {
    private var folder: FixtureTree!
    private var casePath: String { folder.absolute("case.imprint") }
    private let actor = Actor(examiner: "A. Examiner", host: "lab-ws-03")

    override func setUpWithError() throws { folder = try FixtureTree("case") }
    override func tearDown() { folder?.remove() }

    private func makeCase() throws -> CaseStore {
        try CaseStore.create(at: casePath, case: NewCase(caseNumber: "2026-014", examiner: "A. Examiner",
                                                          title: "Test", agency: "Lab", authorization: "warrant 1"),
                             actor: actor)
    }

    private func rawDatabase() throws -> DatabaseQueue { try DatabaseQueue(path: casePath) }

    func testCreateRecordsCaseAndFirstEventAndRefusesOverwrite() throws {
        let store = try makeCase()
        let info = try store.caseInfo()
        XCTAssertEqual(info.caseNumber, "2026-014")
        XCTAssertEqual(info.authorization, "warrant 1")
        let events = try store.custodyEvents()
        XCTAssertEqual(events.map(\.action), ["case.created"])
        XCTAssertEqual(events[0].prevHash, CustodyEvent.genesisPrevHash)
        XCTAssertEqual(try JSONParser.parse(events[0].detailsJSON)["caseNumber"]?.stringValue, "2026-014")
        XCTAssertThrowsError(try makeCase()) { XCTAssertEqual($0 as? CaseError, .alreadyExists(casePath)) }
        var st = stat()
        XCTAssertEqual(stat(casePath, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600, "case files are owner-only")
    }

    func testOpenRefusesFilesThatAreNotCases() throws {
        try folder.write("notes.txt", Array("hello".utf8))
        XCTAssertThrowsError(try CaseStore.open(at: folder.absolute("notes.txt"))) {
            XCTAssertEqual($0 as? CaseError, .notACaseFile(folder.absolute("notes.txt")))
        }
        XCTAssertThrowsError(try CaseStore.open(at: folder.absolute("missing.imprint"))) {
            XCTAssertEqual($0 as? CaseError, .notFound(folder.absolute("missing.imprint")))
        }
        // Another program's SQLite database is refused without being modified.
        let other = folder.absolute("other.sqlite")
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE t (x)") }
        let before = FixtureTree.sha256(ofFile: Array(other.utf8))
        XCTAssertThrowsError(try CaseStore.open(at: other)) { XCTAssertEqual($0 as? CaseError, .notACaseFile(other)) }
        XCTAssertEqual(FixtureTree.sha256(ofFile: Array(other.utf8)), before)
    }

    func testCaseFromANewerSchemaIsRefused() throws {
        _ = try makeCase()
        try rawDatabase().write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')") }
        XCTAssertThrowsError(try CaseStore.open(at: casePath)) { error in
            XCTAssertEqual(error as? CaseError, .newerSchema(path: casePath, detail: "schema steps v9-future"))
            XCTAssertTrue(String(describing: error).contains("newer imprint"))
        }
    }

    func testCaseWithANewerUserVersionIsRefusedUntouched() throws {
        _ = try makeCase()
        try rawDatabase().write { try $0.execute(sql: "PRAGMA user_version = \(Schema.version + 1)") }
        let before = FixtureTree.sha256(ofFile: Array(casePath.utf8))
        XCTAssertThrowsError(try CaseStore.open(at: casePath)) { error in
            XCTAssertEqual(error as? CaseError, .newerSchema(path: casePath, detail: "schema version \(Schema.version + 1), this build knows \(Schema.version)"))
        }
        XCTAssertEqual(FixtureTree.sha256(ofFile: Array(casePath.utf8)), before)
    }

    func testReadOnlyOpenNeverWrites() throws {
        _ = try makeCase()
        let before = FixtureTree.sha256(ofFile: Array(casePath.utf8))
        let store = try CaseStore.open(at: casePath, readOnly: true)
        XCTAssertEqual(try store.custodyEvents().count, 1)
        XCTAssertThrowsError(try store.appendCustody(actor: actor, action: "note", subject: "", details: .object([])))
        XCTAssertEqual(FixtureTree.sha256(ofFile: Array(casePath.utf8)), before)
    }

    func testCreationLeavesNoTemporaryFiles() throws {
        _ = try makeCase()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.root)
        XCTAssertFalse(names.contains { $0.contains("creating") }, "\(names)")
    }

    func testPragmasMarkAndProtectTheCase() throws {
        _ = try makeCase()
        try rawDatabase().read { db in
            XCTAssertEqual(try Int32.fetchOne(db, sql: "PRAGMA application_id"), 0x494D_5052)
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), Schema.version)
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
        }
    }

    func testCustodyTableRejectsUpdateAndDelete() throws {
        let store = try makeCase()
        try store.appendCustody(actor: actor, action: "tag.added", subject: "x", details: .object([]))
        let db = try rawDatabase()
        XCTAssertThrowsError(try db.write { try $0.execute(sql: "UPDATE custody_events SET examiner = 'B' WHERE seq = 1") })
        XCTAssertThrowsError(try db.write { try $0.execute(sql: "DELETE FROM custody_events WHERE seq = 2") })
        XCTAssertEqual(try store.custodyEvents().count, 2)
        XCTAssertTrue(try store.verifyChain().discrepancies.isEmpty)
    }

    func testAlteredEventIsNamed() throws {
        let store = try makeCase()
        for i in 0..<4 { try store.appendCustody(actor: actor, action: "note", subject: "n\(i)", details: .object(["i": .integer(i)])) }
        try rawDatabase().write { db in
            try db.execute(sql: "DROP TRIGGER custody_events_no_update")
            try db.execute(sql: "UPDATE custody_events SET examiner = 'Someone Else' WHERE seq = 3")
        }
        let check = try store.verifyChain()
        XCTAssertEqual(check.discrepancies.map(\.code), ["event-altered"])
        XCTAssertEqual(check.discrepancies.first?.subject, "3")
        XCTAssertTrue(check.discrepancies[0].message.contains("event 3"))
    }

    func testAlteredAndRehashedEventBreaksTheNextLink() throws {
        let store = try makeCase()
        for i in 0..<3 { try store.appendCustody(actor: actor, action: "note", subject: "n\(i)", details: .object([])) }
        var event = try store.custodyEvents()[1]
        event.subject = "forged"
        let forgedHash = event.expectedHash
        try rawDatabase().write { db in
            try db.execute(sql: "DROP TRIGGER custody_events_no_update")
            try db.execute(sql: "UPDATE custody_events SET subject = 'forged', hash = ? WHERE seq = 2", arguments: [forgedHash])
        }
        let check = try store.verifyChain()
        XCTAssertEqual(check.discrepancies.map(\.code), ["chain-broken"])
        XCTAssertEqual(check.discrepancies.first?.subject, "3")
    }

    func testDeletedInsertedAndReorderedEventsAreNamed() throws {
        let store = try makeCase()
        for i in 0..<5 { try store.appendCustody(actor: actor, action: "note", subject: "n\(i)", details: .object([])) }
        let db = try rawDatabase()
        try db.write { db in
            try db.execute(sql: "DROP TRIGGER custody_events_no_delete")
            try db.execute(sql: "DELETE FROM custody_events WHERE seq = 4")
        }
        var check = try store.verifyChain()
        XCTAssertTrue(check.discrepancies.contains { $0.code == "events-missing" && $0.subject == "5" })
        XCTAssertTrue(check.discrepancies.contains { $0.code == "chain-broken" && $0.subject == "5" })

        // Insert a forged event at seq 4 whose own hash is consistent.
        let events = try store.custodyEvents()
        let prev = events[2].hash
        var forged = CustodyEvent(seq: 4, atUTC: "2026-01-01T00:00:00.000Z", examiner: "X", host: "h", toolVersion: "t",
                                  action: "note", subject: "inserted", detailsJSON: "{}", prevHash: prev, hash: "")
        forged.hash = forged.expectedHash
        try db.write { db in
            try db.execute(sql: "INSERT INTO custody_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [forged.seq, forged.atUTC, forged.examiner, forged.host, forged.toolVersion,
                                       forged.action, forged.subject, forged.detailsJSON, forged.prevHash, forged.hash])
        }
        check = try store.verifyChain()
        XCTAssertEqual(check.discrepancies.map(\.code), ["chain-broken"], "event 5 no longer follows the inserted event 4")
        XCTAssertEqual(check.discrepancies.first?.subject, "5")

        // Swap two events' seq numbers (reordering).
        try db.write { db in
            try db.execute(sql: "DROP TRIGGER custody_events_no_update")
            try db.execute(sql: "UPDATE custody_events SET seq = 100 WHERE seq = 2")
            try db.execute(sql: "UPDATE custody_events SET seq = 2 WHERE seq = 3")
            try db.execute(sql: "UPDATE custody_events SET seq = 3 WHERE seq = 100")
        }
        check = try store.verifyChain()
        XCTAssertTrue(check.discrepancies.contains { $0.subject == "2" })
        XCTAssertTrue(check.discrepancies.contains { $0.subject == "3" })
    }

    func testTamperedTypesAreReportedNotTrapped() throws {
        let store = try makeCase()
        try rawDatabase().write { db in
            try db.execute(sql: "DROP TRIGGER custody_events_no_update")
            try db.execute(sql: "UPDATE custody_events SET hash = 42, prev_hash = 'not-hex', details_json = x'FF00' WHERE seq = 1")
        }
        let check = try store.verifyChain()
        XCTAssertFalse(check.discrepancies.isEmpty)
        // A new event can still be chained after the damaged one.
        XCTAssertNoThrow(try store.appendCustody(actor: actor, action: "note", subject: "", details: .object([])))
    }

    func testFileRowsAreImmutable() throws {
        let store = try makeCase()
        let exhibit = try store.registerExhibit(number: "EX-1", rootPath: Array("/evidence".utf8), description: nil, actor: actor)
        let run = try store.beginIngestRun(exhibit: exhibit, actor: actor, options: .object([]), analyzers: [])
        let stat = FileStat(kind: .file, size: 3, mode: 0o100644, uid: 0, gid: 0, inode: 1, device: 1, nlink: 1,
                            mtimeNs: 1, ctimeNs: 1, atimeNs: 1)
        let file = ObservedFile(path: Array("a.jpg".utf8), stat: stat, sha256: String(repeating: "1", count: 64),
                                md5: String(repeating: "2", count: 32), format: "jpeg")
        let expectation = expectation(description: "recorded")
        Task {
            try await store.record(files: [file], changes: [], runID: run.runID, exhibitID: exhibit.id)
            expectation.fulfill()
        }
        wait(for: [expectation], timeout: 10)
        let db = try rawDatabase()
        XCTAssertThrowsError(try db.write { try $0.execute(sql: "UPDATE files SET sha256 = 'x'") })
        XCTAssertThrowsError(try db.write { try $0.execute(sql: "DELETE FROM files") })
        XCTAssertEqual(try store.fileCount(exhibitID: exhibit.id), 1)
        XCTAssertThrowsError(try store.registerExhibit(number: "EX-1", rootPath: Array("/other".utf8), description: nil, actor: actor))
    }
}
