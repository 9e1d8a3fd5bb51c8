import ImprintBytes

/// Size limits for everything the generator rules read and report. Carriers are already
/// bounded by the container parser (decompression caps, segment sizes); these bound what
/// one rule may parse and what one finding may carry.
enum FieldBounds {
    /// Largest JSON text parsed (the PNG text cap of the spec is 16 MiB).
    static let maxJSONBytes = 16 << 20
    /// JSON nesting accepted (ImprintBytes.JSONParser enforces it).
    static let maxJSONDepth = 64
    /// Longest string kept in a field; longer ones are cut and marked.
    static let maxStringBytes = 64 * 1024
    /// Most array items / object members kept per level, and levels kept, in a field value.
    static let maxItems = 256
    static let maxDepth = 8
    /// Longest text handed to the line-oriented parsers (A1111, Dream, Midjourney).
    static let maxTextBytes = 4 << 20

    static func parseJSON(_ text: String) -> JSONValue? {
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard let first = trimmed.first, first == "{" || first == "[" else { return nil }
        let bytes = Array(trimmed.utf8)
        guard bytes.count <= maxJSONBytes else { return nil }
        // Writers sometimes NUL-terminate or pad; JSON itself never contains a raw NUL.
        let end = bytes.lastIndex { $0 != 0 && $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }.map { $0 + 1 } ?? 0
        return try? JSONParser.parse(Array(bytes[0..<end]), maxDepth: maxJSONDepth)
    }

    /// A string cut to `maxStringBytes` (on a character boundary), marked when cut.
    static func string(_ text: String) -> JSONValue {
        guard text.utf8.count > maxStringBytes else { return .string(text) }
        var kept = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > maxStringBytes { break }
            kept.append(character)
            used += size
        }
        return .string(kept + " […truncated: \(text.utf8.count) bytes in total]")
    }

    /// A JSON value with long strings cut and wide or deep containers trimmed.
    static func clip(_ value: JSONValue, depth: Int = 0) -> JSONValue {
        switch value {
        case .string(let text): return string(text)
        case .array(let items):
            guard depth < maxDepth else { return .string("[array of \(items.count) items, not expanded]") }
            var out = items.prefix(maxItems).map { clip($0, depth: depth + 1) }
            if items.count > maxItems { out.append(.string("[…\(items.count - maxItems) more items]")) }
            return .array(out)
        case .object(let members):
            guard depth < maxDepth else { return .string("{object of \(members.count) members, not expanded}") }
            var out = members.prefix(maxItems).map { JSONValue.Member($0.key, clip($0.value, depth: depth + 1)) }
            if members.count > maxItems { out.append(.init("…", .string("\(members.count - maxItems) more members"))) }
            return .object(out)
        default: return value
        }
    }
}
