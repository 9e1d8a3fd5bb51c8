import Crypto
import Foundation
import GRDB
import ImprintBytes

/// The outcome of one hash-set import.
public struct HashSetImport: Sendable {
    public var setID: Int64
    public var name: String
    public var format: HashSetFormat
    public var kind: HashSetKind
    public var sourceSHA256: String
    /// Entries stored (a VICS media record with MD5 and SHA1 gives two).
    public var recordCount: Int
    /// Lines, rows or media records that held no usable hash.
    public var invalidLines: Int
    /// Up to 100 invalid lines as (line number, reason) (spec §2).
    public var invalidSamples: [(line: Int, reason: String)]
    public var lowQualityPDQ: Int
    /// What the source declared: NSRL `VERSION`, VICS `@odata.context`, counts.
    public var sourceInfo: JSONValue = .object([])
}

extension CaseStore {
    /// Rows inserted per transaction.
    static let hashSetBatch = 50_000

    /// Streams a hash set into `hash_sets` / `hash_set_entries` in batched transactions;
    /// the final transaction records the counts and the `hashset.imported` custody event,
    /// which commits to the entries by `entriesSha256`. On any error the partial set is
    /// removed; a set left by a killed import has no source SHA-256 and is never matched.
    public func importHashSet(path: String, name: String, format requested: HashSetFormat,
                              kind: HashSetKind? = nil, actor: Actor) throws -> HashSetImport {
        let format = requested == .auto ? try HashSetFormatDetector.detect(path: path) : requested
        let kind = kind ?? format.defaultKind
        let setID: Int64 = try pool.write { db in
            try db.execute(sql: """
                INSERT INTO hash_sets (name, format, source_sha256, record_count, invalid_lines, imported_at_utc, kind)
                VALUES (?, ?, '', 0, 0, ?, ?)
                """, arguments: [name, format.rawValue, Timestamp.nowUTC(), kind.rawValue])
            return db.lastInsertedRowID
        }
        var writer = EntryWriter(setID: setID)
        var result = HashSetImport(setID: setID, name: name, format: format, kind: kind, sourceSHA256: "", recordCount: 0,
                                   invalidLines: 0, invalidSamples: [], lowQualityPDQ: 0)
        func invalid(_ line: Int, _ reason: String) {
            result.invalidLines += 1
            if result.invalidSamples.count < 100 { result.invalidSamples.append((line, reason)) }
        }
        do {
            var version: String?
            switch format {
            case .nsrl:
                let summary = try NSRLReader.read(path: path, entry: { try writer.add($0, store: self) }, invalid: invalid)
                result.sourceSHA256 = try Self.sha256(ofFile: path)
                version = summary.version
                result.sourceInfo = .object(["rows": .integer(summary.rows), "version": summary.versionRow])
            case .vics:
                let summary = try VICSReader.read(path: path, entry: { try writer.add($0, store: self) }, invalid: invalid)
                result.sourceSHA256 = summary.sourceSHA256
                version = summary.context
                result.sourceInfo = .object([
                    "context": summary.context.map(JSONValue.string), "mediaRecords": .integer(summary.mediaRecords),
                    "cases": .integer(summary.cases), "photoDNAValuesNotStored": .integer(summary.photoDNAValuesDropped),
                ])
            case .auto, .md5, .sha1, .sha256, .pdq:
                result.sourceSHA256 = try readLines(path: path, format: format, invalid: invalid) { entry in
                    if entry.algorithm == "pdq", let q = entry.quality, q < 50 { result.lowQualityPDQ += 1 }
                    try writer.add(entry, store: self)
                }
            }
            result.recordCount = writer.count
            let final = result
            let last = writer.sortedBatch()
            let entriesSHA = writer.digest()
            try pool.write { db in
                try Self.insertEntries(db, last, setID: setID)
                try db.execute(sql: """
                    UPDATE hash_sets SET source_sha256 = ?, record_count = ?, invalid_lines = ?, version = ?, notes = ? WHERE id = ?
                    """, arguments: [final.sourceSHA256, final.recordCount, final.invalidLines, version,
                                     final.sourceInfo.canonical(), setID])
                _ = try appendCustody(db, actor: actor, action: "hashset.imported", subject: "hash set \(setID)", details: .object([
                    "setId": .int(setID),
                    "name": .string(name),
                    "format": .string(format.rawValue),
                    "kind": .string(kind.rawValue),
                    "sourceSha256": .string(final.sourceSHA256),
                    "recordCount": .integer(final.recordCount),
                    "invalidLines": .integer(final.invalidLines),
                    "entriesSha256": .string(entriesSHA),
                    "source": final.sourceInfo,
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

    /// Text lists (plain hashes, md5sum-style, PDQ): returns the file's SHA-256.
    private func readLines(path: String, format: HashSetFormat, invalid: (Int, String) -> Void,
                           entry: (HashSetEntry) throws -> Void) throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else { throw HashSetImportError.unreadable(path) }
        var stream = try LineStream(path: path, maxLine: HashSetLine.maxLineBytes)
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
            case .invalid(let reason): invalid(lineNumber, reason)
            case .entry(let e): try entry(e)
            }
        }
        return stream.sha256Hex
    }

    static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw HashSetImportError.unreadable(path) }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { hasher.update(data: data) }
        return Hex.encode(hasher.finalize())
    }

    /// Batches entries into transactions. Each batch is inserted sorted by (algorithm,
    /// value), so the lookup index is written page by page rather than at random, and is
    /// hashed in that insertion (rowid) order: the digest `verify` recomputes from the
    /// stored rows (`HashSetEntryDigest`).
    struct EntryWriter {
        let setID: Int64
        var batch: [HashSetEntry] = []
        var count = 0
        var hasher = SHA256()

        init(setID: Int64) { self.setID = setID }

        mutating func add(_ entry: HashSetEntry, store: CaseStore) throws {
            batch.append(entry)
            count += 1
            if batch.count >= CaseStore.hashSetBatch {
                let rows = sortedBatch()
                let id = setID
                try store.pool.write { db in try CaseStore.insertEntries(db, rows, setID: id) }
                batch.removeAll(keepingCapacity: true)
            }
        }

        /// The pending batch in insertion order, hashed into the digest.
        mutating func sortedBatch() -> [HashSetEntry] {
            let rows = batch.sorted { a, b in
                a.algorithm != b.algorithm ? a.algorithm < b.algorithm : a.value.lexicographicallyPrecedes(b.value)
            }
            for entry in rows {
                HashSetEntryDigest.update(&hasher, algorithm: entry.algorithm, value: entry.value,
                                          quality: entry.quality.map(Int64.init), category: entry.category, meta: entry.meta)
            }
            return rows
        }

        func digest() -> String { Hex.encode(hasher.finalize()) }
    }

    static func insertEntries(_ db: Database, _ entries: [HashSetEntry], setID: Int64) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO hash_set_entries (set_id, algorithm, value, quality, meta, category) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for entry in entries {
            try insert.execute(arguments: [setID, entry.algorithm, Data(entry.value), entry.quality, entry.meta, entry.category])
        }
    }
}

