/// A 64-bit hash as Python `imagehash` 4.3.2 computes and prints it (spec §13): the
/// 8×8 bit array flattened row-major, its first element the most significant bit of a
/// big-endian integer, printed as 16 lowercase hex digits. (PDQ uses the opposite bit
/// order; the two are never mixed.)
public struct ImageHash64: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64

    public init(value: UInt64) {
        self.value = value
    }

    /// From 64 booleans in row-major order; nil unless exactly 64 are given.
    public init?(bits: [Bool]) {
        guard bits.count == 64 else { return nil }
        var value: UInt64 = 0
        for bit in bits { value = value << 1 | (bit ? 1 : 0) }
        self.value = value
    }

    /// Parses 16 hex digits (either case); anything else is nil. Pre-3.7 `imagehash`
    /// text (`old_hex_to_hash`) used another packing and is not accepted here.
    public init?(hex text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 16 else { return nil }
        var value: UInt64 = 0
        for character in utf8 {
            guard let nibble = HexDigits.value(of: character) else { return nil }
            value = value << 4 | UInt64(nibble)
        }
        self.value = value
    }

    /// Element `index` (row-major) of the 8×8 bit array.
    public func bit(_ index: Int) -> Bool {
        (value >> UInt64(63 - index)) & 1 == 1
    }

    public var hex: String { HexDigits.fixedWidth(value, digits: 16) }
    public var description: String { hex }

    /// The number of differing bits, 0…64 (`imagehash`'s `a - b`).
    public func distance(to other: ImageHash64) -> Int { (value ^ other.value).nonzeroBitCount }

    public static func hammingDistance(_ a: ImageHash64, _ b: ImageHash64) -> Int { a.distance(to: b) }

    /// Hamming distance between two hex texts; nil when either is not a 64-bit hash.
    public static func hammingDistance(hex a: String, _ b: String) -> Int? {
        guard let x = ImageHash64(hex: a), let y = ImageHash64(hex: b) else { return nil }
        return x.distance(to: y)
    }
}
