import Crypto
import Foundation
import GRDB
import ImprintBytes

/// A difference `imprint verify` found, named precisely.
public struct Discrepancy: Sendable, Equatable, CustomStringConvertible {
    /// `custody`, `exhibit`, `file`.
    public var area: String
    /// `event-altered`, `chain-broken`, `events-missing`, `merkle-mismatch`, `file-changed`, `file-missing`, …
    public var code: String
    /// The event seq, exhibit number or file path concerned.
    public var subject: String
    public var message: String

    public init(area: String, code: String, subject: String, message: String) {
        self.area = area
        self.code = code
        self.subject = subject
        self.message = message
    }

    public var description: String { message }

    public var json: JSONValue {
        .object(["area": .string(area), "code": .string(code), "subject": .string(subject), "message": .string(message)])
    }
}

/// The result of recomputing the custody chain.
public struct ChainCheck: Sendable {
    public var events: Int
    public var headSeq: Int64?
    public var headHash: String?
    public var discrepancies: [Discrepancy]
}

/// The result of recomputing an exhibit's inventory against its last `ingest.completed`.
public struct ExhibitCheck: Sendable {
    public var exhibit: Exhibit
    public var inventory: ExhibitInventory
    public var recordedRoot: String?
    public var discrepancies: [Discrepancy]
}

/// A recorded file row as `verify` re-checks it against the disk.
public struct FileRow: Sendable {
    public var id: Int64
    public var path: [UInt8]
    public var pathText: String
    public var kind: FileKind
    public var size: Int64
    public var linkTarget: [UInt8]?
    public var sha256: String?
    public var md5: String?
    /// NULL for rows recorded before schema v6.
    public var sha1: String? = nil
}

extension CaseStore {
    /// Recomputes every event hash and link of the custody chain.
    public func verifyChain() throws -> ChainCheck {
        let events = try custodyEvents()
        var problems: [Discrepancy] = []
        var expectedSeq: Int64 = 1
        var previous: CustodyEvent?
        for event in events {
            let n = String(event.seq)
            if event.seq != expectedSeq {
                let missing = event.seq - 1 == expectedSeq ? "event \(expectedSeq) is" : "events \(expectedSeq)–\(event.seq - 1) are"
                problems.append(.init(area: "custody", code: "events-missing", subject: n,
                                      message: "custody: \(missing) missing before event \(event.seq) (deleted)"))
            }
            let expectedPrev = previous?.hash ?? CustodyEvent.genesisPrevHash
            if event.prevHash != expectedPrev {
                let before = previous.map { "event \($0.seq)" } ?? "the start of the chain"
                problems.append(.init(area: "custody", code: "chain-broken", subject: n,
                                      message: "custody: event \(event.seq) (\(event.action)) does not follow \(before): "
                                        + "its prev_hash differs (an event was altered and re-hashed, inserted, removed or reordered)"))
            }
            if event.expectedHash != event.hash {
                problems.append(.init(area: "custody", code: "event-altered", subject: n,
                                      message: "custody: event \(event.seq) (\(event.action)) was altered: its content does not match its hash"))
            }
            previous = event
            expectedSeq = event.seq + 1
        }
        if events.isEmpty {
            problems.append(.init(area: "custody", code: "events-missing", subject: "1",
                                  message: "custody: the log is empty (case.created is missing)"))
        }
        return ChainCheck(events: events.count, headSeq: previous?.seq, headHash: previous?.hash, discrepancies: problems)
    }

    /// Recomputes each exhibit's inventory and Merkle root from the file rows and compares
    /// them with what its last `ingest.completed` (or `ingest.interrupted`) event committed
    /// to. Only the hash-chained custody log is trusted here: whether an ingest finished is
    /// read from its events, never from the unprotected `analysis_runs` table.
    public func verifyExhibits(events: [CustodyEvent]? = nil) throws -> [ExhibitCheck] {
        let events = try events ?? custodyEvents()
        return try exhibits().map { exhibit in try check(exhibit, events: events) }
    }

