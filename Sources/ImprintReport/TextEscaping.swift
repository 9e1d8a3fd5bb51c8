import ImprintBytes

/// Escaping for every place a report writes text that came from evidence or the case
/// (file names, metadata, notes): all of it is untrusted.
enum Escape {
    /// Text content and attribute values (double-quoted).
    static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case _ where scalar.value < 0x20 && scalar != "\n" && scalar != "\t":
                // Control characters are not allowed in HTML text; show them as code points.
                out += "&#x2420;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A CSS string literal (for @page margin boxes): everything outside a safe set is a
    /// hex escape, so neither a quote nor "</style>" can end it early.
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let safe = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
                || scalar == " " || scalar == "." || scalar == "-" || scalar == "_" || scalar == ":" || scalar == ","
            if safe {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\" + String(v, radix: 16) + " "
            }
        }
        return out + "\""
    }

    /// One CSV field (RFC 4180). A field that a spreadsheet would run as a formula (it
    /// starts with = + - @, tab or carriage return) is prefixed with an apostrophe, since
    /// file names and metadata are chosen by whoever made the evidence.
    static func csv(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}

/// JSON written with two-space indentation and members in insertion order, so exports are
/// readable and diffable; the same value always gives the same text.
enum PrettyJSON {
    static func write(_ value: JSONValue, indent: Int = 0, to out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch value {
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(isScalar) && items.count <= 8 { out += value.serialized(); return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += inner
                write(item, indent: indent + 1, to: &out)
                out += index + 1 < items.count ? ",\n" : "\n"
            }
            out += pad + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (index, member) in members.enumerated() {
                out += inner + JSONValue.string(member.key).serialized() + ": "
                write(member.value, indent: indent + 1, to: &out)
                out += index + 1 < members.count ? ",\n" : "\n"
            }
            out += pad + "}"
        default:
            out += value.serialized()
        }
    }

    static func string(_ value: JSONValue) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: return false
        default: return true
        }
    }
}
