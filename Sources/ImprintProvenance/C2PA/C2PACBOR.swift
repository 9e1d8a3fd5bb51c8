import ImprintBytes

/// Strict CBOR for C2PA (spec §9): the shared decoder's limits (depth 64, 100 000 items),
/// plus the rule it leaves to callers, no duplicate map keys.
enum C2PACBOR {
    static var limits: CBORDecoder.Limits {
        var limits = CBORDecoder.Limits()
        limits.maxDepth = 64
        limits.maxItems = 100_000
        return limits
    }

    struct Invalid: Error, Sendable { var message: String }

    /// Decodes exactly `bytes[range]`; the items keep absolute ranges into `bytes`.
    static func decode(_ bytes: [UInt8], range: Range<Int>) throws(Invalid) -> CBORItem {
        let item: CBORItem
        do {
            item = try CBORDecoder.decode(bytes, range: range, limits: limits)
        } catch {
            throw Invalid(message: error.description)
        }
        if let duplicate = firstDuplicateKey(item) { throw Invalid(message: "duplicate map key \(duplicate)") }
        return item
    }

    /// Depth-first search for a map holding the same key twice. Keys compare by value, so
    /// `1` and `1` written with different widths are duplicates, as RFC 8949 §5.6 says.
    /// Iterative, so hostile nesting cannot exhaust the stack (the decoder bounds depth anyway).
    static func firstDuplicateKey(_ root: CBORItem) -> String? {
        var stack: [CBORItem] = [root]
        while let item = stack.popLast() {
            switch item.value {
            case .array(let elements): stack += elements
            case .tagged(_, let inner): stack.append(inner)
            case .map(let pairs):
                // Hash the common key kinds; compare the rare others pairwise (bounded:
                // a map of odd keys cannot make this quadratic in the whole input).
                var seen: Set<String> = []
                var others: [CBORItem] = []
                for pair in pairs {
                    stack.append(pair.value)
                    let key: String?
                    switch pair.key.value {
                    case .text(let s): key = "t" + s
                    case .unsigned, .negative: key = pair.key.integerValue.map { "i\($0)" }
                    case .bytes(let b): key = "b" + Hex.encode(b)
                    default: key = nil
                    }
                    if let key {
                        if !seen.insert(key).inserted { return describe(pair.key) }
                    } else {
                        if others.count > 256 { return "more than 256 non-scalar map keys" }
                        if others.contains(pair.key) { return describe(pair.key) }
                        others.append(pair.key)
                    }
                }
            default: break
            }
        }
        return nil
    }

    static func describe(_ item: CBORItem) -> String {
        if let text = item.text { return "\"\(text)\"" }
        if let int = item.integerValue { return String(int) }
        return "item at byte \(item.range.lowerBound)"
    }

    /// The text keys of a map, in order.
    static func textKeys(_ item: CBORItem) -> [String] {
        guard case .map(let pairs) = item.value else { return [] }
        return pairs.compactMap { $0.key.text }
    }

    /// A definite-length CBOR byte-string header for `count` bytes (RFC 8949 §3).
    static func byteStringHeader(_ count: Int) -> [UInt8] { header(major: 2, UInt64(count)) }
    static func textHeader(_ count: Int) -> [UInt8] { header(major: 3, UInt64(count)) }

    static func header(major: UInt8, _ value: UInt64) -> [UInt8] {
        let m = major << 5
        switch value {
        case 0..<24: return [m | UInt8(value)]
        case 24..<256: return [m | 24, UInt8(value)]
        case 256..<65_536: return [m | 25, UInt8(value >> 8), UInt8(value & 0xFF)]
        case 65_536..<4_294_967_296: return [m | 26] + (0..<4).reversed().map { UInt8((value >> (8 * UInt64($0))) & 0xFF) }
        default: return [m | 27] + (0..<8).reversed().map { UInt8((value >> (8 * UInt64($0))) & 0xFF) }
        }
    }

    static func text(_ string: String) -> [UInt8] {
        let utf8 = Array(string.utf8)
        return textHeader(utf8.count) + utf8
    }

    /// A short, human-readable rendering of a value for reports (strings, numbers, maps).
    static func plainText(_ item: CBORItem?) -> String? {
        guard let item else { return nil }
        switch item.value {
        case .text(let s): return s
        case .unsigned, .negative: return item.integerValue.map(String.init)
        case .map: return item["name"]?.text ?? item["label"]?.text
        default: return nil
        }
    }
}
