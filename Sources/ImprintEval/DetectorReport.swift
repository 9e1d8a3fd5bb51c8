import Foundation
import ImprintBytes

/// One detector's figures on one labeled set.
public struct DetectorReport: Sendable {
    public var name: String
    public var n: Int
    public var positives: Int
    public var negatives: Int
    public var failures: Int = 0
    public var auc: Double?
    public var aucInterval: Bootstrap.Interval?
    public var tprAt1: BinaryMetrics.ROCPoint?
    public var tprAt5: BinaryMetrics.ROCPoint?
    public var threshold: Double
    public var confusion: BinaryMetrics.Confusion
    public var ece: Double?
    public var brier: Double?
    public var reliability: [BinaryMetrics.ReliabilityBin]
    public var roc: [BinaryMetrics.ROCPoint]
    public var groups: [GroupFigures] = []
    public var strata: [Stratum] = []

    /// Figures within one format or size stratum of the scored files.
    public struct Stratum: Sendable, Equatable {
        public var name: String
        public var n: Int
        public var positives: Int
        /// Nil unless the stratum holds both classes.
        public var auc: Double?
    }

    public struct GroupFigures: Sendable {
        public var group: String
        public var label: Int
        public var n: Int
        public var meanScore: Double
        /// Share flagged at the operating threshold: TPR for an `ai` group, FPR for a `real` one.
        public var flaggedRate: Double
        /// AUC of this group against every file of the other class.
        public var aucAgainstOtherClass: Double?
    }

    public static func compute(name: String, scores: [Double], labels: [Int], threshold: Double,
                               resamples: Int, seed: UInt64, groups: [String]? = nil) -> DetectorReport {
        let auc = BinaryMetrics.auc(scores: scores, labels: labels)
        let calibration = BinaryMetrics.calibration(scores: scores, labels: labels)
        var report = DetectorReport(
            name: name, n: scores.count, positives: labels.filter { $0 == 1 }.count, negatives: labels.filter { $0 != 1 }.count,
            auc: auc,
            aucInterval: Bootstrap.interval(scores: scores, labels: labels, resamples: resamples, seed: seed) { BinaryMetrics.auc(scores: $0, labels: $1) },
            tprAt1: BinaryMetrics.tprAtFPR(scores: scores, labels: labels, maxFPR: 0.01),
            tprAt5: BinaryMetrics.tprAtFPR(scores: scores, labels: labels, maxFPR: 0.05),
            threshold: threshold, confusion: BinaryMetrics.confusion(scores: scores, labels: labels, threshold: threshold),
            ece: calibration?.ece, brier: BinaryMetrics.brier(scores: scores, labels: labels),
            reliability: calibration?.bins ?? [], roc: BinaryMetrics.roc(scores: scores, labels: labels))
        if let groups {
            for group in Array(Set(groups)).sorted() {
                let members = groups.indices.filter { groups[$0] == group }
                guard let label = members.first.map({ labels[$0] }) else { continue }
                let groupScores = members.map { scores[$0] }
                let others = labels.indices.filter { labels[$0] != label }
                let pairScores = groupScores + others.map { scores[$0] }
                let pairLabels = members.map { labels[$0] } + others.map { labels[$0] }
                report.groups.append(GroupFigures(
                    group: group, label: label, n: members.count,
                    meanScore: groupScores.reduce(0, +) / Double(members.count),
                    flaggedRate: Double(groupScores.filter { $0 >= threshold }.count) / Double(members.count),
                    aucAgainstOtherClass: BinaryMetrics.auc(scores: pairScores, labels: pairLabels)))
            }
        }
        return report
    }

    static func r(_ value: Double?, _ digits: Int = 4) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        let factor = pow(10, Double(digits))
        return .double((value * factor).rounded() / factor)
    }

    static func point(_ point: BinaryMetrics.ROCPoint?) -> JSONValue {
        guard let point else { return .null }
        return .object([.init("tpr", r(point.tpr)), .init("fpr", r(point.fpr)),
                        .init("threshold", point.threshold.isFinite ? r(point.threshold, 6) : .string("inf"))])
    }

    /// The figures a model file and a finding quote.
    public var headlineJSON: JSONValue {
        .object([
            .init("n", .integer(n)), .init("nAI", .integer(positives)), .init("nReal", .integer(negatives)),
            .init("auc", Self.r(auc)),
            .init("aucCI95", aucInterval.map { .array([Self.r($0.lower), Self.r($0.upper)]) } ?? .null),
            .init("tprAtFPR1", Self.point(tprAt1)), .init("tprAtFPR5", Self.point(tprAt5)),
            .init("threshold", Self.r(threshold, 6)),
            .init("thresholdTPR", Self.r(confusion.tpr)), .init("thresholdFPR", Self.r(confusion.fpr)),
            .init("accuracy", Self.r(confusion.accuracy)),
            .init("ece", Self.r(ece)), .init("brier", Self.r(brier)),
        ])
    }

    public var json: JSONValue {
        guard case .object(var members) = headlineJSON else { return headlineJSON }
        members.insert(.init("detector", .string(name)), at: 0)
        members.insert(.init("failures", .integer(failures)), at: 4)
        members.append(.init("bootstrap", aucInterval.map { .object([.init("resamples", .integer($0.resamples)),
                                                                     .init("stratified", .bool(true))]) } ?? .null))
        members.append(.init("confusion", .object([
            .init("truePositives", .integer(confusion.truePositives)), .init("falsePositives", .integer(confusion.falsePositives)),
            .init("trueNegatives", .integer(confusion.trueNegatives)), .init("falseNegatives", .integer(confusion.falseNegatives)),
        ])))
        members.append(.init("expectedFalseFlagsPer100000Real", Self.r(confusion.fpr * 100_000, 0)))
        members.append(.init("reliability", .array(reliability.map {
            .object([.init("n", .integer($0.count)), .init("meanScore", Self.r($0.meanScore)), .init("positiveRate", Self.r($0.positiveRate))])
        })))
        members.append(.init("groups", .array(groups.map {
            .object([.init("group", .string($0.group)), .init("label", .string($0.label == 1 ? "ai" : "real")),
                     .init("n", .integer($0.n)), .init("meanScore", Self.r($0.meanScore)),
                     .init("flaggedRate", Self.r($0.flaggedRate)), .init("aucAgainstOtherClass", Self.r($0.aucAgainstOtherClass))])
        })))
        members.append(.init("strata", .array(strata.map {
            .object([.init("stratum", .string($0.name)), .init("n", .integer($0.n)), .init("nAI", .integer($0.positives)),
                     .init("nReal", .integer($0.n - $0.positives)), .init("auc", Self.r($0.auc))])
        })))
        return .object(members)
    }
}
