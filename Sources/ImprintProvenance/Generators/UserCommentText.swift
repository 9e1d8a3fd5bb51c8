import ImprintBytes

/// EXIF UserComment decoding (GENERATOR-METADATA.md §1, CIPA DC-008): an 8-byte character
/// code, then the text. `UNICODE` text is UTF-16 in the BOM's order, else the TIFF header's
/// order; piexif (and so A1111) writes big-endian under an `MM` header. When that order
/// decodes badly the other one is tried, and the choice is recorded with the value.
enum UserCommentText {
    struct Decoded: Sendable, Equatable {
        var text: String
        /// `ASCII`, `UNICODE`, `JIS`, `undefined` (8 NULs), or `none` (no character code).
        var charset: String
        var byteOrder: String?
        /// Why that byte order: `BOM`, `TIFF header`, or the fallback that chose it.
        var byteOrderReason: String?

        var json: JSONValue {
            .object(["charset": .string(charset), "byteOrder": byteOrder.map(JSONValue.string),
                     "byteOrderReason": byteOrderReason.map(JSONValue.string)])
        }
    }

    static let ascii = Array("ASCII\0\0\0".utf8)
    static let unicode = Array("UNICODE\0".utf8)
    static let jis = Array("JIS\0\0\0\0\0".utf8)

    static func decode(_ bytes: ArraySlice<UInt8>, tiffLittleEndian: Bool) -> Decoded {
        let all = Array(bytes)
        guard all.count >= 8 else { return Decoded(text: plain(all), charset: "none") }
        let code = Array(all[0..<8])
        let body = Array(all[8...])
        switch code {
        case unicode: return utf16(body, tiffLittleEndian: tiffLittleEndian)
        case ascii: return Decoded(text: plain(body), charset: "ASCII")
        case jis:
            // JIS X 0208 has no decoder here; the bytes are kept as Latin-1 and flagged.
            return Decoded(text: TextDecodingLite.latin1(stripNULs(body)), charset: "JIS (not decoded)")
        case [UInt8](repeating: 0, count: 8): return Decoded(text: plain(body), charset: "undefined")
        default: return Decoded(text: plain(all), charset: "none")
        }
    }

    private static func stripNULs(_ bytes: [UInt8]) -> [UInt8] {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0 { end -= 1 }
        return Array(bytes[0..<end])
    }

    private static func plain(_ bytes: [UInt8]) -> String { TextDecodingLite.utf8OrLatin1(stripNULs(bytes)) }

    private static func units(_ bytes: [UInt8], littleEndian: Bool) -> [UInt16] {
        stride(from: 0, to: bytes.count - 1, by: 2).map { index in
            littleEndian ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
                : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
        }
    }

    /// NUL code units and unpaired surrogates: the marks of a wrong byte order.
    private static func badness(_ units: [UInt16]) -> Int {
        var bad = 0
        var index = 0
        while index < units.count {
            let unit = units[index]
            if unit == 0 { bad += 1 }
            else if (0xD800...0xDBFF).contains(unit) {
                if index + 1 < units.count, (0xDC00...0xDFFF).contains(units[index + 1]) { index += 1 } else { bad += 1 }
            } else if (0xDC00...0xDFFF).contains(unit) || unit == 0xFFFE || unit == 0xFFFF { bad += 1 }
            index += 1
        }
        return bad
    }

    private static func latinShare(_ units: [UInt16]) -> Double {
        guard !units.isEmpty else { return 0 }
        return Double(units.filter { $0 < 0x100 }.count) / Double(units.count)
    }

    private static func utf16(_ body: [UInt8], tiffLittleEndian: Bool) -> Decoded {
        var data = body
        var order: Bool
        var reason: String
        if data.count >= 2, data[0] == 0xFE, data[1] == 0xFF {
            order = false; reason = "BOM"; data.removeFirst(2)
        } else if data.count >= 2, data[0] == 0xFF, data[1] == 0xFE {
            order = true; reason = "BOM"; data.removeFirst(2)
        } else {
            order = tiffLittleEndian
            reason = "TIFF header"
            var chosen = trimmed(units(data, littleEndian: order))
            let other = trimmed(units(data, littleEndian: !order))
            let (badChosen, badOther) = (badness(chosen), badness(other))
            if badChosen > 0, badOther < badChosen {
                order.toggle()
                reason = "fallback: the TIFF header's order gave \(badChosen) NUL or invalid code units, the other \(badOther)"
                chosen = other
            } else if !chosen.isEmpty, latinShare(chosen) == 0, latinShare(other) >= 0.5, badOther <= badChosen {
                // Byte-swapped Latin text decodes to valid but foreign code points (U+7000 for
                // "p"): no NULs, yet not one character below U+0100.
                order.toggle()
                reason = "fallback: the TIFF header's order gave no Latin text, the other order does"
            }
        }
        let decoded = trimmed(units(data, littleEndian: order))
        return Decoded(text: String(decoding: decoded, as: UTF16.self), charset: "UNICODE",
                       byteOrder: order ? "little-endian" : "big-endian", byteOrderReason: reason)
    }

    private static func trimmed(_ units: [UInt16]) -> [UInt16] {
        var end = units.count
        while end > 0, units[end - 1] == 0 { end -= 1 }
        return Array(units[0..<end])
    }
}

/// Text decoding for carriers: UTF-8 when valid, else Latin-1 (every byte is a character).
enum TextDecodingLite {
    static func utf8OrLatin1<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return latin1(bytes)
    }

    static func latin1<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}
