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
    /// them with what its last `ingest.completed` event committed to.
    public func verifyExhibits() throws -> [ExhibitCheck] {
        let events = try custodyEvents()
        return try exhibits().map { exhibit in
            let inventory = try self.inventory(exhibitID: exhibit.id)
            var problems: [Discrepancy] = []
            for row in inventory.malformedRows {
                problems.append(.init(area: "file", code: "row-malformed", subject: row,
                                      message: "file \(row) (exhibit \(exhibit.number)): the recorded SHA-256 is not a valid hash (row edited)"))
            }
            // The last event that committed to this exhibit's inventory.
            let committing = events.last {
                ($0.action == "ingest.completed" || $0.action == "ingest.interrupted") && $0.subject == exhibit.number
            }
            let details = committing.flatMap { try? JSONParser.parse($0.detailsJSON) }
            let recordedRoot = details?["merkleRoot"]?.stringValue
            let latestRun = try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT id, status FROM analysis_runs WHERE exhibit_id = ? ORDER BY id DESC LIMIT 1",
                                 arguments: [exhibit.id])
            }
            let latestRunID = latestRun.flatMap { Int64.fromDatabaseValue($0["id"]) }
            let latestStatus = latestRun.map { Self.text($0["status"]) }
            let committedRunID = details?["runId"]?.intValue
            if latestStatus != "completed" {
                let state = latestStatus == "running" ? "was killed or is still running" : "was interrupted"
                problems.append(.init(area: "exhibit", code: "ingest-incomplete", subject: exhibit.number,
                                      message: "exhibit \(exhibit.number): the last ingest (run \(latestRunID ?? 0)) \(state); \(inventory.files) entries recorded so far; re-run the same ingest command to finish it"))
            }
            let explainedByIncompleteRun = latestStatus != "completed" && latestRunID != committedRunID
            if committing == nil {
                if latestStatus == "completed" {
                    problems.append(.init(area: "exhibit", code: "merkle-missing", subject: exhibit.number,
                                          message: "exhibit \(exhibit.number): no custody event commits to its \(inventory.files) file rows (events removed)"))
                }
            } else if recordedRoot != inventory.merkleRoot && !explainedByIncompleteRun {
                problems.append(.init(area: "exhibit", code: "merkle-mismatch", subject: exhibit.number,
                                      message: "exhibit \(exhibit.number): the file rows no longer match the Merkle root committed by custody event \(committing?.seq ?? 0) "
                                        + "(recorded \(recordedRoot ?? "none"), recomputed \(inventory.merkleRoot)): file rows were edited, added or removed"))
            }
            let completed = committing
            if !explainedByIncompleteRun, let recordedFiles = details?["inventory"]?["files"]?.intValue, recordedFiles != inventory.files {
                problems.append(.init(area: "exhibit", code: "row-count-mismatch", subject: exhibit.number,
                                      message: "exhibit \(exhibit.number): \(inventory.files) file rows, but custody event \(completed?.seq ?? 0) recorded \(recordedFiles)"))
            }
            return ExhibitCheck(exhibit: exhibit, inventory: inventory, recordedRoot: recordedRoot, discrepancies: problems)
        }
    }

    /// A page of an exhibit's file rows in id order, for re-hashing with bounded memory.
    public func fileRows(exhibitID: Int64, after id: Int64, limit: Int) throws -> [FileRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, path, path_text, kind, size, link_target, sha256, md5 FROM files
                WHERE exhibit_id = ? AND id > ? ORDER BY id LIMIT ?
                """, arguments: [exhibitID, id, limit]).map { row in
                FileRow(id: Int64.fromDatabaseValue(row["id"]) ?? -1,
                        path: Data.fromDatabaseValue(row["path"]).map { [UInt8]($0) } ?? Array(Self.text(row["path"]).utf8),
                        pathText: Self.text(row["path_text"]),
                        kind: FileKind(rawValue: Self.text(row["kind"])) ?? .unknown,
                        size: Int64.fromDatabaseValue(row["size"]) ?? -1,
                        linkTarget: Data.fromDatabaseValue(row["link_target"]).map { [UInt8]($0) },
                        sha256: String.fromDatabaseValue(row["sha256"]),
                        md5: String.fromDatabaseValue(row["md5"]))
            }
        }
    }
}
