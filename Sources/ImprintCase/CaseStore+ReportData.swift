import Foundation
import GRDB
import ImprintBytes

/// One recorded file as a report lists it.
public struct ReportFileRow: Sendable, Equatable {
    public var id: Int64
    public var exhibitNumber: String
    public var path: String
    public var kind: String
    public var size: Int64
    public var mtimeNs: Int64
    public var sha256: String?
    public var md5: String?
    public var format: String?
    public var status: String
    public var width: Int?
    public var height: Int?
    public var errorCount: Int
    public var findingCount: Int
}

/// One recorded finding with its row ids, as a report lists it.
public struct ReportFindingRow: Sendable {
    public var id: Int64
    public var fileID: Int64
    public var runID: Int64
    public var finding: Finding
}

/// One recorded error of a file.
public struct ReportErrorRow: Sendable, Equatable {
    public var fileID: Int64
    public var error: RecordedError
}

/// An imported hash set as recorded.
public struct ReportHashSet: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var format: String
    public var sourceSHA256: String
    public var recordCount: Int64
    public var importedAtUTC: String
}

/// Read-only queries that reports need: every file, finding and error in a stable order
/// (so the same case always gives the same report bytes), and per-file metadata.
extension CaseStore {
    /// Every file row in (exhibit, path bytes) order, with its dimensions and counts.
    public func reportFiles() throws -> [ReportFileRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.id, e.exhibit_number, f.path_text, f.kind, f.size, f.mtime_ns, f.sha256, f.md5, f.format,
                       f.status, m.width, m.height,
                       (SELECT count(*) FROM file_errors r WHERE r.file_id = f.id) AS error_count,
                       (SELECT count(*) FROM findings x WHERE x.file_id = f.id) AS finding_count
                FROM files f JOIN exhibits e ON e.id = f.exhibit_id
                LEFT JOIN file_metadata m ON m.file_id = f.id
                ORDER BY f.exhibit_id, f.path, f.id
                """).map { row in
                ReportFileRow(id: Int64.fromDatabaseValue(row["id"]) ?? -1, exhibitNumber: Self.text(row["exhibit_number"]),
                              path: Self.text(row["path_text"]), kind: Self.text(row["kind"]),
                              size: Int64.fromDatabaseValue(row["size"]) ?? -1,
                              mtimeNs: Int64.fromDatabaseValue(row["mtime_ns"]) ?? 0,
                              sha256: String.fromDatabaseValue(row["sha256"]), md5: String.fromDatabaseValue(row["md5"]),
                              format: String.fromDatabaseValue(row["format"]), status: Self.text(row["status"]),
                              width: Int.fromDatabaseValue(row["width"]), height: Int.fromDatabaseValue(row["height"]),
                              errorCount: Int.fromDatabaseValue(row["error_count"]) ?? 0,
                              findingCount: Int.fromDatabaseValue(row["finding_count"]) ?? 0)
            }
        }
    }

    /// Every finding in (exhibit, path bytes, finding id) order.
    public func reportFindings() throws -> [ReportFindingRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT x.* FROM findings x JOIN files f ON f.id = x.file_id
                ORDER BY f.exhibit_id, f.path, x.id
                """).map(Self.reportFindingRow)
        }
    }

    // Swift 6.3.1's optimizer crashes (CopyPropagation, "Found ownership error") compiling
    // this conversion inside the closure in release builds, as it does for
    // `recordedFinding` in CaseStore+Findings; it is left unoptimised.
    @_optimize(none)
    private static func reportFindingRow(_ row: Row) -> ReportFindingRow {
        let finding = storedFinding(row)
        return ReportFindingRow(id: Int64.fromDatabaseValue(row["id"]) ?? -1,
                                fileID: Int64.fromDatabaseValue(row["file_id"]) ?? -1,
                                runID: Int64.fromDatabaseValue(row["run_id"]) ?? -1, finding: finding)
    }

    /// Every recorded file error, in (file id, error id) order.
    public func reportErrors() throws -> [ReportErrorRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM file_errors ORDER BY file_id, id").map { row in
                ReportErrorRow(fileID: Int64.fromDatabaseValue(row["file_id"]) ?? -1,
                               error: RecordedError(stage: Self.text(row["stage"]), analyzer: String.fromDatabaseValue(row["analyzer"]),
                                                    code: Self.text(row["code"]), message: Self.text(row["message"])))
            }
        }
    }

    /// The recorded metadata JSON of these files (as stored), by file id.
    public func metadataJSON(fileIDs: [Int64]) throws -> [Int64: String] {
        guard !fileIDs.isEmpty else { return [:] }
        return try pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT metadata_json FROM file_metadata WHERE file_id = ?")
            var out: [Int64: String] = [:]
            for id in fileIDs {
                if let text = try String.fetchOne(statement, arguments: [id]) { out[id] = text }
            }
            return out
        }
    }

    /// The recorded path bytes of these files, by file id (names need not be UTF-8).
    public func filePaths(ids: [Int64]) throws -> [Int64: [UInt8]] {
        guard !ids.isEmpty else { return [:] }
        return try pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT path FROM files WHERE id = ?")
            var out: [Int64: [UInt8]] = [:]
            for id in ids {
                if let data = try Data.fetchOne(statement, arguments: [id]) { out[id] = [UInt8](data) }
            }
            return out
        }
    }

    /// The imported hash sets, in import order.
    public func reportHashSets() throws -> [ReportHashSet] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM hash_sets ORDER BY id").map { row in
                ReportHashSet(id: Int64.fromDatabaseValue(row["id"]) ?? -1, name: Self.text(row["name"]),
                              format: Self.text(row["format"]), sourceSHA256: Self.text(row["source_sha256"]),
                              recordCount: Int64.fromDatabaseValue(row["record_count"]) ?? 0,
                              importedAtUTC: Self.text(row["imported_at_utc"]))
            }
        }
    }

    /// The SQLite library version the case is read with.
    public func sqliteVersion() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "unknown" }
    }

    /// Stored JSON parsed back; text that does not parse (a damaged row) is kept as a string.
    public static func parsedOrText(_ text: String) -> JSONValue {
        do { return try JSONParser.parse(text) } catch { return .string(text) }
    }
}
