import Foundation
import GRDB
import ImprintBytes

/// A recorded finding with the file and exhibit it belongs to.
public struct RecordedFinding: Sendable {
    public var exhibitNumber: String
    public var path: String
    public var sha256: String?
    public var runID: Int64
    public var finding: Finding

    public var json: JSONValue {
        guard case .object(let members) = finding.json else { return finding.json }
        return .object([.init("exhibit", .string(exhibitNumber)), .init("path", .string(path)),
                        .init("sha256", sha256.map(JSONValue.string) ?? .null), .init("runId", .int(runID))] + members)
    }
}

/// Where a page of findings ends: the sort key of its last row.
struct FindingPageKey {
    var exhibit: Int64
    var path: Data
    var id: Int64
}

extension CaseStore {
    /// Findings whose label starts with `labelPrefix` (all when nil), in file order, passed
    /// to `body` one at a time, read a page at a time so a large case is listed with
    /// bounded memory.
    public func forEachFinding(labelPrefix: String?, pageSize: Int = 1000, _ body: (RecordedFinding) throws -> Void) throws {
        var after = FindingPageKey(exhibit: Int64.min, path: Data(), id: Int64.min)
        while true {
            let rows = try findingRows(labelPrefix: labelPrefix, after: after, limit: pageSize)
            for row in rows { try body(Self.recordedFinding(row)) }
            guard rows.count == pageSize, let last = rows.last else { return }
            after = FindingPageKey(exhibit: Int64.fromDatabaseValue(last["key_exhibit"]) ?? 0,
                                   path: Data.fromDatabaseValue(last["key_path"]) ?? Data(),
                                   id: Int64.fromDatabaseValue(last["id"]) ?? 0)
        }
    }

    private func findingRows(labelPrefix: String?, after: FindingPageKey, limit: Int) throws -> [Row] {
        // LIKE with an escape, so '_' and '%' in a label prefix match literally.
        let pattern = (labelPrefix ?? "").replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        let arguments: StatementArguments = [pattern, after.exhibit, after.path, after.id, limit]
        return try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.exhibit_number, f.exhibit_id AS key_exhibit, f.path AS key_path, f.path_text, f.sha256, x.*
                FROM findings x JOIN files f ON f.id = x.file_id JOIN exhibits e ON e.id = f.exhibit_id
                WHERE x.label LIKE ? ESCAPE '\\' AND (f.exhibit_id, f.path, x.id) > (?, ?, ?)
                ORDER BY f.exhibit_id, f.path, x.id LIMIT ?
                """, arguments: arguments)
        }
    }

    /// A `findings` row as the `Finding` it records; details or a location that are not
    /// JSON (a tampered row) are kept as text. Shared by the listings and the report.
    // Swift 6.3.1's optimizer crashes (CopyPropagation) on this conversion in release
    // builds; it is left unoptimised.
    @_optimize(none)
    static func storedFinding(_ row: Row) -> Finding {
        Finding(analyzer: text(row["analyzer"]), analyzerVersion: text(row["analyzer_version"]),
                category: Finding.Category(rawValue: text(row["category"])) ?? .integrity,
                label: text(row["label"]), strength: Finding.Strength(rawValue: text(row["strength"])) ?? .info,
                score: Double.fromDatabaseValue(row["score"]), summary: text(row["summary"]),
                details: parsedOrText(text(row["details_json"])),
                location: String.fromDatabaseValue(row["location_json"]).map(parsedOrText))
    }

    // Swift 6.3.1's optimizer crashes (CopyPropagation, "Found ownership error") compiling
    // this function in release builds; it runs once per listed finding, so it is simply
    // left unoptimised rather than contorted.
    @_optimize(none)
    private static func recordedFinding(_ row: Row) -> RecordedFinding {
        let finding = storedFinding(row)
        return RecordedFinding(exhibitNumber: text(row["exhibit_number"]), path: text(row["path_text"]),
                               sha256: String.fromDatabaseValue(row["sha256"]),
                               runID: Int64.fromDatabaseValue(row["run_id"]) ?? 0, finding: finding)
    }
}
