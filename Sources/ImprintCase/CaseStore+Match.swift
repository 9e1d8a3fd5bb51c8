import Foundation
import GRDB
import ImprintBytes

/// A file's recorded cryptographic hashes (lowercase hex), for exact hash-set matching.
public struct FileDigests: Sendable {
    public var fileID: Int64
    public var md5: String?
    public var sha256: String?
    /// NULL for files recorded before schema v6 (SHA-1 was not computed then).
    public var sha1: String? = nil
}

/// One hash-set entry found for a file value, with its set.
public struct HashSetHit: Sendable {
    public var setName: String
    public var setID: Int64
    public var algorithm: String
    public var valueHex: String
    public var quality: Int?
    public var meta: String?
    public var kind: HashSetKind = .notable
    public var category: String? = nil
    public var setVersion: String? = nil
    public var sourceSHA256: String = ""
}

/// A finding produced by `imprint match`, for one file.
public struct MatchFinding: Sendable {
    public var fileID: Int64
    public var finding: Finding
    public init(fileID: Int64, finding: Finding) {
        self.fileID = fileID
        self.finding = finding
    }
}

/// The PDQ entries of every complete set, as parallel arrays (rowid and value), small
/// enough to index a million of them.
public struct PDQEntryTable: Sendable {
    public var rowIDs: [Int64] = []
    public var values: [[UInt8]] = []
}

extension CaseStore {
    /// Sets whose import completed (a killed import leaves a set without source SHA-256).
    static let completeSets = "s.source_sha256 <> ''"

