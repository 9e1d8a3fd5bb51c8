import Crypto
import Foundation
import GRDB
import ImprintBytes

/// A recorded file a tag command names.
public struct TagTarget: Sendable, Equatable {
    public var fileID: Int64
    public var exhibitNumber: String
    public var pathText: String
    public var sha256: String?
}

/// A file as currently tagged.
public struct TaggedFile: Sendable, Equatable {
    public var tag: String
    public var fileID: Int64
    public var exhibitNumber: String
    public var pathText: String
    public var sha256: String?
    public var md5: String?
    public var sha1: String?
    public var size: Int64
    public var note: String?
    /// When the tag was (last) added.
    public var taggedAtUTC: String
    public var pdq: String?
    public var pdqQuality: Int?
}

/// Why a tag command records nothing.
public enum TagError: Error, Equatable, Sendable, CustomStringConvertible {
    case badName(String)
    case notFound(String)
    case ambiguous(String, exhibits: [String])

    public var description: String {
        switch self {
        case .badName(let why): return "invalid tag name: \(why)"
        case .notFound(let spec): return "no recorded file has the path or SHA-256 '\(spec)'; nothing was tagged"
        case let .ambiguous(spec, exhibits):
            return "'\(spec)' is recorded in several exhibits (\(exhibits.joined(separator: ", "))); name one with --exhibit; nothing was tagged"
        }
    }
}

extension CaseStore {
    /// Longest tag name accepted.
    public static let maxTagLength = 200

