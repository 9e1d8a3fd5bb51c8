import XCTest
@testable import ImprintEval

final class MetricsTests: XCTestCase {
    func testAUCOfKnownRankings() throws {
        // Pairs (positive, negative): (0.35 vs 0.1 ✓, vs 0.4 ✗), (0.8 vs both ✓) → 3/4.
        XCTAssertEqual(try XCTUnwrap(BinaryMetrics.auc(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1])), 0.75, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(BinaryMetrics.auc(scores: [1, 2, 3, 4], labels: [0, 0, 1, 1])), 1)
        XCTAssertEqual(try XCTUnwrap(BinaryMetrics.auc(scores: [4, 3, 2, 1], labels: [0, 0, 1, 1])), 0)
        // Ties count one half: one tied pair of four.
        XCTAssertEqual(try XCTUnwrap(BinaryMetrics.auc(scores: [0.5, 0.2, 0.5, 0.9], labels: [0, 0, 1, 1])), 0.875, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(BinaryMetrics.auc(scores: [0.3, 0.3, 0.3], labels: [1, 0, 0])), 0.5)
        XCTAssertNil(BinaryMetrics.auc(scores: [0.3, 0.4], labels: [1, 1]))
    }

    func testTPRAtFPRAndThresholds() throws {
        // 20 negatives 0.00…0.19, 10 positives: 5 above every negative, 5 below all.
        let negatives = (0..<20).map { Double($0) / 100 }
        let positives = [0.5, 0.6, 0.7, 0.8, 0.9, 0.001, 0.002, 0.003, 0.004, 0.005]
        let scores = negatives + positives
        let labels = Array(repeating: 0, count: 20) + Array(repeating: 1, count: 10)
        let at5 = try XCTUnwrap(BinaryMetrics.tprAtFPR(scores: scores, labels: labels, maxFPR: 0.05))
        // FPR 1/20 = 0.05 is allowed: threshold 0.19 flags 5 positives and 1 negative.
        XCTAssertEqual(at5.tpr, 0.5)
        XCTAssertEqual(at5.fpr, 0.05)
        XCTAssertEqual(at5.threshold, 0.19)
        let at1 = try XCTUnwrap(BinaryMetrics.tprAtFPR(scores: scores, labels: labels, maxFPR: 0.01))
        XCTAssertEqual(at1.tpr, 0.5)
        XCTAssertEqual(at1.fpr, 0)
        // Threshold for FPR 5 % on the negatives: only one of 20 may be flagged.
        let threshold = BinaryMetrics.thresholdForFPR(negativeScores: negatives, maxFPR: 0.05)
        XCTAssertGreaterThan(threshold, 0.18)
        XCTAssertLessThanOrEqual(threshold, 0.19)
        let confusion = BinaryMetrics.confusion(scores: scores, labels: labels, threshold: threshold)
        XCTAssertEqual(confusion.falsePositives, 1)
        XCTAssertEqual(confusion.truePositives, 5)
        XCTAssertEqual(confusion.trueNegatives, 19)
        XCTAssertEqual(confusion.falseNegatives, 5)
        XCTAssertEqual(confusion.accuracy, 24.0 / 30.0, accuracy: 1e-12)
        let roc = BinaryMetrics.roc(scores: scores, labels: labels)
        XCTAssertEqual(roc.first?.tpr, 0)
        XCTAssertEqual(roc.last?.tpr, 1)
        XCTAssertEqual(roc.last?.fpr, 1)
    }

    func testCalibrationErrorAndBrier() throws {
        // Two equal-count bins: {0.1, 0.2} with 0 of 2 positive, {0.8, 0.9} with 1 of 2.
        let scores = [0.1, 0.2, 0.8, 0.9], labels = [0, 0, 1, 0]
        let calibration = try XCTUnwrap(BinaryMetrics.calibration(scores: scores, labels: labels, bins: 2))
        // |0.15 − 0| · 1/2 + |0.85 − 0.5| · 1/2 = 0.075 + 0.175.
        XCTAssertEqual(calibration.ece, 0.25, accuracy: 1e-12)
        XCTAssertEqual(calibration.bins.map(\.count), [2, 2])
        XCTAssertEqual(calibration.bins[1].positiveRate, 0.5)
        // (0.01 + 0.04 + 0.04 + 0.81) / 4.
        XCTAssertEqual(try XCTUnwrap(BinaryMetrics.brier(scores: scores, labels: labels)), 0.225, accuracy: 1e-12)
    }

    func testBootstrapIsSeededAndDeterministic() throws {
        var scores: [Double] = [], labels: [Int] = []
        for index in 0..<60 {
            labels.append(index % 3 == 0 ? 1 : 0)
            scores.append(Double((index * 37) % 61) / 61 + (index % 3 == 0 ? 0.3 : 0))
        }
        let auc = try XCTUnwrap(BinaryMetrics.auc(scores: scores, labels: labels))
        let statistic: ([Double], [Int]) -> Double? = { BinaryMetrics.auc(scores: $0, labels: $1) }
        let a = try XCTUnwrap(Bootstrap.interval(scores: scores, labels: labels, resamples: 500, seed: 7, statistic: statistic))
        let b = try XCTUnwrap(Bootstrap.interval(scores: scores, labels: labels, resamples: 500, seed: 7, statistic: statistic))
        let c = try XCTUnwrap(Bootstrap.interval(scores: scores, labels: labels, resamples: 500, seed: 8, statistic: statistic))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a.resamples, 500)
        XCTAssertLessThan(a.lower, auc)
        XCTAssertGreaterThan(a.upper, auc)
        XCTAssertLessThan(a.upper - a.lower, 0.5)
        XCTAssertNil(Bootstrap.interval(scores: [1, 2], labels: [1, 1], statistic: statistic))
    }
}
