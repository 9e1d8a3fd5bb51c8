/// How strongly a decode supports the presence of a payload (SD-WATERMARK.md §3).
public enum DwtDctTier: String, Sendable, Comparable, CaseIterable {
    case none, partial, likely
    case veryLikely = "very_likely"

    private var rank: Int {
        switch self {
        case .none: return 0
        case .partial: return 1
        case .likely: return 2
        case .veryLikely: return 3
        }
    }

    public static func < (lhs: DwtDctTier, rhs: DwtDctTier) -> Bool { lhs.rank < rhs.rank }
}

/// The statistics behind a tier: the binomial tail of the agreement, corrected for the
/// variants searched and for what unmarked photographs measurably do (docs/watermarks.md).
public enum DwtDctScoring {
    /// Unmarked images do not decode to independent fair bits (smooth chroma biases the
    /// residues), so the search-corrected binomial tail may be multiplied by a factor.
    /// scripts/watermark-null.sh measures it on the unmarked photographs of
    /// ../shared/corpus: how many decodes fell below each level, divided by how many
    /// should. On 178 distinct photographs (534 decodes) the largest ratio was 0.22 (0.56
    /// at the 1 % level, from a single decode): the search correction (144 strongly
    /// correlated variants counted as independent) already over-covers the image bias.
    /// The factor is kept at 1, not lowered, because the null below the 1 % level is
    /// not measured (docs/watermarks.md).
    public static let empiricalInflation = 1.0

    /// Tier boundaries on the corrected false-alarm probability.
    public static let veryLikelyAt = 1e-6
    public static let likelyAt = 1e-3
    public static let partialAt = 5e-2

    /// When at least this fraction of the decoded bits are equal, the decode is degenerate
    /// (flat or saturated chroma votes one way) and capped at `partial`.
    public static let degenerateFraction = 0.9

    /// P(false alarm) for `agreeing` of `length` bits after a search over `searchSize` variants.
    public static func falseAlarmProbability(agreeing: Int, length: Int, searchSize: Int) -> (tail: Double, corrected: Double) {
        let tail = BinomialTail.upper(k: agreeing, n: length)
        return (tail, min(1, tail * Double(searchSize) * empiricalInflation))
    }

    public static func tier(falseAlarm: Double, degenerate: Bool) -> DwtDctTier {
        let tier: DwtDctTier
        if falseAlarm <= veryLikelyAt { tier = .veryLikely }
        else if falseAlarm <= likelyAt { tier = .likely }
        else if falseAlarm <= partialAt { tier = .partial }
        else { tier = .none }
        return degenerate ? min(tier, .partial) : tier
    }
}