    private func check(_ exhibit: Exhibit, events: [CustodyEvent]) throws -> ExhibitCheck {
        let inventory = try self.inventory(exhibitID: exhibit.id)
        var problems: [Discrepancy] = []
        let number = exhibit.number
        for row in inventory.malformedRows {
            problems.append(.init(area: "file", code: "row-malformed", subject: row,
                                  message: "file \(row) (exhibit \(number)): the recorded SHA-256 is not a valid hash (row edited)"))
        }
        func runID(_ event: CustodyEvent) -> Int64? { (try? JSONParser.parse(event.detailsJSON))?["runId"]?.intValue }
        let mine = events.filter { $0.subject == number }
        let ended = mine.filter { $0.action == "ingest.completed" || $0.action == "ingest.interrupted" }
        let endedRuns = Set(ended.compactMap(runID))
        let lastStarted = mine.last { $0.action == "ingest.started" }
        let committing = ended.last
        let committed = committing.flatMap { try? JSONParser.parse($0.detailsJSON) }

        if let lastStarted, let run = runID(lastStarted), !endedRuns.contains(run) {
            problems.append(.init(area: "exhibit", code: "ingest-incomplete", subject: number,
                                  message: "exhibit \(number): the ingest begun at custody event \(lastStarted.seq) (run \(run)) never finished (killed, or still running); \(inventory.files) entries recorded so far; re-run the same ingest command to finish it"))
        } else if let committing, committing.action == "ingest.interrupted" {
            problems.append(.init(area: "exhibit", code: "ingest-incomplete", subject: number,
                                  message: "exhibit \(number): the last ingest was interrupted (custody event \(committing.seq)); \(inventory.files) entries recorded so far; re-run the same ingest command to finish it"))
        }

        // Every row after the last commit must come from a run the custody log records as
        // begun for this exhibit and never ended (a killed run); rows up to the commit are
        // covered by its Merkle root below.
        let unendedRuns = Set(mine.filter { $0.action == "ingest.started" }.compactMap(runID)).subtracting(endedRuns)
        let committedRun = committed?["runId"]?.intValue ?? 0
        let unaccounted = try pool.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT count(*) FROM files WHERE exhibit_id = ? AND run_id > ?
                AND run_id NOT IN (SELECT value FROM json_each(?))
                """, arguments: [exhibit.id, committedRun, JSONValue.array(unendedRuns.sorted().map(JSONValue.int)).serialized()]) ?? 0
        }
        if unaccounted > 0 {
            problems.append(.init(area: "exhibit", code: "rows-unaccounted", subject: number,
                                  message: "exhibit \(number): \(unaccounted) file row(s) belong to no ingest the custody log records (rows inserted)"))
        }

        var recordedRoot: String?
        if let committing, let committed, let run = committed["runId"]?.intValue {
            // Rows recorded up to the committing run are exactly what that event committed to.
            let atCommit = try self.inventory(exhibitID: exhibit.id, upToRun: run)
            recordedRoot = committed["merkleRoot"]?.stringValue
            if recordedRoot != atCommit.merkleRoot {
                problems.append(.init(area: "exhibit", code: "merkle-mismatch", subject: number,
                                      message: "exhibit \(number): the file rows no longer match the Merkle root committed by custody event \(committing.seq) "
                                        + "(recorded \(recordedRoot ?? "none"), recomputed \(atCommit.merkleRoot)): file rows were edited, added or removed"))
            }
            if let count = committed["inventory"]?["files"]?.intValue, count != atCommit.files {
                problems.append(.init(area: "exhibit", code: "row-count-mismatch", subject: number,
                                      message: "exhibit \(number): \(atCommit.files) file rows up to run \(run), but custody event \(committing.seq) recorded \(count)"))
            }
        } else if lastStarted == nil && inventory.files > 0 {
            problems.append(.init(area: "exhibit", code: "merkle-missing", subject: number,
                                  message: "exhibit \(number): no custody event records an ingest of its \(inventory.files) file rows (events removed, or rows inserted)"))
        }
        return ExhibitCheck(exhibit: exhibit, inventory: inventory, recordedRoot: recordedRoot, discrepancies: problems)
    }

    /// Appends a `verify.result` event whose details commit (by SHA-256) to the complete
    /// list of differences, which is stored in `verification_differences` in the same transaction.
    public func recordVerification(actor: Actor, summary: JSONValue, discrepancies: [Discrepancy]) throws -> CustodyEvent {
        let list = JSONValue.array(discrepancies.map(\.json)).canonical()
        var details = summary
        if case .object(var members) = details {
            members.append(.init("discrepanciesSha256", .string(Hex.encode(SHA256.hash(data: Array(list.utf8))))))
            details = .object(members)
        }
        return try pool.write { db in
            let event = try appendCustody(db, actor: actor, action: "verify.result", subject: "", details: details)
            let insert = try db.cachedStatement(sql: """
                INSERT INTO verification_differences (event_seq, ordinal, area, code, subject, message) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for (ordinal, item) in discrepancies.enumerated() {
                try insert.execute(arguments: [event.seq, ordinal, item.area, item.code, item.subject, item.message])
            }
            return event
        }
    }

    /// A page of an exhibit's file rows in id order, for re-hashing with bounded memory.
    public func fileRows(exhibitID: Int64, after id: Int64, limit: Int) throws -> [FileRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, path, path_text, kind, size, link_target, sha256, md5, sha1 FROM files
                WHERE exhibit_id = ? AND id > ? ORDER BY id LIMIT ?
                """, arguments: [exhibitID, id, limit]).map { row in
                FileRow(id: Int64.fromDatabaseValue(row["id"]) ?? -1,
                        path: Data.fromDatabaseValue(row["path"]).map { [UInt8]($0) } ?? Array(Self.text(row["path"]).utf8),
                        pathText: Self.text(row["path_text"]),
                        kind: FileKind(rawValue: Self.text(row["kind"])) ?? .unknown,
                        size: Int64.fromDatabaseValue(row["size"]) ?? -1,
                        linkTarget: Data.fromDatabaseValue(row["link_target"]).map { [UInt8]($0) },
                        sha256: String.fromDatabaseValue(row["sha256"]),
                        md5: String.fromDatabaseValue(row["md5"]), sha1: String.fromDatabaseValue(row["sha1"]))
            }
        }
    }
}
