import ImprintSimilarity

/// Seeded, stratified bootstrap intervals: positives and negatives are resampled
/// separately (each class keeps its size), so every resample has both classes and the
/// interval reflects the sampling of each. The same seed gives the same interval.
public enum Bootstrap {
    public struct Interval: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var resamples: Int
    }

    /// The percentile interval (2.5 %, 97.5 % for `level` 0.95) of `statistic` over
    /// `resamples` stratified resamples.
    public static func interval(scores: [Double], labels: [Int], resamples: Int = 1000, seed: UInt64 = 1,
                                level: Double = 0.95,
                                statistic: ([Double], [Int]) -> Double?) -> Interval? {
        let positives = labels.indices.filter { labels[$0] == 1 }, negatives = labels.indices.filter { labels[$0] != 1 }
        guard !positives.isEmpty, !negatives.isEmpty, resamples > 0 else { return nil }
        var rng = SplitMix64(state: seed)
        var values: [Double] = []
        values.reserveCapacity(resamples)
        var sampleScores = [Double](repeating: 0, count: labels.count), sampleLabels = [Int](repeating: 0, count: labels.count)
        for _ in 0..<resamples {
            var slot = 0
            for group in [positives, negatives] {
                for _ in 0..<group.count {
                    let pick = group[Int(rng.next() % UInt64(group.count))]
                    sampleScores[slot] = scores[pick]
                    sampleLabels[slot] = labels[pick]
                    slot += 1
                }
            }
            if let value = statistic(sampleScores, sampleLabels) { values.append(value) }
        }
        guard !values.isEmpty else { return nil }
        values.sort()
        let alpha = (1 - level) / 2
        func quantile(_ q: Double) -> Double {
            let position = q * Double(values.count - 1)
            let low = Int(position.rounded(.down)), high = min(low + 1, values.count - 1)
            return values[low] + (values[high] - values[low]) * (position - Double(low))
        }
        return Interval(lower: quantile(alpha), upper: quantile(1 - alpha), resamples: values.count)
    }
}