    /// A tag name is 1–200 characters, no control characters, no leading or trailing space.
    public static func validateTagName(_ name: String) throws {
        if name.isEmpty { throw TagError.badName("empty") }
        if name.count > maxTagLength { throw TagError.badName("longer than \(maxTagLength) characters") }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw TagError.badName("control characters")
        }
        if name.first?.isWhitespace == true || name.last?.isWhitespace == true {
            throw TagError.badName("leading or trailing white space")
        }
    }

    /// Resolves each FILE argument: 64 hex digits name every file with that SHA-256;
    /// anything else is a path as recorded (its display form, `files.path_text`). All or
    /// nothing: one unknown or ambiguous argument fails the whole command.
    public func resolveTagTargets(_ specs: [String], exhibit: String? = nil) throws -> [TagTarget] {
        try pool.read { db in
            var out: [TagTarget] = []
            var seen = Set<Int64>()
            for spec in specs {
                var rows: [Row] = []
                if spec.utf8.count == 64, let bytes = Hex.decode(spec), bytes.count == 32 {
                    rows = try Row.fetchAll(db, sql: """
                        SELECT f.id, x.exhibit_number, f.path_text, f.sha256 FROM files f JOIN exhibits x ON x.id = f.exhibit_id
                        WHERE f.sha256 = ? AND (? IS NULL OR x.exhibit_number = ?) ORDER BY f.id
                        """, arguments: [Hex.encode(bytes), exhibit, exhibit])
                }
                if rows.isEmpty {
                    rows = try Row.fetchAll(db, sql: """
                        SELECT f.id, x.exhibit_number, f.path_text, f.sha256 FROM files f JOIN exhibits x ON x.id = f.exhibit_id
                        WHERE f.path_text = ? AND (? IS NULL OR x.exhibit_number = ?) ORDER BY f.id
                        """, arguments: [spec, exhibit, exhibit])
                    let exhibits = Set(rows.map { Self.text($0["exhibit_number"]) })
                    if exhibits.count > 1 { throw TagError.ambiguous(spec, exhibits: exhibits.sorted()) }
                }
                guard !rows.isEmpty else { throw TagError.notFound(spec) }
                for row in rows {
                    let id = Int64.fromDatabaseValue(row["id"]) ?? -1
                    guard seen.insert(id).inserted else { continue }
                    out.append(TagTarget(fileID: id, exhibitNumber: Self.text(row["exhibit_number"]),
                                         pathText: Self.text(row["path_text"]), sha256: String.fromDatabaseValue(row["sha256"])))
                }
            }
            return out
        }
    }

    /// Adds (or removes) `tag` on the targets: one `tag_events` row per file whose state
    /// changes, and one `tag.added` / `tag.removed` custody event committing to those rows,
    /// in one transaction. Files already in the requested state are counted, not recorded;
    /// when nothing changes, nothing is written.
    public func recordTagChange(tag: String, note: String?, remove: Bool, targets: [TagTarget],
                                actor: Actor) throws -> (event: CustodyEvent?, changed: [TagTarget], unchanged: Int) {
        try Self.validateTagName(tag)
        let action = remove ? "remove" : "add"
        return try pool.write { db in
            let current = try db.cachedStatement(sql: """
                SELECT action FROM tag_events WHERE file_id = ? AND tag = ? ORDER BY id DESC LIMIT 1
                """)
            var changed: [TagTarget] = []
            for target in targets {
                let tagged = try String.fetchOne(current, arguments: [target.fileID, tag]) == "add"
                if tagged != !remove { changed.append(target) }
            }
            guard !changed.isEmpty else { return (nil, [], targets.count) }
            let rows = changed.map { TagRow(fileID: $0.fileID, tag: tag, action: action, note: note) }
            let event = try appendCustody(db, actor: actor, action: remove ? "tag.removed" : "tag.added", subject: "tag \(tag)",
                                          details: .object([
                                              "tag": .string(tag),
                                              "note": note.map(JSONValue.string),
                                              "fileCount": .integer(changed.count),
                                              "fileIds": .array(changed.prefix(1000).map { .int($0.fileID) }),
                                              "rowsSha256": .string(TagRow.digest(rows)),
                                          ]))
            let insert = try db.cachedStatement(sql: """
                INSERT INTO tag_events (event_seq, file_id, tag, action, note, at_utc) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for row in rows {
                try insert.execute(arguments: [event.seq, row.fileID, row.tag, row.action, row.note, event.atUTC])
            }
            return (event, changed, targets.count - changed.count)
        }
    }

    /// Every tag in use and how many files carry it now.
    public func tagCounts() throws -> [(tag: String, files: Int)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.tag, count(*) AS n FROM tag_events t
                WHERE t.id = (SELECT max(id) FROM tag_events WHERE file_id = t.file_id AND tag = t.tag) AND t.action = 'add'
                GROUP BY t.tag ORDER BY t.tag
                """).map { (Self.text($0["tag"]), Int.fromDatabaseValue($0["n"]) ?? 0) }
        }
    }

    /// The files carrying `tag` (every tag when nil), as of custody event `asOfSeq` (now
    /// when nil), in file id order, with their hashes.
    public func taggedFiles(tag: String?, asOfSeq: Int64? = nil) throws -> [TaggedFile] {
        try pool.read { db in try Self.taggedFiles(db, tag: tag, asOfSeq: asOfSeq) }
    }

    static func taggedFiles(_ db: Database, tag: String?, asOfSeq: Int64?) throws -> [TaggedFile] {
        let limit = asOfSeq ?? Int64.max
        return try Row.fetchAll(db, sql: """
            SELECT t.tag, t.file_id, t.note, t.at_utc, x.exhibit_number, f.path_text, f.sha256, f.md5, f.sha1, f.size,
                   h.pdq, h.pdq_quality
            FROM tag_events t JOIN files f ON f.id = t.file_id JOIN exhibits x ON x.id = f.exhibit_id
            LEFT JOIN perceptual_hashes h ON h.file_id = f.id
            WHERE (? IS NULL OR t.tag = ?) AND t.event_seq <= ? AND t.action = 'add'
              AND t.id = (SELECT max(id) FROM tag_events WHERE file_id = t.file_id AND tag = t.tag AND event_seq <= ?)
            ORDER BY t.tag, t.file_id
            """, arguments: [tag, tag, limit, limit]).map { row in
            TaggedFile(tag: text(row["tag"]), fileID: Int64.fromDatabaseValue(row["file_id"]) ?? -1,
                       exhibitNumber: text(row["exhibit_number"]), pathText: text(row["path_text"]),
                       sha256: String.fromDatabaseValue(row["sha256"]), md5: String.fromDatabaseValue(row["md5"]),
                       sha1: String.fromDatabaseValue(row["sha1"]), size: Int64.fromDatabaseValue(row["size"]) ?? 0,
                       note: String.fromDatabaseValue(row["note"]), taggedAtUTC: text(row["at_utc"]),
                       pdq: String.fromDatabaseValue(row["pdq"]), pdqQuality: Int.fromDatabaseValue(row["pdq_quality"]))
        }
    }
}

/// One `tag_events` row as its custody event commits to it.
struct TagRow: Equatable {
    var fileID: Int64
    var tag: String
    var action: String
    var note: String?

    /// SHA-256 of the RFC 8785 JSON array of `{action, fileId, note?, tag}`, in row order.
    static func digest(_ rows: [TagRow]) -> String {
        let list = JSONValue.array(rows.map { row in
            .object(["action": .string(row.action), "fileId": .int(row.fileID), "note": row.note.map(JSONValue.string),
                     "tag": .string(row.tag)])
        }).canonical()
        return Hex.encode(SHA256.hash(data: Array(list.utf8)))
    }
}
