import Foundation
import ImprintBytes

/// Streams a Project VIC VICS (OData JSON) hash set (HASH-SETS.md §6): shape A
/// (`{"@odata.context": …#Media, "value": [media…]}`), shape B (`"value": [case…]` with
/// each case's `"Media": [media…]`) and the older CAID/VIC 1.x `odata.metadata` header.
/// Each media record is read alone (at most `maxMediaBytes`), so memory stays bounded.
/// Field names come from third-party readers and are unconfirmed; they are matched
/// without regard to case, and every field but the hashes is kept in the entry's meta.
struct VICSReader {
    static let maxMediaBytes = 4 << 20
    /// Longest meta kept per entry; a longer record keeps only its scalar fields.
    static let maxMetaBytes = 64 * 1024

    /// What the document declared.
    struct Summary {
        var context: String?
        var mediaRecords = 0
        var cases = 0
        var photoDNAValuesDropped = 0
        var sourceSHA256 = ""
    }

    enum Problem: Error, CustomStringConvertible {
        case notVICS(String)
        var description: String {
            switch self { case .notVICS(let why): return "not a VICS JSON hash set: \(why)" }
        }
    }

    /// Reads the whole document, calling `entry` for every hash of every media record and
    /// `invalid` for records that carry no usable hash.
    static func read(path: String, entry: (HashSetEntry) throws -> Void,
                     invalid: (_ record: Int, _ reason: String) -> Void) throws -> Summary {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw HashSetImportError.unreadable(path) }
        defer { try? handle.close() }
        var scanner = JSONStreamScanner(handle: handle)
        var summary = Summary()
        do {
            try scanner.skipBOM()
            guard try scanner.peek() == 0x7B else { throw Problem.notVICS("the document is not a JSON object") }
            try scanner.expect(0x7B)
            var sawValue = false
            if try scanner.peek() == 0x7D { try scanner.expect(0x7D) } else {
                repeat {
                    let key = try scanner.readString()
                    try scanner.expect(0x3A)
                    switch key {
                    case "value":
                        guard try scanner.peek() == 0x5B else { throw Problem.notVICS("'value' is not an array") }
                        sawValue = true
                        try forEachElement(&scanner) { scanner in
                            try topElement(&scanner, summary: &summary, entry: entry, invalid: invalid)
                        }
                    case "@odata.context", "odata.metadata":
                        summary.context = try scanner.readString()
                    default:
                        _ = try scanner.value(maxBytes: 0)
                    }
                } while try scanner.another(close: 0x7D)
            }
            try scanner.finishDocument()
            guard sawValue else { throw Problem.notVICS("no 'value' array of media or cases") }
            summary.sourceSHA256 = try scanner.sha256Hex()
        } catch let failure as JSONStreamScanner.Failure {
            throw HashSetImportError.malformed(path: path, detail: "VICS JSON: \(failure.description)")
        } catch let problem as Problem {
            throw HashSetImportError.malformed(path: path, detail: problem.description)
        }
        return summary
    }

    private static func forEachElement(_ scanner: inout JSONStreamScanner,
                                       _ body: (inout JSONStreamScanner) throws -> Void) throws {
        try scanner.expect(0x5B)
        if try scanner.peek() == 0x5D { try scanner.expect(0x5D); return }
        repeat { try body(&scanner) } while try scanner.another(close: 0x5D)
    }

    /// An element of the top `value` array: a media record (shape A) or a case whose
    /// `Media` array is streamed (shape B). Its members are read one by one, so a case
    /// holding millions of media is never held whole.
    private static func topElement(_ scanner: inout JSONStreamScanner, summary: inout Summary,
                                   entry: (HashSetEntry) throws -> Void,
                                   invalid: (Int, String) -> Void) throws {
        guard try scanner.peek() == 0x7B else {
            summary.mediaRecords += 1
            _ = try scanner.value(maxBytes: 0)
            invalid(summary.mediaRecords, "not a JSON object")
            return
        }
        try scanner.expect(0x7B)
        var members: [JSONValue.Member] = []
        var size = 0
        var tooLarge = false
        var isCase = false
        if try scanner.peek() == 0x7D { try scanner.expect(0x7D) } else {
            repeat {
                let key = try scanner.readString()
                try scanner.expect(0x3A)
                if key.lowercased() == "media", try scanner.peek() == 0x5B {
                    isCase = true
                    summary.cases += 1
                    let caseInfo = JSONValue.object(members.filter { !($0.value.isContainer) })
                    try forEachElement(&scanner) { scanner in
                        summary.mediaRecords += 1
                        let number = summary.mediaRecords
                        guard let raw = try scanner.value(maxBytes: maxMediaBytes) else {
                            invalid(number, "media record longer than \(maxMediaBytes) bytes"); return
                        }
                        guard let media = try? JSONParser.parse(raw) else { invalid(number, "media record is not valid JSON"); return }
                        try emit(media, caseInfo: caseInfo, number: number, summary: &summary, entry: entry, invalid: invalid)
                    }
                } else if let raw = try scanner.value(maxBytes: maxMediaBytes), !tooLarge {
                    size += raw.count
                    if size > maxMediaBytes { tooLarge = true; members = [] }
                    else if let value = try? JSONParser.parse(raw) { members.append(.init(key, value)) }
                    else { throw scanner.failure("invalid JSON value for '\(key)'") }
                } else {
                    tooLarge = true
                    members = []
                }
            } while try scanner.another(close: 0x7D)
        }
        guard !isCase else { return }
        summary.mediaRecords += 1
        if tooLarge { invalid(summary.mediaRecords, "media record longer than \(maxMediaBytes) bytes"); return }
        try emit(.object(members), caseInfo: nil, number: summary.mediaRecords, summary: &summary, entry: entry, invalid: invalid)
    }

    /// The hash fields and what they hold; PhotoDNA is never stored (HASH-SETS.md §9).
    static let hashFields: [(key: String, algorithm: String, bytes: Int)] = [
        ("md5", "md5", 16), ("sha1", "sha1", 20), ("sha256", "sha256", 32),
    ]

    private static func emit(_ media: JSONValue, caseInfo: JSONValue?, number: Int, summary: inout Summary,
                             entry: (HashSetEntry) throws -> Void, invalid: (Int, String) -> Void) throws {
        guard case .object(let members) = media else { invalid(number, "media record is not a JSON object"); return }
        var values: [(String, [UInt8])] = []
        var rest: [JSONValue.Member] = []
        var bad: [String] = []
        var category: String?
        for member in members {
            let key = member.key.lowercased()
            if let field = hashFields.first(where: { $0.key == key }) {
                guard case .string(let text) = member.value else {
                    if member.value != .null { bad.append(member.key) }
                    continue
                }
                let trimmed = text.trimmingWhitespace()
                if trimmed.isEmpty { continue }
                if let bytes = Hex.decode(trimmed), bytes.count == field.bytes {
                    values.append((field.algorithm, bytes))
                } else {
                    bad.append(member.key)
                }
                continue
            }
            if key == "photodna" {
                if member.value != .null { summary.photoDNAValuesDropped += 1 }
                continue
            }
            if key == "category" {
                switch member.value {
                case .int(let i): category = String(i)
                case .double(let d): category = JSONValue.double(d).canonical()
                case .string(let s): category = s
                case .bool(let b): category = String(b)
                default: category = nil
                }
            }
            rest.append(member)
        }
        guard !values.isEmpty else {
            let id = media["MediaID"].map { " (MediaID \($0.canonical()))" } ?? ""
            invalid(number, bad.isEmpty ? "media record\(id) has no MD5, SHA1 or SHA256"
                                        : "media record\(id): malformed \(bad.joined(separator: ", "))")
            return
        }
        if let caseInfo, case .object(let c) = caseInfo, !c.isEmpty { rest.append(.init("_case", caseInfo)) }
        var meta = JSONValue.object(rest).canonical()
        if meta.utf8.count > maxMetaBytes {
            meta = JSONValue.object(rest.filter { !$0.value.isContainer }).canonical()
            if meta.utf8.count > maxMetaBytes { meta = "{}" }
        }
        for (algorithm, bytes) in values {
            try entry(HashSetEntry(algorithm: algorithm, value: bytes, quality: nil, meta: meta, category: category))
        }
    }
}

extension JSONValue {
    fileprivate var isContainer: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }
}
