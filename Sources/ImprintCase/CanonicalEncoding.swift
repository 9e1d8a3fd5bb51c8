/// `enc(x)` of docs/custody.md: a u32 big-endian byte length followed by the bytes.
/// Integers are encoded as their decimal text. Length-prefixing makes the concatenation
/// unambiguous: no choice of field contents can make two different events encode alike.
enum CanonicalEncoding {
    static func append(_ bytes: [UInt8], to out: inout [UInt8]) {
        let count = UInt32(truncatingIfNeeded: bytes.count)
        out.append(UInt8(count >> 24))
        out.append(UInt8(count >> 16 & 0xff))
        out.append(UInt8(count >> 8 & 0xff))
        out.append(UInt8(count & 0xff))
        out.append(contentsOf: bytes)
    }

    static func append(_ text: String, to out: inout [UInt8]) {
        append(Array(text.utf8), to: &out)
    }

    static func append(_ integer: Int64, to out: inout [UInt8]) {
        append(String(integer), to: &out)
    }
}
