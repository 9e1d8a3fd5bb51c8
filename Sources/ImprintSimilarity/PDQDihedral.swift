/// The 8 dihedral views of an image and how each is derived from the original's 16×16
/// DCT (spec §8). Reversing an axis multiplies DCT frequency u by (−1)^u, and index i
/// holds frequency i + 1, so a flip negates the even indexes along that axis; a
/// transpose swaps the axes. The raw values are PDQ's `dih` names.
public enum PDQDihedral: String, Sendable, CaseIterable, Codable {
    case original
    /// 90° counter-clockwise.
    case rotate90
    case rotate180
    /// 90° clockwise.
    case rotate270
    /// Mirror top ↔ bottom.
    case flipX
    /// Mirror left ↔ right.
    case flipY
    /// Transpose (main diagonal).
    case flipPlus1
    /// Anti-transpose.
    case flipMinus1

    /// The EXIF Orientation (1…8) whose displayed image this variant hashes.
    public var exifOrientation: Int {
        switch self {
        case .original: return 1
        case .flipY: return 2
        case .rotate180: return 3
        case .flipX: return 4
        case .flipPlus1: return 5
        case .rotate270: return 6
        case .flipMinus1: return 7
        case .rotate90: return 8
        }
    }

    /// B' from B (both 16×16 row-major), exactly the reference's sign and index rules.
    func transform(_ b: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: 256)
        for i in 0..<16 {
            for j in 0..<16 {
                let value = b[i * 16 + j]
                let iOdd = i & 1 == 1, jOdd = j & 1 == 1, sumOdd = (i + j) & 1 == 1
                switch self {
                case .original: out[i * 16 + j] = value
                case .rotate90: out[j * 16 + i] = jOdd ? value : -value
                case .rotate180: out[i * 16 + j] = sumOdd ? -value : value
                case .rotate270: out[j * 16 + i] = iOdd ? value : -value
                case .flipX: out[i * 16 + j] = iOdd ? value : -value
                case .flipY: out[i * 16 + j] = jOdd ? value : -value
                case .flipPlus1: out[j * 16 + i] = value
                case .flipMinus1: out[j * 16 + i] = sumOdd ? -value : value
                }
            }
        }
        return out
    }
}
