import Foundation

/// Metrics of a detector's scores against binary labels (1 = positive, i.e. `ai`).
/// Higher scores mean "more likely positive". Ties are handled the standard way
/// (mid-ranks for the AUC; thresholds never split tied scores).
public enum BinaryMetrics {
    /// ROC AUC as the Mann–Whitney statistic: the probability that a random positive scores
    /// above a random negative, ties counting one half. Nil without both classes.
    public static func auc(scores: [Double], labels: [Int]) -> Double? {
        let positives = labels.filter { $0 == 1 }.count, negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSumPositive = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let midRank = Double(start + end) / 2 + 1
            for position in start...end where labels[order[position]] == 1 { rankSumPositive += midRank }
            start = end + 1
        }
        let p = Double(positives), n = Double(negatives)
        return (rankSumPositive - p * (p + 1) / 2) / (p * n)
    }

    public struct ROCPoint: Sendable, Equatable {
        public var threshold: Double
        public var fpr: Double
        public var tpr: Double
    }

    /// The ROC curve: one point per distinct score (flag when score ≥ threshold), from
    /// (0, 0) to (1, 1).
    public static func roc(scores: [Double], labels: [Int]) -> [ROCPoint] {
        let positives = Double(labels.filter { $0 == 1 }.count), negatives = Double(labels.count) - positives
        guard positives > 0, negatives > 0 else { return [] }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points = [ROCPoint(threshold: .infinity, fpr: 0, tpr: 0)]
        var tp = 0.0, fp = 0.0
        var index = 0
        while index < order.count {
            let threshold = scores[order[index]]
            while index < order.count && scores[order[index]] == threshold {
                if labels[order[index]] == 1 { tp += 1 } else { fp += 1 }
                index += 1
            }
            points.append(ROCPoint(threshold: threshold, fpr: fp / negatives, tpr: tp / positives))
        }
        return points
    }

    /// The operating point with the highest TPR whose FPR does not exceed `maxFPR`
    /// (thresholds at the observed scores; flag when score ≥ threshold).
    public static func tprAtFPR(scores: [Double], labels: [Int], maxFPR: Double) -> ROCPoint? {
        roc(scores: scores, labels: labels).last { $0.fpr <= maxFPR + 1e-12 }
    }

    /// The threshold that keeps the false-positive rate on `negativeScores` at or under
    /// `maxFPR`: the smallest observed score above all but ⌊maxFPR·n⌋ negatives.
    public static func thresholdForFPR(negativeScores: [Double], maxFPR: Double) -> Double {
        let sorted = negativeScores.sorted(by: >)
        guard !sorted.isEmpty else { return 0.5 }
        let allowed = Int((maxFPR * Double(sorted.count)).rounded(.down))
        // Flag when score ≥ threshold: place the threshold just above the (allowed+1)-th largest.
        let blocker = sorted[min(allowed, sorted.count - 1)]
        return blocker.nextUp
    }

    public struct Confusion: Sendable, Equatable {
        public var truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0
        public var accuracy: Double {
            let total = truePositives + falsePositives + trueNegatives + falseNegatives
            return total == 0 ? 0 : Double(truePositives + trueNegatives) / Double(total)
        }
        public var tpr: Double { truePositives + falseNegatives == 0 ? 0 : Double(truePositives) / Double(truePositives + falseNegatives) }
        public var fpr: Double { falsePositives + trueNegatives == 0 ? 0 : Double(falsePositives) / Double(falsePositives + trueNegatives) }
    }

    public static func confusion(scores: [Double], labels: [Int], threshold: Double) -> Confusion {
        var matrix = Confusion()
        for (score, label) in zip(scores, labels) {
            switch (score >= threshold, label == 1) {
            case (true, true): matrix.truePositives += 1
            case (true, false): matrix.falsePositives += 1
            case (false, false): matrix.trueNegatives += 1
            case (false, true): matrix.falseNegatives += 1
            }
        }
        return matrix
    }

    public struct ReliabilityBin: Sendable, Equatable {
        public var count: Int
        public var meanScore: Double
        public var positiveRate: Double
    }

    /// Reliability diagram with `bins` equal-count bins (by sorted score; ties kept in
    /// order of appearance), and the expected calibration error Σ (n_b/n)·|mean score −
    /// positive rate|. Meaningful only for scores that claim to be probabilities.
    public static func calibration(scores: [Double], labels: [Int], bins: Int = 10) -> (ece: Double, bins: [ReliabilityBin])? {
        guard !scores.isEmpty, bins > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        let n = order.count, binCount = min(bins, n)
        var result: [ReliabilityBin] = []
        var ece = 0.0
        for bin in 0..<binCount {
            let lower = bin * n / binCount, upper = (bin + 1) * n / binCount
            guard upper > lower else { continue }
            let members = order[lower..<upper]
            let meanScore = members.reduce(0.0) { $0 + scores[$1] } / Double(members.count)
            let positiveRate = Double(members.filter { labels[$0] == 1 }.count) / Double(members.count)
            result.append(ReliabilityBin(count: members.count, meanScore: meanScore, positiveRate: positiveRate))
            ece += Double(members.count) / Double(n) * abs(meanScore - positiveRate)
        }
        return (ece, result)
    }

    /// Brier score: mean squared difference between score and label.
    public static func brier(scores: [Double], labels: [Int]) -> Double? {
        guard !scores.isEmpty else { return nil }
        return zip(scores, labels).reduce(0.0) { $0 + ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) } / Double(scores.count)
    }
}
