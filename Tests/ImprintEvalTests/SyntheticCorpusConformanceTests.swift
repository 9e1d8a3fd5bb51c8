import Foundation
import ImprintDetectors
import ImprintTestSupport
import XCTest
@testable import ImprintEval

/// Conformance on the held-out test split of ../shared/corpus/synthetic with the shipped
/// model: the AUC must stay near what docs/synthetic.md reports (measured 2026-11), so a
/// feature or model change that breaks detection fails here. Bounded: 66 images, raw.
final class SyntheticCorpusConformanceTests: XCTestCase {
    /// The raw test-split AUC recorded in the shipped model, minus this margin, is the floor.
    static let margin = 0.08

    func testShippedModelOnTheTestSplit() throws {
        let labels = try SharedCorpus.require("synthetic/labels.csv")
        let model = try ShippedSyntheticModel.loaded.get()
        let recorded = try XCTUnwrap(model.validation["raw"]?["auc"]?.doubleValue)
        var options = Evaluation.Options(model: model, workDirectory: NSTemporaryDirectory())
        options.split = "test"
        options.resamples = 200
        let result = try Evaluation(options: options).run(labelsPath: labels)
        let synthetic = try XCTUnwrap(result.reports.first { $0.name == "synthetic" })
        XCTAssertEqual(synthetic.n, 66)
        XCTAssertEqual(synthetic.positives, 31)
        let auc = try XCTUnwrap(synthetic.auc)
        // The harness reproduces the figure the training recorded, and it is well above chance.
        XCTAssertEqual(auc, recorded, accuracy: 0.0001)
        XCTAssertGreaterThan(auc, max(0.7, recorded - Self.margin))
        let interval = try XCTUnwrap(synthetic.aucInterval)
        XCTAssertLessThan(interval.lower, auc)
        XCTAssertGreaterThan(interval.upper, auc)
        print("synthetic test split: AUC \(auc) [\(interval.lower), \(interval.upper)], TPR@5%FPR \(synthetic.tprAt5?.tpr ?? -1)")
    }
}
