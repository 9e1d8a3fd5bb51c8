import Crypto
import Foundation
import GRDB
import ImprintBytes

extension CaseStore {
    /// Checks what the hash-set and tag events commit to, trusting only the custody log:
    /// - `hashset.imported`: the set row's source SHA-256, kind and count, and the SHA-256
    ///   over its stored entries (`entriesSha256`, events written since schema v6);
    /// - `tag.added` / `tag.removed`: the SHA-256 over the `tag_events` rows of the event;
    /// - `hashset.exported`: the export rebuilt from the record as of `asOfSeq` has the
    ///   recorded SHA-256;
    /// - complete sets and tag rows that no event records.
    public func verifyHashSetsAndTags(events: [CustodyEvent]) throws -> [Discrepancy] {
        var problems: [Discrepancy] = []
        var recordedSets = Set<Int64>()
        var tagEvents = Set<Int64>()
        for event in events {
            guard let details = try? JSONParser.parse(event.detailsJSON) else { continue }
            let subject = String(event.seq)
            switch event.action {
            case "hashset.imported":
                guard let setID = details["setId"]?.intValue else { continue }
                recordedSets.insert(setID)
                if let problem = try checkSet(setID, details: details, event: event) {
                    problems.append(.init(area: "hashset", code: "hashset-mismatch", subject: subject, message: problem))
                }
            case "tag.added", "tag.removed":
                tagEvents.insert(event.seq)
                let rows = try pool.read { db in
                    try Row.fetchAll(db, sql: "SELECT file_id, tag, action, note FROM tag_events WHERE event_seq = ? ORDER BY id",
                                     arguments: [event.seq]).map { row in
                        TagRow(fileID: Int64.fromDatabaseValue(row["file_id"]) ?? -1, tag: Self.text(row["tag"]),
                               action: Self.text(row["action"]), note: String.fromDatabaseValue(row["note"]))
                    }
                }
                if TagRow.digest(rows) != details["rowsSha256"]?.stringValue || rows.count != details["fileCount"]?.intValue.map(Int.init) {
                    problems.append(.init(area: "tags", code: "tags-mismatch", subject: subject,
                                          message: "tags: the \(rows.count) tag row(s) of custody event \(event.seq) (\(event.action)) no longer match what it recorded (rows edited, added or removed)"))
                }
            case "hashset.exported":
                guard let options = HashSetExportOptions(json: details["options"]), let tag = details["tag"]?.stringValue,
                      let asOf = details["asOfSeq"]?.intValue else { continue }
                let rebuilt = try buildExport(tag: tag, options: options, asOfSeq: asOf)
                if rebuilt.sha256 != details["outputSha256"]?.stringValue {
                    problems.append(.init(area: "export", code: "export-mismatch", subject: subject,
                                          message: "export: rebuilding the \(options.format.rawValue) export of tag '\(tag)' recorded by custody event \(event.seq) gives SHA-256 \(rebuilt.sha256), not the recorded \(details["outputSha256"]?.stringValue ?? "none") (tag or file rows changed)"))
                }
            default:
                continue
            }
        }
        let stray = try pool.read { db in
            (try Int64.fetchAll(db, sql: "SELECT id FROM hash_sets WHERE source_sha256 <> '' ORDER BY id"),
             try Int64.fetchAll(db, sql: "SELECT DISTINCT event_seq FROM tag_events ORDER BY event_seq"))
        }
        for id in stray.0 where !recordedSets.contains(id) {
            problems.append(.init(area: "hashset", code: "hashset-unaccounted", subject: String(id),
                                  message: "hash set \(id): no custody event records its import (row inserted)"))
        }
        for seq in stray.1 where !tagEvents.contains(seq) {
            problems.append(.init(area: "tags", code: "tags-unaccounted", subject: String(seq),
                                  message: "tags: tag rows name custody event \(seq), which is not a tag event (rows inserted)"))
        }
        return problems
    }

    private func checkSet(_ setID: Int64, details: JSONValue, event: CustodyEvent) throws -> String? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT source_sha256, record_count, kind FROM hash_sets WHERE id = ?",
                                             arguments: [setID]) else {
                return "hash set \(setID), imported at custody event \(event.seq), is missing (row deleted)"
            }
            let count = try Int64.fetchOne(db, sql: "SELECT count(*) FROM hash_set_entries WHERE set_id = ?", arguments: [setID]) ?? 0
            if Self.text(row["source_sha256"]) != details["sourceSha256"]?.stringValue
                || Int64.fromDatabaseValue(row["record_count"]) != details["recordCount"]?.intValue
                || count != details["recordCount"]?.intValue
                || (details["kind"] != nil && Self.text(row["kind"]) != details["kind"]?.stringValue) {
                return "hash set \(setID) no longer matches custody event \(event.seq): \(count) entries, recorded \(details["recordCount"]?.intValue ?? -1) (set or entries edited)"
            }
            guard let recorded = details["entriesSha256"]?.stringValue else { return nil }
            var hasher = SHA256()
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT algorithm, value, quality, category, meta FROM hash_set_entries WHERE set_id = ? ORDER BY rowid
                """, arguments: [setID])
            while let entry = try cursor.next() {
                HashSetEntryDigest.update(&hasher, algorithm: Self.text(entry["algorithm"]),
                                          value: Data.fromDatabaseValue(entry["value"]).map { [UInt8]($0) } ?? [],
                                          quality: Int64.fromDatabaseValue(entry["quality"]),
                                          category: String.fromDatabaseValue(entry["category"]), meta: String.fromDatabaseValue(entry["meta"]))
            }
            if Hex.encode(hasher.finalize()) != recorded {
                return "hash set \(setID): its entries no longer match the SHA-256 recorded by custody event \(event.seq) (entries edited)"
            }
            return nil
        }
    }
}
