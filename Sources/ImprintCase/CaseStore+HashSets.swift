import Foundation
import GRDB
import ImprintBytes

/// The outcome of one hash-set import.
public struct HashSetImport: Sendable {
    public var setID: Int64
    public var name: String
    public var format: HashSetFormat
    public var sourceSHA256: String
    public var recordCount: Int
    public var invalidLines: Int
    /// Up to 100 invalid lines as (line number, reason) (spec §2).
    public var invalidSamples: [(line: Int, reason: String)]
    public var lowQualityPDQ: Int
}

extension CaseStore {
    /// Rows inserted per transaction.
    static let hashSetBatch = 50_000

    /// Streams a hash list into `hash_sets` / `hash_set_entries` in batched transactions;
    /// the final transaction records the counts and the `hashset.imported` custody event.
    /// On an error the partial set is removed.
    public func importHashSet(path: String, name: String, format: HashSetFormat, actor: Actor) throws -> HashSetImport {
        var stream = try LineStream(path: path, maxLine: HashSetLine.maxLineBytes)
        let setID: Int64 = try pool.write { db in
            try db.execute(sql: """
                INSERT INTO hash_sets (name, format, source_sha256, record_count, invalid_lines, imported_at_utc)
                VALUES (?, ?, '', 0, 0, ?)
                """, arguments: [name, format.rawValue, Timestamp.nowUTC()])
            return db.lastInsertedRowID
        }
        var result = HashSetImport(setID: setID, name: name, format: format, sourceSHA256: "", recordCount: 0,
                                   invalidLines: 0, invalidSamples: [], lowQualityPDQ: 0)
        do {
            var batch: [HashSetEntry] = []
            var lineNumber = 0
            while let bytes = try stream.nextLine() {
                lineNumber += 1
                let parsed: HashSetLine
                if bytes.count > HashSetLine.maxLineBytes {
                    parsed = .invalid("line too long")
                } else if let text = String(validating: bytes, as: UTF8.self) {
                    parsed = HashSetLine.parse(text, format: format)
                } else {
                    parsed = .invalid("not UTF-8")
                }
                switch parsed {
                case .skip: continue
                case .invalid(let reason):
                    result.invalidLines += 1
                    if result.invalidSamples.count < 100 { result.invalidSamples.append((lineNumber, reason)) }
                case .entry(let entry):
                    if entry.algorithm == "pdq", let q = entry.quality, q < 50 { result.lowQualityPDQ += 1 }
                    batch.append(entry)
                    if batch.count >= Self.hashSetBatch {
                        try insertEntries(batch, setID: setID)
                        result.recordCount += batch.count
                        batch.removeAll(keepingCapacity: true)
                    }
                }
            }
            result.recordCount += batch.count
            result.sourceSHA256 = stream.sha256Hex
            let final = result
            try pool.write { db in
                try Self.insertEntries(db, batch, setID: setID)
                try db.execute(sql: """
                    UPDATE hash_sets SET source_sha256 = ?, record_count = ?, invalid_lines = ? WHERE id = ?
                    """, arguments: [final.sourceSHA256, final.recordCount, final.invalidLines, setID])
                _ = try appendCustody(db, actor: actor, action: "hashset.imported", subject: "hash set \(setID)", details: .object([
                    "setId": .int(setID),
                    "name": .string(name),
                    "format": .string(format.rawValue),
                    "sourceSha256": .string(final.sourceSHA256),
                    "recordCount": .integer(final.recordCount),
                    "invalidLines": .integer(final.invalidLines),
                ]))
            }
        } catch {
            try? pool.write { db in
                try db.execute(sql: "DELETE FROM hash_set_entries WHERE set_id = ?", arguments: [setID])
                try db.execute(sql: "DELETE FROM hash_sets WHERE id = ?", arguments: [setID])
            }
            throw error
        }
        return result
    }

    private func insertEntries(_ entries: [HashSetEntry], setID: Int64) throws {
        try pool.write { db in try Self.insertEntries(db, entries, setID: setID) }
    }

    private static func insertEntries(_ db: Database, _ entries: [HashSetEntry], setID: Int64) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO hash_set_entries (set_id, algorithm, value, quality, meta) VALUES (?, ?, ?, ?, ?)
            """)
        for entry in entries {
            try insert.execute(arguments: [setID, entry.algorithm, Data(entry.value), entry.quality, entry.meta])
        }
    }
}
