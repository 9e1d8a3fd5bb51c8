#if canImport(Glibc)
import Glibc
#endif
import Crypto
import GRDB
import XCTest
import ImprintBytes
import ImprintCase
@testable import ImprintPipeline
import ImprintTestSupport

final class IngestTests: XCTestCase {
    private var tree: FixtureTree!
    private var caseFolder: FixtureTree!
    private var store: CaseStore!
    private let actor = Actor(examiner: "A. Examiner", host: "lab-ws-03")

    override func setUpWithError() throws {
        tree = try EvidenceFixtures.make()
        caseFolder = try FixtureTree("case")
        store = try CaseStore.create(at: caseFolder.absolute("case.imprint"),
                                     case: NewCase(caseNumber: "T-1", examiner: "A. Examiner"), actor: actor)
    }

    override func tearDown() {
        tree?.remove()
        caseFolder?.remove()
    }

    private func ingest(exhibit: String = "EX-1", jobs: Int = 2) async throws -> IngestSummary {
        let request = IngestRequest(evidenceRoot: tree.root, exhibitNumber: exhibit, jobs: jobs,
                                    maxInMemoryBytes: 1 << 20)
        return try await Ingest.run(request, store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "t"))
    }

    private func rows() throws -> [Row] {
        try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM files ORDER BY path")
        }
    }

    func testIngestRecordsEveryEntryAndLeavesEvidenceUntouched() async throws {
        let before = tree.snapshot()
        let summary = try await ingest()
        XCTAssertEqual(tree.snapshot(), before, "evidence content, sizes, modes and times must not change")

        let recorded = try rows()
        let byPath = Dictionary(uniqueKeysWithValues: recorded.map { (Data.fromDatabaseValue($0["path"]).map { [UInt8]($0) } ?? [], $0) })
        // 9 regular files + 4 links + 1 FIFO; directories themselves are not rows.
        XCTAssertEqual(recorded.count, 14)
        XCTAssertEqual(summary.newlyRecorded, 14)
        XCTAssertEqual(summary.inventory?.regularFiles, Int64(EvidenceFixtures.regularFiles))
        XCTAssertEqual(summary.inventory?.links, 4)
        XCTAssertEqual(summary.inventory?.otherEntries, 1)

        // Exact hashes, including the empty file and the file streamed past the memory limit.
        let empty = byPath[Array("notes/empty.txt".utf8)]
        XCTAssertEqual(empty?["sha256"], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(empty?["md5"], "d41d8cd98f00b204e9800998ecf8427e")
        XCTAssertEqual(empty?["format"], "empty")
        let big = byPath[Array("big/archive.bin".utf8)]
        let zeros = [UInt8](repeating: 0, count: Int(EvidenceFixtures.largeFileSize))
        XCTAssertEqual(big?["sha256"], Hex.encode(SHA256.hash(data: zeros)))
        XCTAssertEqual(big?["md5"], Hex.encode(Insecure.MD5.hash(data: zeros)))
        XCTAssertEqual(big?["size"], EvidenceFixtures.largeFileSize)

        // The non-UTF-8 name is stored byte for byte, with an escaped display form.
        let odd = byPath[EvidenceFixtures.nonUTF8Name]
        XCTAssertNotNil(odd)
        XCTAssertEqual(odd?["path_text"], "DCIM/f\\xff\\xfe.jpg")
        XCTAssertEqual(odd?["format"], "jpeg")
        XCTAssertNotNil(byPath[Array("notes/line\nbreak.webp".utf8)])
        XCTAssertEqual(byPath[Array("DCIM/100/deep/er/still/photo.gif".utf8)]?["format"], "gif")

        // Links are recorded with their text and never followed (no /etc files, no loop).
        XCTAssertEqual(byPath[Array("loops/up".utf8)]?["kind"], "symlink")
        XCTAssertEqual(byPath[Array("loops/up".utf8)]?["link_target"], Data("..".utf8))
        XCTAssertEqual(byPath[Array("outside".utf8)]?["link_target"], Data("/etc".utf8))
        XCTAssertFalse(recorded.contains { (($0["path_text"] as String?) ?? "").contains("passwd") })
        XCTAssertEqual(byPath[Array("notes/pipe".utf8)]?["kind"], "fifo")
        XCTAssertEqual(byPath[Array("notes/pipe".utf8)]?["status"], "not-read")

        // The file too large for memory is hashed but flagged as not analysed; the stub
        // images (signatures without bodies) are recorded as truncated by the parsers.
        let errors = try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: "SELECT stage, code FROM file_errors ORDER BY id")
        }
        XCTAssertEqual(errors.filter { $0["stage"] == "read" }.map { $0["code"] as String }, ["too-large-for-analysis"])
        XCTAssertTrue(errors.contains { $0["stage"] == "parse" && ($0["code"] as String) == "truncated" })

        // Disguised images are flagged.
        let flagged = try await DatabaseQueue(path: store.path).read { db in
            try String.fetchAll(db, sql: """
                SELECT f.path_text FROM findings x JOIN files f ON f.id = x.file_id
                WHERE x.label = 'integrity.extension-mismatch' ORDER BY f.path_text
                """)
        }
        XCTAssertEqual(flagged, ["notes/holiday.txt", "renamed.jpg"])

        // Custody: registered, started, completed with the Merkle root of the rows.
        let events = try store.custodyEvents()
        XCTAssertEqual(events.map(\.action), ["case.created", "exhibit.registered", "ingest.started", "ingest.completed"])
        let details = try JSONParser.parse(events[3].detailsJSON)
        XCTAssertEqual(details["merkleRoot"]?.stringValue, summary.inventory?.merkleRoot)
        XCTAssertEqual(details["inventory"]?["files"]?.intValue, 14)
    }

    func testMerkleRootCommitsToExactlyTheHashedFiles() async throws {
        let summary = try await ingest()
        let leaves = try rows().compactMap { row -> MerkleTree.Leaf? in
            guard (row["kind"] as String?) == "file", let sha = (row["sha256"] as String?).flatMap(Hex.decode) else { return nil }
            return MerkleTree.Leaf(path: [UInt8](row["path"] as Data), size: row["size"], sha256: sha)
        }
        XCTAssertEqual(leaves.count, EvidenceFixtures.regularFiles)
        XCTAssertEqual(Hex.encode(MerkleTree.root(leaves)), summary.inventory?.merkleRoot)
    }

    func testReRunAddsNothingAndVerifyPasses() async throws {
        let first = try await ingest()
        let second = try await ingest()
        XCTAssertEqual(second.newlyRecorded, 0)
        XCTAssertEqual(second.unchanged, 14)
        XCTAssertTrue(second.changes.isEmpty)
        XCTAssertEqual(second.inventory?.merkleRoot, first.inventory?.merkleRoot)
        XCTAssertEqual(try rows().count, 14)
        let report = try await Verifier.run(store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "v"))
        XCTAssertTrue(report.passed, report.discrepancies.map(\.message).joined(separator: "\n"))
        XCTAssertEqual(report.evidenceMatched, 9 + 4 + 1)
        XCTAssertEqual(try store.custodyEvents().last?.action, "verify.result")
    }

    func testChangedEvidenceIsReportedRecordedAndNeverOverwritten() async throws {
        _ = try await ingest()
        let original = try rows().first { ($0["path_text"] as String?) == "DCIM/100/IMG_0001.jpg" }
        try tree.write("DCIM/100/IMG_0001.jpg", MagicBytes.jpeg + [0x00])
        let rerun = try await ingest()
        XCTAssertEqual(rerun.changes.count, 1)
        XCTAssertEqual(rerun.changes.first?.kind, "content")
        XCTAssertEqual(PathBytes.display(rerun.changes.first?.path ?? []), "DCIM/100/IMG_0001.jpg")
        let now = try rows().first { ($0["path_text"] as String?) == "DCIM/100/IMG_0001.jpg" }
        XCTAssertEqual(now?["sha256"] as String?, original?["sha256"] as String?, "the original record is kept")
        let changeRows = try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM evidence_changes")
        }
        XCTAssertEqual(changeRows.count, 1)
        XCTAssertEqual(changeRows.first?["kind"], "content")
        let report = try await Verifier.run(store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "v"))
        XCTAssertEqual(report.discrepancies.map(\.code), ["file-changed"])
        XCTAssertEqual(report.discrepancies.first?.subject, "DCIM/100/IMG_0001.jpg")
    }

    func testVerifyNamesFlippedByteMissingFileAndChangedLink() async throws {
        _ = try await ingest()
        try tree.flipByte("DCIM/100/IMG_0002.png", at: 3)
        XCTAssertEqual(unlink(tree.absolute("renamed.jpg")), 0)
        XCTAssertEqual(unlink(tree.absolute("outside")), 0)
        try tree.symlink("outside", to: "/var")
        let report = try await Verifier.run(store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "v"))
        let named = Dictionary(report.discrepancies.map { ($0.subject, $0.code) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(named["DCIM/100/IMG_0002.png"], "file-changed")
        XCTAssertEqual(named["renamed.jpg"], "file-missing")
        XCTAssertEqual(named["outside"], "link-changed")
        XCTAssertEqual(report.discrepancies.count, 3)
        let event = try XCTUnwrap(store.custodyEvents().last)
        XCTAssertEqual(event.action, "verify.result")
        XCTAssertEqual(try JSONParser.parse(event.detailsJSON)["pass"], .bool(false))
    }

    func testVerifyNamesEditedFileRowsThroughTheMerkleRoot() async throws {
        _ = try await ingest()
        try await DatabaseQueue(path: store.path).write { db in
            try db.execute(sql: "DROP TRIGGER files_no_update")
            // Swap two files' hashes: each row is still well formed.
            let a = try String.fetchOne(db, sql: "SELECT sha256 FROM files WHERE path_text = 'DCIM/100/IMG_0001.jpg'")
            let b = try String.fetchOne(db, sql: "SELECT sha256 FROM files WHERE path_text = 'DCIM/100/IMG_0002.png'")
            try db.execute(sql: "UPDATE files SET sha256 = ? WHERE path_text = 'DCIM/100/IMG_0001.jpg'", arguments: [b])
            try db.execute(sql: "UPDATE files SET sha256 = ? WHERE path_text = 'DCIM/100/IMG_0002.png'", arguments: [a])
        }
        let report = try await Verifier.run(store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "v"))
        let codes = Set(report.discrepancies.map(\.code))
        XCTAssertTrue(codes.contains("merkle-mismatch"))
        XCTAssertEqual(Set(report.discrepancies.filter { $0.code == "file-changed" }.map(\.subject)),
                       ["DCIM/100/IMG_0001.jpg", "DCIM/100/IMG_0002.png"])
    }

    func testOneJobAndManyJobsRecordTheSame() async throws {
        let one = try await ingest(exhibit: "EX-1", jobs: 1)
        let other = try FixtureTree("case2")
        defer { other.remove() }
        store = try CaseStore.create(at: other.absolute("c.imprint"), case: NewCase(caseNumber: "T-2", examiner: "B"), actor: actor)
        let many = try await ingest(exhibit: "EX-1", jobs: 8)
        XCTAssertEqual(one.inventory?.merkleRoot, many.inventory?.merkleRoot)
        XCTAssertEqual(one.findings, many.findings)
    }

    func testALastingChangeIsRecordedOnceAndLinkTimesAreNotLinkText() async throws {
        _ = try await ingest()
        try tree.write("DCIM/100/IMG_0001.jpg", MagicBytes.jpeg + [0x01])
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, tree.absolute("outside"), &times, AT_SYMLINK_NOFOLLOW), 0)
        let first = try await ingest()
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: first.changes.map { (PathBytes.display($0.path), $0.kind) }),
                       ["DCIM/100/IMG_0001.jpg": "content", "outside": "metadata"])
        let second = try await ingest()
        XCTAssertTrue(second.changes.isEmpty, "a change already recorded is not recorded again")
        XCTAssertEqual(second.knownChanges, 2)
        let rows = try await DatabaseQueue(path: store.path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM evidence_changes") ?? 0
        }
        XCTAssertEqual(rows, 2)
        // A further change of the same file is new again.
        try tree.write("DCIM/100/IMG_0001.jpg", MagicBytes.jpeg + [0x02, 0x03])
        let third = try await ingest()
        XCTAssertEqual(third.changes.map(\.kind), ["content"])
    }

    func testIngestRefusesToBuildOnAnAlteredRecord() async throws {
        _ = try await ingest()
        try await DatabaseQueue(path: store.path).write { db in
            try db.execute(sql: "DROP TRIGGER files_no_update")
            try db.execute(sql: "UPDATE files SET size = size + 1 WHERE path_text = 'renamed.jpg'")
        }
        do {
            _ = try await ingest()
            XCTFail("an ingest must not commit a new Merkle root over altered rows")
        } catch {
            XCTAssertTrue(String(describing: error).contains("Refusing to ingest"), "\(error)")
        }
    }

    func testVerifyNamesEditedRowsEvenWhileALaterIngestIsUnfinished() async throws {
        _ = try await ingest()
        // A later run that began and never ended (as after SIGKILL).
        guard let exhibit = try store.exhibit(number: "EX-1") else { return XCTFail("exhibit") }
        _ = try store.beginIngestRun(exhibit: exhibit, actor: actor, options: .object([]), analyzers: [])
        try await DatabaseQueue(path: store.path).write { db in
            try db.execute(sql: "DROP TRIGGER files_no_update")
            try db.execute(sql: "UPDATE files SET md5 = '00000000000000000000000000000000' WHERE path_text = 'notes/holiday.txt'")
            try db.execute(sql: "UPDATE files SET size = 99 WHERE path_text = 'renamed.jpg'")
            // The unprotected run table cannot hide anything: verify reads the custody log.
            try db.execute(sql: "UPDATE analysis_runs SET status = 'completed'")
        }
        let report = try await Verifier.run(store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "v"))
        let codes = Dictionary(report.discrepancies.map { ($0.code, $0.subject) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(codes["ingest-incomplete"], "EX-1")
        XCTAssertEqual(codes["merkle-mismatch"], "EX-1")
        XCTAssertEqual(codes["md5-differs"], "notes/holiday.txt")
        XCTAssertEqual(codes["file-changed"], "renamed.jpg")

        // The verify.result event commits to the complete list stored beside it.
        let event = try XCTUnwrap(report.event)
        let stored = try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: "SELECT area, code, subject, message FROM verification_differences WHERE event_seq = ? ORDER BY ordinal",
                             arguments: [event.seq])
        }
        XCTAssertEqual(stored.count, report.discrepancies.count)
        let list = JSONValue.array(stored.map { row in
            JSONValue.object(["area": .string(row["area"]), "code": .string(row["code"]), "subject": .string(row["subject"]),
                              "message": .string(row["message"])])
        }).canonical()
        XCTAssertEqual(try JSONParser.parse(event.detailsJSON)["discrepanciesSha256"]?.stringValue,
                       Hex.encode(SHA256.hash(data: Array(list.utf8))))
    }

    func testAPlantedRowIsNamedAndBlocksFurtherIngest() async throws {
        _ = try await ingest()
        try await DatabaseQueue(path: store.path).write { db in
            // A plausible row under a run id no custody event knows (with a matching run row,
            // which is not protected by anything).
            try db.execute(sql: """
                INSERT INTO analysis_runs (id, kind, exhibit_id, started_at_utc, status, examiner, host, tool_version, options_json)
                SELECT 99, kind, exhibit_id, started_at_utc, 'completed', examiner, host, tool_version, options_json
                FROM analysis_runs LIMIT 1
                """)
            try db.execute(sql: """
                INSERT INTO files (exhibit_id, path, path_text, kind, size, mode, uid, gid, inode, nlink, mtime_ns,
                                   ctime_ns, atime_ns, sha256, md5, format, status, run_id, recorded_at_utc)
                SELECT exhibit_id, X'706c616e7465642e6a7067', 'planted.jpg', kind, size, mode, uid, gid, inode, nlink,
                       mtime_ns, ctime_ns, atime_ns, sha256, md5, format, status, 99, recorded_at_utc
                FROM files WHERE path_text = 'renamed.jpg'
                """)
        }
        let report = try await Verifier.run(store: store, actor: actor, rehashEvidence: false,
                                            progress: ProgressReporter(mode: .silent, label: "v"))
        XCTAssertEqual(report.discrepancies.map(\.code), ["rows-unaccounted"])
        do {
            _ = try await ingest()
            XCTFail("an ingest must not commit to a planted row")
        } catch {
            XCTAssertTrue(String(describing: error).contains("belong to no ingest"), "\(error)")
        }
    }

    func testCaseFileInsideTheEvidenceFolderIsRefused() async throws {
        let inside = try CaseStore.create(at: tree.absolute("case.imprint"), case: NewCase(caseNumber: "T-3", examiner: "C"),
                                          actor: actor)
        let request = IngestRequest(evidenceRoot: tree.root, exhibitNumber: "EX-1")
        do {
            _ = try await Ingest.run(request, store: inside, actor: actor, progress: ProgressReporter(mode: .silent, label: "t"))
            XCTFail("ingesting the folder that holds the case file must be refused")
        } catch {
            XCTAssertTrue(String(describing: error).contains("inside the evidence folder"), "\(error)")
        }
        XCTAssertTrue(try inside.exhibits().isEmpty, "nothing is registered")
    }

    func testStopRequestEndsTheRunAsInterruptedAndResumeFinishes() async throws {
        let stop = StopRequest()
        stop.request()
        let request = IngestRequest(evidenceRoot: tree.root, exhibitNumber: "EX-1", maxInMemoryBytes: 1 << 20)
        let stopped = try await Ingest.run(request, store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "t"),
                                           stop: stop)
        XCTAssertTrue(stopped.interrupted)
        XCTAssertEqual(stopped.completedEvent?.action, "ingest.interrupted")
        var report = try await Verifier.run(store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "v"))
        XCTAssertEqual(report.discrepancies.map(\.code), ["ingest-incomplete"])
        let resumed = try await ingest()
        XCTAssertFalse(resumed.interrupted)
        XCTAssertEqual(resumed.resumedRuns, [])
        report = try await Verifier.run(store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "v"))
        XCTAssertTrue(report.passed, report.discrepancies.map(\.message).joined(separator: "\n"))
    }

    func testReaderRefusesAFileReplacedAfterListing() throws {
        guard case .success(let root) = DirectoryHandle.openRoot(tree.rootBytes) else { return XCTFail("open root") }
        let entry = try XCTUnwrap(EvidenceWalker(root: root).first { $0.path == Array("renamed.jpg".utf8) })
        // Keep the old inode alive so the new file cannot reuse its number.
        XCTAssertEqual(rename(tree.absolute("renamed.jpg"), tree.absolute("renamed.old")), 0)
        try tree.write("renamed.jpg", MagicBytes.png)   // a new inode under the same name
        let outcome = EvidenceReader().read(entry)
        XCTAssertNil(outcome.sha256)
        XCTAssertEqual(outcome.errors.map(\.code), ["replaced-during-walk"])
    }
}
