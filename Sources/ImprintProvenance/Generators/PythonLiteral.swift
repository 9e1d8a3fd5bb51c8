import ImprintBytes

/// A restricted parser for Python literal `repr` text — faceswap's PNG iTXt metadata
/// (GENERATOR-METADATA.md §4). It accepts only strings, numbers, dicts, lists, tuples,
/// `True`, `False` and `None`, and turns them into JSON values (tuples become arrays).
/// It never evaluates anything: any other name or construct is an error.
struct PythonLiteral {
    static let maxDepth = 64
    static let maxBytes = 4 << 20
    static let maxItems = 1_000_000

    struct ParseError: Error, Equatable, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "Python literal: \(message) at byte \(offset)" }
    }

    private let s: [UInt8]
    private var i = 0
    private var items = 0

    static func parse(_ text: String) throws(ParseError) -> JSONValue {
        let bytes = Array(text.utf8)
        guard bytes.count <= maxBytes else { throw ParseError(message: "text longer than \(maxBytes) bytes", offset: 0) }
        var parser = PythonLiteral(s: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.i == bytes.count else { throw ParseError(message: "trailing text", offset: parser.i) }
        return value
    }

    private init(s: [UInt8]) { self.s = s }

    private func error(_ message: String) -> ParseError { ParseError(message: message, offset: i) }

    private mutating func skipSpace() {
        while i < s.count, [0x20, 0x09, 0x0A, 0x0D].contains(s[i]) { i += 1 }
    }

    private mutating func value(depth: Int) throws(ParseError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth)") }
        items += 1
        guard items <= Self.maxItems else { throw error("more than \(Self.maxItems) values") }
        guard i < s.count else { throw error("unexpected end") }
        switch s[i] {
        case UInt8(ascii: "{"): return try container(close: UInt8(ascii: "}"), depth: depth, dict: true)
        case UInt8(ascii: "["): return try container(close: UInt8(ascii: "]"), depth: depth, dict: false)
        case UInt8(ascii: "("): return try container(close: UInt8(ascii: ")"), depth: depth, dict: false)
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."): return try number()
        default:
            for (word, result) in [("True", JSONValue.bool(true)), ("False", .bool(false)), ("None", .null)] {
                let w = Array(word.utf8)
                if i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w,
                   i + w.count == s.count || !isNameByte(s[i + w.count]) {
                    i += w.count
                    return result
                }
            }
            throw error("not a literal (names and calls are never evaluated)")
        }
    }

    private func isNameByte(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F || b >= 0x80
    }

    /// dict `{k: v, …}`, list `[…]`, tuple `(…)` (`(x,)` and `()` included); trailing commas allowed.
    private mutating func container(close: UInt8, depth: Int, dict: Bool) throws(ParseError) -> JSONValue {
        i += 1
        var members: [JSONValue.Member] = []
        var elements: [JSONValue] = []
        while true {
            skipSpace()
            guard i < s.count else { throw error("unterminated container") }
            if s[i] == close { i += 1; break }
            let first = try value(depth: depth + 1)
            skipSpace()
            if dict {
                guard i < s.count, s[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                i += 1
                skipSpace()
                let second = try value(depth: depth + 1)
                members.append(.init(Self.key(first), second))
            } else {
                elements.append(first)
            }
            skipSpace()
            guard i < s.count else { throw error("unterminated container") }
            if s[i] == UInt8(ascii: ",") { i += 1; continue }
            guard s[i] == close else { throw error("expected ',' or closing bracket") }
            i += 1
            break
        }
        return dict ? .object(members) : .array(elements)
    }

    /// Dict keys become JSON member names: strings as they are, other literals as JSON text.
    private static func key(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return value.serialized()
    }

    private mutating func string() throws(ParseError) -> String {
        let quote = s[i]
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < s.count else { throw error("unterminated string") }
            let c = s[i]
            if c == quote { i += 1; break }
            if c == 0x0A { throw error("newline in string") }
            guard c == UInt8(ascii: "\\") else { out.append(c); i += 1; continue }
            i += 1
            guard i < s.count else { throw error("unterminated escape") }
            let e = s[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "0"): out.append(0)
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "x"): try appendScalar(hexDigits: 2, to: &out)
            case UInt8(ascii: "u"): try appendScalar(hexDigits: 4, to: &out)
            case UInt8(ascii: "U"): try appendScalar(hexDigits: 8, to: &out)
            default: out += [UInt8(ascii: "\\"), e]  // Python keeps unknown escapes as written
            }
        }
        return TextDecodingLite.utf8OrLatin1(out)
    }

    private mutating func appendScalar(hexDigits: Int, to out: inout [UInt8]) throws(ParseError) {
        guard i + hexDigits <= s.count, let value = UInt32(String(decoding: s[i..<(i + hexDigits)], as: UTF8.self), radix: 16)
        else { throw error("bad escape") }
        i += hexDigits
        out += Array(String(Unicode.Scalar(value) ?? "\u{FFFD}").utf8)
    }

    private mutating func number() throws(ParseError) -> JSONValue {
        let start = i
        if s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 }
        while i < s.count, (0x30...0x39).contains(s[i]) || [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                                                             UInt8(ascii: "_")].contains(s[i])
            || ((s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+")) && (s[i - 1] == UInt8(ascii: "e") || s[i - 1] == UInt8(ascii: "E"))) {
            i += 1
        }
        let text = String(decoding: s[start..<i], as: UTF8.self).replacingUnderscores()
        if let integer = Int64(text) { return .int(integer) }
        if let double = Double(text), double.isFinite { return .double(double) }
        if text.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }), text.contains(where: \.isNumber) { return .string(text) }
        throw ParseError(message: "bad number", offset: start)
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}

/// faceswap's PNG iTXt dict: alignment and source information of an extracted face.
enum FaceswapHeader {
    static func fields(_ text: String) -> [JSONValue.Member]? {
        guard let value = try? PythonLiteral.parse(text), case .object(let members) = value else { return nil }
        var out: [JSONValue.Member] = [.init("method", .string("restricted Python literal parser (nothing evaluated)")),
                                       .init("keys", .array(members.prefix(64).map { FieldBounds.string($0.key) }))]
        let source = value["source"]
        for (key, name) in [("source_filename", "sourceFilename"), ("original_filename", "originalFilename"),
                            ("face_index", "faceIndex"), ("source_is_video", "sourceIsVideo"),
                            ("source_frame_dims", "sourceFrameDims"), ("alignments_version", "alignmentsVersion")] {
            if let found = source?[key] ?? value[key] { out.append(.init(name, FieldBounds.clip(found))) }
        }
        if let alignments = value["alignments"], case .object(let fields) = alignments {
            out.append(.init("alignmentKeys", .array(fields.prefix(64).map { FieldBounds.string($0.key) })))
            if let landmarks = alignments["landmarks_xy"]?.arrayValue { out.append(.init("landmarkCount", .integer(landmarks.count))) }
        }
        return out
    }

    /// Why the literal did not parse (for the medium-confidence fallback).
    static func failure(_ text: String) -> String? {
        do { _ = try PythonLiteral.parse(text); return nil } catch { return error.description }
    }
}