    /// Every file with an MD5 or SHA-256, in id order.
    public func fileDigests() throws -> [FileDigests] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, md5, sha256, sha1 FROM files WHERE md5 IS NOT NULL OR sha256 IS NOT NULL ORDER BY id
                """).map { row in
                FileDigests(fileID: Int64.fromDatabaseValue(row["id"]) ?? -1,
                            md5: String.fromDatabaseValue(row["md5"]), sha256: String.fromDatabaseValue(row["sha256"]),
                            sha1: String.fromDatabaseValue(row["sha1"]))
            }
        }
    }

    /// The algorithms that complete sets hold entries of.
    public func hashSetAlgorithms() throws -> Set<String> {
        try pool.read { db in
            var out = Set<String>()
            for algorithm in ["md5", "sha1", "sha256", "pdq"] where try Int.fetchOne(db, sql: """
                SELECT 1 FROM hash_set_entries e JOIN hash_sets s ON s.id = e.set_id
                WHERE e.algorithm = ? AND \(Self.completeSets) LIMIT 1
                """, arguments: [algorithm]) != nil {
                out.insert(algorithm)
            }
            return out
        }
    }

    /// Entries with exactly this value (indexed lookup on (algorithm, value)), by set id.
    public func hashSetEntries(algorithm: String, hex: String) throws -> [HashSetHit] {
        guard let bytes = Hex.decode(hex) else { return [] }
        return try pool.read { db in
            try Self.hits(db, sql: """
                SELECT s.id, s.name, s.kind, s.version, s.source_sha256, e.algorithm, e.value, e.quality, e.meta, e.category
                FROM hash_set_entries e JOIN hash_sets s ON s.id = e.set_id
                WHERE e.algorithm = ? AND e.value = ? AND \(Self.completeSets) ORDER BY s.id, e.rowid
                """, arguments: [algorithm, Data(bytes)])
        }
    }

    /// Every PDQ entry of quality ≥ `minimumQuality` (or without a quality) of a complete set.
    public func pdqEntryTable(minimumQuality: Int) throws -> PDQEntryTable {
        try pool.read { db in
            var table = PDQEntryTable()
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT e.rowid AS rid, e.value FROM hash_set_entries e JOIN hash_sets s ON s.id = e.set_id
                WHERE e.algorithm = 'pdq' AND (e.quality IS NULL OR e.quality >= ?) AND \(Self.completeSets)
                ORDER BY s.id, e.rowid
                """, arguments: [minimumQuality])
            while let row = try cursor.next() {
                table.rowIDs.append(Int64.fromDatabaseValue(row["rid"]) ?? -1)
                table.values.append(Data.fromDatabaseValue(row["value"]).map { [UInt8]($0) } ?? [])
            }
            return table
        }
    }

    /// The entry with this rowid, with its set.
    public func hashSetEntry(rowID: Int64) throws -> HashSetHit? {
        try pool.read { db in
            try Self.hits(db, sql: """
                SELECT s.id, s.name, s.kind, s.version, s.source_sha256, e.algorithm, e.value, e.quality, e.meta, e.category
                FROM hash_set_entries e JOIN hash_sets s ON s.id = e.set_id WHERE e.rowid = ?
                """, arguments: [rowID]).first
        }
    }

    /// Every PDQ entry of quality ≥ `minimumQuality` (or without a quality), in set and row order.
    public func pdqHashSetEntries(minimumQuality: Int) throws -> [HashSetHit] {
        try pool.read { db in
            try Self.hits(db, sql: """
                SELECT s.id, s.name, s.kind, s.version, s.source_sha256, e.algorithm, e.value, e.quality, e.meta, e.category
                FROM hash_set_entries e JOIN hash_sets s ON s.id = e.set_id
                WHERE e.algorithm = 'pdq' AND (e.quality IS NULL OR e.quality >= ?) AND \(Self.completeSets)
                ORDER BY s.id, e.rowid
                """, arguments: [minimumQuality])
        }
    }

    private static func hits(_ db: Database, sql: String, arguments: StatementArguments) throws -> [HashSetHit] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let value = Data.fromDatabaseValue(row["value"]) ?? Data()
            return HashSetHit(setName: text(row["name"]), setID: Int64.fromDatabaseValue(row["id"]) ?? -1,
                              algorithm: text(row["algorithm"]), valueHex: Hex.encode(value),
                              quality: Int.fromDatabaseValue(row["quality"]), meta: String.fromDatabaseValue(row["meta"]),
                              kind: HashSetKind(rawValue: text(row["kind"])) ?? .notable,
                              category: String.fromDatabaseValue(row["category"]),
                              setVersion: String.fromDatabaseValue(row["version"]), sourceSHA256: text(row["source_sha256"]))
        }
    }

    /// Records a completed `match` run, its findings and the `analysis.run` custody event in
    /// one transaction. A finding identical (file, label, details) to one already recorded by
    /// an earlier match run is not recorded again; the run counts it as already recorded.
    @discardableResult
    public func recordMatchRun(_ findings: [MatchFinding], options: JSONValue, summary: JSONValue,
                               actor: Actor) throws -> (runID: Int64, recorded: Int, alreadyRecorded: Int) {
        let now = Timestamp.nowUTC()
        return try pool.write { db in
            try db.execute(sql: """
                INSERT INTO analysis_runs (kind, exhibit_id, started_at_utc, ended_at_utc, status, examiner, host,
                                           tool_version, options_json)
                VALUES ('match', NULL, ?, ?, 'completed', ?, ?, ?, ?)
                """, arguments: [now, now, actor.examiner, actor.host, actor.toolVersion, options.canonical()])
            let runID = db.lastInsertedRowID
            let exists = try db.cachedStatement(sql: """
                SELECT 1 FROM findings f JOIN analysis_runs r ON r.id = f.run_id
                WHERE f.file_id = ? AND f.label = ? AND f.details_json = ? AND r.kind = 'match' LIMIT 1
                """)
            let insert = try db.cachedStatement(sql: """
                INSERT INTO findings (file_id, run_id, analyzer, analyzer_version, category, label, strength, score,
                                      summary, details_json, location_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var recorded = 0
            var already = 0
            for item in findings {
                let f = item.finding
                let details = f.details.canonical()
                if try Int.fetchOne(exists, arguments: [item.fileID, f.label, details]) != nil {
                    already += 1
                    continue
                }
                try insert.execute(arguments: [item.fileID, runID, f.analyzer, f.analyzerVersion, f.category.rawValue,
                                               f.label, f.strength.rawValue, f.score, f.summary, details,
                                               f.location?.canonical()])
                recorded += 1
            }
            let counts = JSONValue.object(["recordedFindings": .integer(recorded), "alreadyRecorded": .integer(already)])
            try db.execute(sql: "UPDATE analysis_runs SET summary_json = ? WHERE id = ?",
                           arguments: [JSONValue.object(["counts": counts, "summary": summary]).canonical(), runID])
            _ = try appendCustody(db, actor: actor, action: "analysis.run", subject: "run \(runID)", details: .object([
                "analysis": .string("hashset-match"),
                "runId": .int(runID),
                "summary": summary,
                "recordedFindings": .integer(recorded),
                "alreadyRecorded": .integer(already),
            ]))
            return (runID, recorded, already)
        }
    }
}