/// The SHA-256 over a set's entries in insertion order that `hashset.imported` commits to:
/// for each entry enc(algorithm) ‖ enc(value, the raw bytes) ‖ enc(quality or "") ‖
/// enc(category flag ‖ category) ‖ enc(meta flag ‖ meta), enc as in the custody hash
/// (4-byte big-endian length, then the bytes; flag "1" when present, "0" alone when absent).
enum HashSetEntryDigest {
    static func update(_ hasher: inout SHA256, algorithm: String, value: [UInt8], quality: Int64?,
                       category: String?, meta: String?) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + value.count + (meta?.utf8.count ?? 0))
        CanonicalEncoding.append(algorithm, to: &bytes)
        CanonicalEncoding.append(value, to: &bytes)
        CanonicalEncoding.append(quality.map(String.init) ?? "", to: &bytes)
        CanonicalEncoding.append(category.map { "1" + $0 } ?? "0", to: &bytes)
        CanonicalEncoding.append(meta.map { "1" + $0 } ?? "0", to: &bytes)
        hasher.update(data: bytes)
    }
}

/// Tells the formats apart for `--format auto`: the SQLite header means NSRL RDSv3, a
/// JSON object means VICS; anything else is a text list.
public enum HashSetFormatDetector {
    public static func detect(path: String) throws -> HashSetFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw HashSetImportError.unreadable(path) }
        defer { try? handle.close() }
        let head = [UInt8]((try handle.read(upToCount: 4096)) ?? Data())
        if head.starts(with: NSRLReader.sqliteMagic) { return .nsrl }
        var body = head[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let first = body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == 0x7B { return .vics }
        return .auto
    }
}
