/// A CBOR data item (RFC 8949) as decoded from bytes imprint did not write.
///
/// Every item remembers the byte range it was decoded from, so signatures can be
/// checked over the original bytes (C2PA claims, COSE structures) without re-encoding.
public indirect enum CBOR: Sendable, Equatable {
    case unsigned(UInt64)
    /// A negative integer, stored as the CBOR argument n for the value -1 - n.
    case negative(UInt64)
    case bytes([UInt8])
    case text(String)
    case array([CBORItem])
    case map([(key: CBORItem, value: CBORItem)])
    case tagged(UInt64, CBORItem)
    case simple(UInt8)
    case bool(Bool)
    case null
    case undefined
    case float(Double)

    public static func == (lhs: CBOR, rhs: CBOR) -> Bool {
        switch (lhs, rhs) {
        case let (.unsigned(a), .unsigned(b)), let (.negative(a), .negative(b)): return a == b
        case let (.bytes(a), .bytes(b)): return a == b
        case let (.text(a), .text(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.map(a), .map(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.tagged(ta, a), .tagged(tb, b)): return ta == tb && a == b
        case let (.simple(a), .simple(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case (.null, .null), (.undefined, .undefined): return true
        case let (.float(a), .float(b)): return a == b || (a.isNaN && b.isNaN)
        default: return false
        }
    }
}

/// A decoded item with the byte range it occupies in the input.
public struct CBORItem: Sendable, Equatable {
    public var value: CBOR
    /// Absolute offsets in the decoded buffer: `bytes[range]` re-reads this item exactly.
    public var range: Range<Int>

    public static func == (lhs: CBORItem, rhs: CBORItem) -> Bool { lhs.value == rhs.value }

    /// The value of `key` (a text key) in a map item.
    public subscript(key: String) -> CBORItem? {
        guard case .map(let pairs) = value else { return nil }
        return pairs.first { $0.key.value == .text(key) }?.value
    }

    /// The value of an integer key (COSE headers use small integers).
    public subscript(intKey key: Int64) -> CBORItem? {
        guard case .map(let pairs) = value else { return nil }
        return pairs.first { $0.key.integerValue == key }?.value
    }

    public var text: String? { if case .text(let s) = value { return s }; return nil }
    public var byteString: [UInt8]? { if case .bytes(let b) = value { return b }; return nil }
    public var array: [CBORItem]? { if case .array(let a) = value { return a }; return nil }
    public var integerValue: Int64? {
        switch value {
        case .unsigned(let n) where n <= UInt64(Int64.max): return Int64(n)
        case .negative(let n) where n < UInt64(Int64.max): return -1 - Int64(n)
        default: return nil
        }
    }

    /// The item without its tags (e.g. a COSE_Sign1 under tag 18).
    public var untagged: CBORItem {
        if case .tagged(_, let inner) = value { return inner.untagged }
        return self
    }
}

public struct CBORError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var description: String { "CBOR: \(message) at byte \(offset)" }
}

/// A strict CBOR decoder with limits: nesting depth, total items, and lengths checked
/// against what remains before anything is allocated. Rejects reserved additional-info
/// values, malformed indefinite lengths, non-UTF-8 text and break codes out of place.
public struct CBORDecoder {
    public struct Limits: Sendable {
        public var maxDepth = 64
        public var maxItems = 1_000_000
        public init() {}
    }

    private let bytes: [UInt8]
    private var offset: Int
    private let end: Int
    private let limits: Limits
    private var items = 0

    /// Decodes exactly one item occupying all of `bytes[range]` (trailing bytes are an error).
    public static func decode(_ bytes: [UInt8], range: Range<Int>? = nil, limits: Limits = Limits()) throws(CBORError) -> CBORItem {
        let range = range ?? 0..<bytes.count
        var decoder = CBORDecoder(bytes: bytes, offset: range.lowerBound, end: min(range.upperBound, bytes.count), limits: limits)
        let item = try decoder.item(depth: 0)
        guard decoder.offset == decoder.end else {
            throw CBORError(message: "\(decoder.end - decoder.offset) trailing bytes after the item", offset: decoder.offset)
        }
        return item
    }

    /// Decodes one item at the start of `bytes[range]`, returning it and where it ended.
    public static func decodePrefix(_ bytes: [UInt8], range: Range<Int>, limits: Limits = Limits()) throws(CBORError) -> CBORItem {
        var decoder = CBORDecoder(bytes: bytes, offset: range.lowerBound, end: min(range.upperBound, bytes.count), limits: limits)
        return try decoder.item(depth: 0)
    }

    private init(bytes: [UInt8], offset: Int, end: Int, limits: Limits) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
        self.limits = limits
    }

    private func fail(_ message: String, at position: Int? = nil) -> CBORError {
        CBORError(message: message, offset: position ?? offset)
    }

    private mutating func byte() throws(CBORError) -> UInt8 {
        guard offset < end else { throw fail("unexpected end of data") }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func take(_ count: UInt64) throws(CBORError) -> ArraySlice<UInt8> {
        guard count <= UInt64(end - offset) else {
            throw fail("length \(count) exceeds the \(end - offset) bytes that remain")
        }
        let n = Int(count)
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    /// The argument of an initial byte; nil for the indefinite marker (31).
    private mutating func argument(_ info: UInt8) throws(CBORError) -> UInt64? {
        switch info {
        case 0..<24: return UInt64(info)
        case 24: return UInt64(try byte())
        case 25, 26, 27:
            let width = 1 << (info - 24)
            var value: UInt64 = 0
            for byte in try take(UInt64(width)) { value = value << 8 | UInt64(byte) }
            return value
        case 31: return nil
        default: throw fail("reserved additional information \(info)", at: offset - 1)
        }
    }

    private mutating func item(depth: Int) throws(CBORError) -> CBORItem {
        guard depth <= limits.maxDepth else { throw fail("nesting deeper than \(limits.maxDepth)") }
        items += 1
        guard items <= limits.maxItems else { throw fail("more than \(limits.maxItems) items") }
        let start = offset
        let initial = try byte()
        let major = initial >> 5
        let info = initial & 0x1F
        let value: CBOR
        switch major {
        case 0:
            guard let n = try argument(info) else { throw fail("indefinite length on an integer", at: start) }
            value = .unsigned(n)
        case 1:
            guard let n = try argument(info) else { throw fail("indefinite length on an integer", at: start) }
            value = .negative(n)
        case 2:
            value = .bytes(try string(info, major: 2, depth: depth))
        case 3:
            let raw = try string(info, major: 3, depth: depth)
            guard let text = String(validating: raw, as: UTF8.self) else { throw fail("text string is not valid UTF-8", at: start) }
            value = .text(text)
        case 4:
            var elements: [CBORItem] = []
            if let count = try argument(info) {
                // Each element takes at least one byte: a count beyond that is a lie.
                guard count <= UInt64(end - offset) else { throw fail("array of \(count) items in \(end - offset) bytes", at: start) }
                elements.reserveCapacity(Int(count))
                for _ in 0..<count { elements.append(try item(depth: depth + 1)) }
            } else {
                while try !atBreak() { elements.append(try item(depth: depth + 1)) }
            }
            value = .array(elements)
        case 5:
            var pairs: [(key: CBORItem, value: CBORItem)] = []
            if let count = try argument(info) {
                guard count <= UInt64(end - offset) / 2 else { throw fail("map of \(count) pairs in \(end - offset) bytes", at: start) }
                for _ in 0..<count {
                    let key = try item(depth: depth + 1)
                    pairs.append((key, try item(depth: depth + 1)))
                }
            } else {
                while try !atBreak() {
                    let key = try item(depth: depth + 1)
                    guard try !peekBreak() else { throw fail("map ends between a key and its value") }
                    pairs.append((key, try item(depth: depth + 1)))
                }
            }
            value = .map(pairs)
        case 6:
            guard let tag = try argument(info) else { throw fail("indefinite length on a tag", at: start) }
            value = .tagged(tag, try item(depth: depth + 1))
        default:
            value = try simpleOrFloat(info, start: start)
        }
        return CBORItem(value: value, range: start..<offset)
    }

    private mutating func string(_ info: UInt8, major: UInt8, depth: Int) throws(CBORError) -> [UInt8] {
        if let length = try argument(info) { return Array(try take(length)) }
        // Indefinite: a sequence of definite chunks of the same major type, then a break.
        var out: [UInt8] = []
        while try !atBreak() {
            let chunkStart = offset
            let initial = try byte()
            guard initial >> 5 == major, let length = try argument(initial & 0x1F) else {
                throw fail("indefinite string chunk of another type or nested indefinite", at: chunkStart)
            }
            out += try take(length)
        }
        return out
    }

    private func peekBreak() throws(CBORError) -> Bool {
        guard offset < end else { throw fail("unexpected end of data inside an indefinite item") }
        return bytes[offset] == 0xFF
    }

    private mutating func atBreak() throws(CBORError) -> Bool {
        if try peekBreak() {
            offset += 1
            return true
        }
        return false
    }

    private mutating func simpleOrFloat(_ info: UInt8, start: Int) throws(CBORError) -> CBOR {
        switch info {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22: return .null
        case 23: return .undefined
        case 24:
            let value = try byte()
            guard value >= 32 else { throw fail("two-byte simple value below 32", at: start) }
            return .simple(value)
        case 25:
            let raw = try take(2)
            return .float(Self.half(UInt16(raw[raw.startIndex]) << 8 | UInt16(raw[raw.startIndex + 1])))
        case 26:
            var bits: UInt32 = 0
            for byte in try take(4) { bits = bits << 8 | UInt32(byte) }
            return .float(Double(Float(bitPattern: bits)))
        case 27:
            var bits: UInt64 = 0
            for byte in try take(8) { bits = bits << 8 | UInt64(byte) }
            return .float(Double(bitPattern: bits))
        case 31: throw fail("break code outside an indefinite item", at: start)
        case 28, 29, 30: throw fail("reserved additional information \(info)", at: start)
        default: return .simple(info)
        }
    }

    /// IEEE 754 half precision (RFC 8949 Appendix D).
    static func half(_ bits: UInt16) -> Double {
        let exponent = Int(bits >> 10 & 0x1F)
        let mantissa = Double(bits & 0x3FF)
        let magnitude: Double
        if exponent == 0 {
            magnitude = mantissa * 0x1p-24
        } else if exponent == 31 {
            magnitude = mantissa == 0 ? .infinity : .nan
        } else {
            magnitude = (mantissa + 1024) * Double(sign: .plus, exponent: exponent - 25, significand: 1)
        }
        return bits & 0x8000 != 0 ? -magnitude : magnitude
    }
}
