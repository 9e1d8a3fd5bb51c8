import ImprintBytes

extension ByteReader {
    /// A reader over `bytes[offset..<end]` (end defaults to the end of the buffer), with
    /// absolute offsets. Throws when the range does not lie inside the buffer.
    static func over(_ bytes: [UInt8], from offset: Int, to end: Int? = nil) throws(ByteReaderError) -> ByteReader {
        var reader = ByteReader(bytes)
        try reader.skip(offset, "start of range")
        let stop = end ?? bytes.count
        return try reader.subReader(stop - offset, "range")
    }

    /// Reads a NUL-terminated string (the NUL is consumed, not returned), at most `maxLength`
    /// bytes before the NUL. Throws when no NUL is found in time.
    mutating func readCString(maxLength: Int = 4096, _ what: String = "string") throws(ByteReaderError) -> ArraySlice<UInt8> {
        let start = offset
        var length = 0
        while true {
            guard let byte = peekUInt8(at: length) else {
                throw .truncated(needed: length + 1, available: remaining, at: start, what: "\(what) terminator")
            }
            if byte == 0 { break }
            length += 1
            if length > maxLength {
                throw .invalidLength(length, at: start, what: "\(what) (no terminator within \(maxLength) bytes)")
            }
        }
        let value = try readBytes(length, what)
        try skip(1, "\(what) terminator")
        return value
    }

    /// Reads an unsigned big-endian integer of 0, 1, 2, 4 or 8 bytes (BMFF `iloc` fields).
    mutating func readUIntBE(size: Int, _ what: String = "integer") throws(ByteReaderError) -> UInt64 {
        switch size {
        case 0: return 0
        case 1: return UInt64(try readUInt8(what))
        case 2: return UInt64(try readUInt16BE(what))
        case 4: return UInt64(try readUInt32BE(what))
        case 8: return try readUInt64BE(what)
        default: throw .invalidLength(size, at: offset, what: "\(what) field size")
        }
    }
}

enum TextDecoding {
    /// ISO-8859-1: every byte is the code point of the same value, so this never fails.
    static func latin1<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// UTF-8 when the bytes are valid UTF-8, else ISO-8859-1 (what old JPEG comment
    /// writers used), so a comment is never lost to a decoding error.
    static func utf8OrLatin1<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return latin1(bytes)
    }

    /// Printable ASCII of a four-character code; other bytes become `?` so a hostile code
    /// cannot inject control characters into names shown to users.
    static func fourCC<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(bytes.map { (0x20...0x7E).contains($0) ? Character(Unicode.Scalar($0)) : "?" })
    }

    static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef")
        var text = ""
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}

extension Array where Element == UInt8 {
    /// Whether `prefix` occurs at `offset` (false when it would run past the end).
    func matches(_ prefix: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, prefix.count <= count - offset else { return false }
        return self[offset..<(offset + prefix.count)].elementsEqual(prefix)
    }
}

/// Adds two lengths from the data, treating overflow as "too large" rather than trapping.
func checkedSum(_ a: Int, _ b: Int) -> Int? {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? nil : sum
}
