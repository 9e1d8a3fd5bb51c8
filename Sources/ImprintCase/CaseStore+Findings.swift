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

extension CaseStore {
    /// Findings whose label starts with `labelPrefix` (all when nil), in file order, passed
    /// to `body` one at a time so a large case is listed with bounded memory.
    public func forEachFinding(labelPrefix: String?, _ body: (RecordedFinding) throws -> Void) throws {
        try pool.read { db in
            // LIKE with an escape, so '_' and '%' in a label prefix match literally.
            let pattern = (labelPrefix ?? "").replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            let rows = try Row.fetchCursor(db, sql: """
                SELECT e.exhibit_number, f.path_text, f.sha256, x.*
                FROM findings x JOIN files f ON f.id = x.file_id JOIN exhibits e ON e.id = f.exhibit_id
                WHERE x.label LIKE ? ESCAPE '\\'
                ORDER BY f.exhibit_id, f.path, x.id
                """, arguments: [pattern])
            while let row = try rows.next() {
                let details = (try? JSONParser.parse(Self.text(row["details_json"]))) ?? .string(Self.text(row["details_json"]))
                let location = String.fromDatabaseValue(row["location_json"]).flatMap { try? JSONParser.parse($0) }
                let finding = Finding(
                    analyzer: Self.text(row["analyzer"]), analyzerVersion: Self.text(row["analyzer_version"]),
                    category: Finding.Category(rawValue: Self.text(row["category"])) ?? .integrity,
                    label: Self.text(row["label"]),
                    strength: Finding.Strength(rawValue: Self.text(row["strength"])) ?? .info,
                    score: Double.fromDatabaseValue(row["score"]), summary: Self.text(row["summary"]),
                    details: details, location: location)
                try body(RecordedFinding(exhibitNumber: Self.text(row["exhibit_number"]), path: Self.text(row["path_text"]),
                                         sha256: String.fromDatabaseValue(row["sha256"]),
                                         runID: Int64.fromDatabaseValue(row["run_id"]) ?? 0, finding: finding))
            }
        }
    }
}
