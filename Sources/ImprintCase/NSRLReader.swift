import Foundation
import GRDB
import ImprintBytes

/// Streams a NIST NSRL RDSv3 database (SQLite; HASH-SETS.md §5). The database is opened
/// read-only and rows are read through a cursor, never loaded whole. The `FILE` table
/// or view must have the minimal schema's columns; imprint refuses to guess otherwise.
/// Each row gives one entry, its strongest valid hash (SHA-256, else SHA-1, else MD5):
/// every file imprint records has a SHA-256, so the weaker hashes of the same row would
/// only repeat the match.
struct NSRLReader {
    static let requiredColumns = ["sha256", "sha1", "md5", "file_name", "file_size", "package_id"]
    static let hashColumns = ["sha256", "sha1", "md5"]
    static let sqliteMagic = Array("SQLite format 3\u{0}".utf8)

    struct Summary {
        var rows = 0
        var version: String?
        /// The `VERSION` table's first row, when present.
        var versionRow: JSONValue?
    }

    static func read(path: String, entry: (HashSetEntry) throws -> Void,
                     invalid: (_ row: Int, _ reason: String) -> Void) throws -> Summary {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw HashSetImportError.unreadable(path) }
        let header = [UInt8]((try? handle.read(upToCount: 16)) ?? Data())
        try? handle.close()
        guard header == sqliteMagic else {
            throw HashSetImportError.malformed(path: path, detail: "not an NSRL RDSv3 database (no SQLite header)")
        }
        // An absolute path, so SQLite never reads the name as a URI; read-only, so the
        // database (often on a read-only medium) is never written.
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var config = Configuration()
        config.readonly = true
        config.label = "nsrl"
        do {
            let queue = try DatabaseQueue(path: absolute, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in try read(db, path: path, entry: entry, invalid: invalid) }
        } catch let error as DatabaseError {
            throw HashSetImportError.malformed(path: path, detail: "NSRL database unreadable: \(error.message ?? error.description)")
        }
    }

    private static func read(_ db: Database, path: String, entry: (HashSetEntry) throws -> Void,
                             invalid: (Int, String) -> Void) throws -> Summary {
        let objects = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        guard objects.contains("FILE") else {
            throw HashSetImportError.malformed(path: path, detail: "not an NSRL RDSv3 database (no FILE table or view)")
        }
        let columns = Set(try Row.fetchAll(db, sql: "PRAGMA table_info(\"FILE\")").map { Self.text($0["name"]).lowercased() })
        let missing = requiredColumns.filter { !columns.contains($0) }
        guard missing.isEmpty else {
            throw HashSetImportError.malformed(path: path, detail: "the FILE table differs from the RDSv3 minimal schema (missing \(missing.joined(separator: ", "))); imprint does not guess")
        }
        var summary = Summary()
        if objects.contains("VERSION"), let row = try Row.fetchOne(db, sql: "SELECT * FROM VERSION LIMIT 1") {
            var members: [JSONValue.Member] = []
            for (name, value) in row {
                switch value.storage {
                case .string(let s): members.append(.init(name, .string(s)))
                case .int64(let i): members.append(.init(name, .int(i)))
                case .double(let d): members.append(.init(name, .double(d)))
                default: members.append(.init(name, .null))
                }
            }
            summary.versionRow = .object(members)
            summary.version = summary.versionRow?["version"]?.stringValue ?? summary.versionRow?["VERSION"]?.stringValue
        }
        let cursor = try Row.fetchCursor(db, sql: "SELECT sha256, sha1, md5, file_name, file_size, package_id FROM FILE")
        while let row = try cursor.next() {
            summary.rows += 1
            var chosen: (String, [UInt8])?
            var malformed: [String] = []
            for (column, bytes) in [(0, 32), (1, 20), (2, 16)] {
                let value: DatabaseValue = row[column]
                let name = Self.hashColumns[column]
                guard case .string(let text) = value.storage else {
                    if !value.isNull { malformed.append(name) }
                    continue
                }
                let trimmed = text.trimmingWhitespace()
                if trimmed.isEmpty { continue }
                guard let decoded = Hex.decode(trimmed), decoded.count == bytes else { malformed.append(name); continue }
                if chosen == nil { chosen = (name, decoded) }
            }
            guard let (algorithm, value) = chosen else {
                invalid(summary.rows, malformed.isEmpty ? "no SHA-256, SHA-1 or MD5" : "malformed \(malformed.joined(separator: ", "))")
                continue
            }
            let name = String.fromDatabaseValue(row[3])
            let size = Int64.fromDatabaseValue(row[4])
            let packageID: DatabaseValue = row[5]
            let package = Int64.fromDatabaseValue(packageID)
            let meta: String
            if let name, let size, let package, name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
                // The common row, written directly; identical to the canonical form below.
                meta = "{\"fileName\":\"\(name)\",\"fileSize\":\(size),\"packageId\":\(package)}"
            } else {
                meta = JSONValue.object([
                    "fileName": name.map(JSONValue.string),
                    "fileSize": size.map(JSONValue.int),
                    "packageId": package.map(JSONValue.int) ?? String.fromDatabaseValue(packageID).map(JSONValue.string),
                ]).canonical()
            }
            try entry(HashSetEntry(algorithm: algorithm, value: value, quality: nil, meta: meta))
        }
        return summary
    }

    private static func text(_ value: DatabaseValue) -> String { String.fromDatabaseValue(value) ?? "" }
}
