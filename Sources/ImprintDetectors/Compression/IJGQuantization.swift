/// The standard JPEG quantisation tables and libjpeg's quality scaling (ITU-T T.81 Annex K,
/// IJG `jcparam.c`). Every libjpeg-family encoder (cjpeg, Pillow, OpenCV, ImageMagick, GIMP,
/// most web services) writes these tables scaled to a quality 1…100, so an exact match says
/// which library-style encoder last wrote the file and at what quality.
public enum IJGQuantization {
    /// Table K.1 (luminance), natural (row-major) order. Σ = 3688.
    public static let annexKLuma: [Int] = [
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    ]

    /// Table K.2 (chrominance), natural order. Σ = 5505.
    public static let annexKChroma: [Int] = [
        17, 18, 24, 47, 99, 99, 99, 99,
        18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
    ]

    /// libjpeg's `jpeg_quality_scaling`: the percentage the base table is scaled by.
    public static func scaleFactor(quality: Int) -> Int {
        let q = min(max(quality, 1), 100)
        return q < 50 ? 5000 / q : 200 - 2 * q
    }

    /// libjpeg's `jpeg_add_quant_table`: `(T·S + 50) / 100`, clamped to [1, 32767], and to
    /// 255 when `forceBaseline` (the `jpeg_set_quality` default).
    public static func table(base: [Int], quality: Int, forceBaseline: Bool = true) -> [Int] {
        let scale = scaleFactor(quality: quality)
        return base.map { value in
            let scaled = min(max((value * scale + 50) / 100, 1), 32767)
            return forceBaseline ? min(scaled, 255) : scaled
        }
    }

    /// The quality (1…100) whose IJG table equals `values` exactly, trying baseline-clamped
    /// tables first and unclamped (16-bit) ones after; nil when none does.
    public static func exactQuality(_ values: [Int], base: [Int]) -> Int? {
        guard values.count == 64 else { return nil }
        let lookup = values.contains { $0 > 255 } ? unclampedLookup(base) : baselineLookup(base)
        return lookup[values]
    }

    private static let lumaBaseline = makeLookup(annexKLuma, forceBaseline: true)
    private static let chromaBaseline = makeLookup(annexKChroma, forceBaseline: true)
    private static let lumaUnclamped = makeLookup(annexKLuma, forceBaseline: false)
    private static let chromaUnclamped = makeLookup(annexKChroma, forceBaseline: false)

    private static func baselineLookup(_ base: [Int]) -> [[Int]: Int] { base == annexKLuma ? lumaBaseline : chromaBaseline }
    private static func unclampedLookup(_ base: [Int]) -> [[Int]: Int] { base == annexKLuma ? lumaUnclamped : chromaUnclamped }

    private static func makeLookup(_ base: [Int], forceBaseline: Bool) -> [[Int]: Int] {
        var lookup: [[Int]: Int] = [:]
        // Low qualities first win, but every quality 1…100 gives a distinct table except where
        // clamping merges them; keeping the highest quality for a clamped duplicate is as good.
        for quality in 1...100 { lookup[table(base: base, quality: quality, forceBaseline: forceBaseline)] = quality }
        return lookup
    }

    /// The quality estimate for a table that is not an exact IJG one: the median of
    /// `S = 100·Q/T` over entries not clamped (1 < Q < 255), mapped back through the IJG
    /// scale (`S ≤ 100 ? (200 − S)/2 : 5000/S`), with the deviation from IJG(round q̂).
    public struct Estimate: Sendable, Equatable {
        public var quality: Double
        public var scale: Double
        /// Σ|ΔQ| and max|ΔQ| against the IJG table at the rounded quality.
        public var deviationSum: Int
        public var deviationMax: Int
        /// Whether every entry is within one step of `T·S/100` (a proportional Annex K table
        /// rounded another way, or scaled by a non-IJG quality mapping).
        public var proportionalToAnnexK: Bool
    }

    public static func estimate(_ values: [Int], base: [Int]) -> Estimate? {
        guard values.count == 64, base.count == 64 else { return nil }
        var ratios: [Double] = []
        for index in 0..<64 where values[index] > 1 && values[index] < 255 {
            ratios.append(100 * Double(values[index]) / Double(base[index]))
        }
        let scale: Double
        if ratios.isEmpty {
            // Every entry clamped: all 1 (quality ≈ 100) or all 255 (quality ≈ 1).
            scale = values.allSatisfy { $0 <= 1 } ? 0 : 5000
        } else {
            ratios.sort()
            let middle = ratios.count / 2
            scale = ratios.count % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2
        }
        let quality = scale <= 100 ? (200 - scale) / 2 : 5000 / max(scale, 1e-9)
        let clamped = min(max(quality, 1), 100)
        let reference = table(base: base, quality: Int(clamped.rounded()), forceBaseline: !values.contains { $0 > 255 })
        var sum = 0, maximum = 0
        var proportional = true
        for index in 0..<64 {
            let difference = abs(values[index] - reference[index])
            sum += difference
            maximum = max(maximum, difference)
            let ideal = min(max(Double(base[index]) * scale / 100, 1), values[index] > 255 ? 32767 : 255)
            if abs(Double(values[index]) - ideal) > 1.0 + 1e-9 { proportional = false }
        }
        return Estimate(quality: (clamped * 10).rounded() / 10, scale: (scale * 100).rounded() / 100,
                        deviationSum: sum, deviationMax: maximum, proportionalToAnnexK: proportional)
    }
}
