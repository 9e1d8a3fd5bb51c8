/// File names on Linux are byte strings, not text: a seized tree can hold names that are
/// not valid UTF-8 or that contain newlines. imprint keeps the exact bytes (what the
/// database stores and what the Merkle leaves commit to) and derives an unambiguous
/// display form for people and JSON.
public enum PathBytes {
    /// Display form: valid UTF-8 is kept, except that a backslash becomes `\\`, control
    /// characters become `\n`, `\t`, `\r` or `\xNN`, C1 controls and bidirectional
    /// formatting characters become `\u{NNNN}`, and every byte that is not part of valid
    /// UTF-8 becomes `\xNN`. Distinct byte strings give distinct display strings.
    public static func display<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let input = Array(bytes)
        var out = ""
        var index = 0
        while index < input.count {
            let byte = input[index]
            let length = utf8SequenceLength(input, at: index)
            if length == 0 {
                out += escapeByte(byte)
                index += 1
                continue
            }
            if length == 1 {
                switch byte {
                case UInt8(ascii: "\\"): out += "\\\\"
                case 0x0a: out += "\\n"
                case 0x09: out += "\\t"
                case 0x0d: out += "\\r"
                case 0..<0x20, 0x7f: out += escapeByte(byte)
                default: out.unicodeScalars.append(Unicode.Scalar(byte))
                }
            } else {
                let text = String(decoding: input[index..<(index + length)], as: UTF8.self)
                if let scalar = text.unicodeScalars.first, isDeceptive(scalar) {
                    // C1 controls and bidirectional overrides can make a name display as
                    // another name (e.g. "gpj.exe" shown as "exe.jpg"); show them as escapes.
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out += text
                }
            }
            index += length
        }
        return out
    }

    private static func isDeceptive(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    private static func escapeByte(_ byte: UInt8) -> String {
        "\\x" + Hex.encode([byte])
    }

    /// Length of the well-formed UTF-8 sequence starting at `index`, or 0 if ill-formed
    /// (overlong forms, surrogates and values above U+10FFFF are ill-formed).
    private static func utf8SequenceLength(_ b: [UInt8], at index: Int) -> Int {
        let first = b[index]
        func cont(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < b.count && range.contains(b[index + offset])
        }
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0...0xBF) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80...0x9F) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90...0xBF) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80...0x8F) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    /// Joins a parent path and a child name with `/` (no leading slash at the root).
    public static func join(_ parent: [UInt8], _ name: [UInt8]) -> [UInt8] {
        if parent.isEmpty { return name }
        if parent.last == UInt8(ascii: "/") { return parent + name }
        return parent + [UInt8(ascii: "/")] + name
    }
}
