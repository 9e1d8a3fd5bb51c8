/// A 256-bit PDQ hash (docs/specs/PDQ-AND-PERCEPTUAL-HASHES.md §9).
///
/// Bit `k = 16·i + j` is DCT coefficient (i, j): word `w[k >> 4]`, bit `k & 15`. In memory
/// the 16 words are packed into four 64-bit limbs, `limb[m] = w[4m] | w[4m+1] << 16 | …`, so
/// the text form (`%04x` of w15…w0) is simply limb3…limb0 as `%016llx`, and the Hamming
/// distance is four popcounts. The all-zero hash means "not hashable" and never matches.
public struct PDQHash: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// limb0 holds words 0…3 (bits 0…63), limb3 words 12…15 (bits 192…255).
    public private(set) var limbs: SIMD4<UInt64>

    public static let bitCount = 256
    /// `PDQ_CONFIDENT_MATCH_THRESHOLD`: a distance at or below this is a match (§10).
    public static let matchThreshold = 31
    /// Hashes with a quality below this are stored but never matched or clustered (§10).
    public static let minimumMatchQuality = 50
    public static let zero = PDQHash(limbs: .zero)

    public init(limbs: SIMD4<UInt64>) {
        self.limbs = limbs
    }

    /// From the 16 words w0…w15; nil unless exactly 16 are given.
    public init?(words: [UInt16]) {
        guard words.count == 16 else { return nil }
        var limbs = SIMD4<UInt64>.zero
        for index in 0..<16 {
            limbs[index >> 2] |= UInt64(words[index]) << (UInt64(index & 3) * 16)
        }
        self.limbs = limbs
    }

    /// Builds a hash from a predicate over bit indexes 0…255.
    init(settingBitsWhere isSet: (Int) -> Bool) {
        var limbs = SIMD4<UInt64>.zero
        for k in 0..<256 where isSet(k) {
            limbs[k >> 6] |= 1 << UInt64(k & 63)
        }
        self.limbs = limbs
    }

    /// Parses exactly 64 hexadecimal characters (uppercase accepted); anything else is nil.
    public init?(hex text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 64 else { return nil }
        var limbs = SIMD4<UInt64>.zero
        for (position, character) in utf8.enumerated() {
            guard let nibble = HexDigits.value(of: character) else { return nil }
            // The first character is the top nibble of limb3.
            let limb = 3 - position / 16
            limbs[limb] = limbs[limb] << 4 | UInt64(nibble)
        }
        self.limbs = limbs
    }

    /// The 32-byte big-endian form (the SQLite BLOB of §9): the hex text, decoded.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        var limbs = SIMD4<UInt64>.zero
        for (position, byte) in bytes.enumerated() {
            let limb = 3 - position / 8
            limbs[limb] = limbs[limb] << 8 | UInt64(byte)
        }
        self.limbs = limbs
    }

    /// Word `index` (0…15): DCT row `index`, bit j = column j.
    public func word(_ index: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: limbs[index >> 2] >> (UInt64(index & 3) * 16))
    }

    public var words: [UInt16] { (0..<16).map(word) }

    /// Bit `k` (0…255), i.e. whether DCT coefficient (k / 16, k % 16) is above the median.
    public func bit(_ k: Int) -> Bool {
        (limbs[k >> 6] >> UInt64(k & 63)) & 1 == 1
    }

    /// 64 lowercase hex characters: w15…w0, each `%04x`.
    public var hex: String {
        var out = ""
        out.reserveCapacity(64)
        for limb in stride(from: 3, through: 0, by: -1) {
            out += HexDigits.fixedWidth(limbs[limb], digits: 16)
        }
        return out
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for limb in stride(from: 3, through: 0, by: -1) {
            for shift in stride(from: 56, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: limbs[limb] >> UInt64(shift)))
            }
        }
        return out
    }

    public var description: String { hex }

    /// The all-zero hash stands for "not hashable" (too small an image).
    public var isZero: Bool { limbs == .zero }

    public var setBitCount: Int {
        limbs[0].nonzeroBitCount + limbs[1].nonzeroBitCount + limbs[2].nonzeroBitCount + limbs[3].nonzeroBitCount
    }

    /// Hamming distance: Σ popcount(limbₐ XOR limb_b), 0…256.
    public func distance(to other: PDQHash) -> Int {
        let x = limbs ^ other.limbs
        return x[0].nonzeroBitCount + x[1].nonzeroBitCount + x[2].nonzeroBitCount + x[3].nonzeroBitCount
    }

    public static func hammingDistance(_ a: PDQHash, _ b: PDQHash) -> Int { a.distance(to: b) }

    /// Hamming distance between two hex texts; nil when either is not a valid PDQ hash.
    public static func hammingDistance(hex a: String, _ b: String) -> Int? {
        guard let x = PDQHash(hex: a), let y = PDQHash(hex: b) else { return nil }
        return x.distance(to: y)
    }

    /// Orders by the big-endian integer (the order of the hex text), for stable listings.
    public static func < (lhs: PDQHash, rhs: PDQHash) -> Bool {
        for limb in stride(from: 3, through: 0, by: -1) where lhs.limbs[limb] != rhs.limbs[limb] {
            return lhs.limbs[limb] < rhs.limbs[limb]
        }
        return false
    }
}

/// Hex digits for the hash types (ImprintBytes.Hex works on byte arrays; these work on
/// integers of a fixed width and validate single characters).
enum HexDigits {
    private static let digits = Array("0123456789abcdef".utf8)

    static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// `value` as exactly `digits` lowercase hex characters, most significant first.
    static func fixedWidth(_ value: UInt64, digits count: Int) -> String {
        var out = [UInt8](repeating: 0, count: count)
        var rest = value
        for position in stride(from: count - 1, through: 0, by: -1) {
            out[position] = digits[Int(rest & 0xf)]
            rest >>= 4
        }
        return String(decoding: out, as: UTF8.self)
    }
}
