/// A JSON value with ordered object members.
///
/// imprint writes JSON in two ways: `serialized()` keeps members in the order they were
/// built (readable output for people and scripts), and `canonical()` is RFC 8785 (JCS),
/// the byte-exact form that custody event hashes commit to.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Builds an object from pairs, dropping members whose value is nil.
    public static func object(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        .object(pairs.compactMap { pair in pair.value.map { Member(pair.key, $0) } })
    }

    public static func integer<I: BinaryInteger>(_ value: I) -> JSONValue { .int(Int64(value)) }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9.0e15: return Int64(d)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}

// MARK: - Writing

extension JSONValue {
    /// Compact JSON with members in insertion order.
    public func serialized() -> String {
        var out = ""
        write(to: &out, canonical: false)
        return out
    }

    /// RFC 8785 canonical JSON: members sorted by UTF-16 code units, no insignificant
    /// white space, ECMAScript number formatting, minimal string escaping.
    /// Non-finite doubles are not representable in JSON and are written as `null`.
    public func canonical() -> String {
        var out = ""
        write(to: &out, canonical: true)
        return out
    }

    private func write(to out: inout String, canonical: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += JSONValue.ecmaScriptNumber(d)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out, canonical: canonical)
            }
            out += "]"
        case .object(let members):
            var ordered = members
            if canonical {
                // RFC 8785 §3.2.3: sort by UTF-16 code units; a later duplicate key wins.
                var seen: [String: Int] = [:]
                var unique: [Member] = []
                for member in members {
                    if let at = seen[member.key] { unique[at] = member } else {
                        seen[member.key] = unique.count
                        unique.append(member)
                    }
                }
                ordered = unique.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
            }
            out += "{"
            for (index, member) in ordered.enumerated() {
                if index > 0 { out += "," }
                JSONValue.writeString(member.key, to: &out)
                out += ":"
                member.value.write(to: &out, canonical: canonical)
            }
            out += "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{09}": out += "\\t"
            case "\u{0A}": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\u{0D}": out += "\\r"
            case _ where scalar.value < 0x20:
                let hex = Hex.encode([UInt8(scalar.value)])
                out += "\\u00" + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// ECMAScript `Number.prototype.toString` for finite doubles (RFC 8785 §3.2.2.3).
    /// Swift's `description` already yields the shortest round-tripping digits; only the
    /// placement of the decimal point and exponent differs.
    static func ecmaScriptNumber(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return "0" }
        let negative = value < 0
        // Split Swift's shortest representation into digits and a decimal exponent.
        let text = abs(value).description  // e.g. "1.5e-07", "123.25", "1e+22"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits = ""
        var pointPosition = 0
        if let dot = mantissa.firstIndex(of: ".") {
            let intPart = mantissa[..<dot]
            let fracPart = mantissa[mantissa.index(after: dot)...]
            digits = String(intPart) + String(fracPart)
            pointPosition = intPart.count
        } else {
            digits = String(mantissa)
            pointPosition = digits.count
        }
        // Strip leading zeros (adjusting the point) and trailing zeros.
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let k = digits.count
        let n = pointPosition + exponent  // value = 0.d1…dk × 10^n
        var out = negative ? "-" : ""
        if k <= n && n <= 21 {
            out += digits + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            let index = digits.index(digits.startIndex, offsetBy: n)
            out += digits[..<index] + "." + digits[index...]
        } else if -6 < n && n <= 0 {
            out += "0." + String(repeating: "0", count: -n) + digits
        } else {
            let e = n - 1
            let first = digits.prefix(1)
            let rest = digits.dropFirst()
            out += first + (rest.isEmpty ? "" : "." + rest) + "e" + (e < 0 ? "-" : "+") + String(abs(e))
        }
        return out
    }
}
