import Foundation
import ImprintBytes
import ImprintImaging
import ImprintSimilarity
import ImprintTestSupport
import XCTest
@testable import ImprintDetectors

final class SyntheticModelTests: XCTestCase {
    /// Grey noise, optionally made by up-sampling half-size noise 2× (nearest neighbour):
    /// the periodic trace that generator up-sampling leaves.
    static func noise(side: Int, upsampled: Bool, seed: UInt64) -> Raster {
        var rng = SplitMix64(state: seed)
        let small = side / 2
        let base = (0..<(small * small)).map { _ in UInt8(64 + rng.next() % 128) }
        var pixels: [UInt8] = []
        for y in 0..<side {
            for x in 0..<side {
                pixels.append(upsampled ? base[(y / 2) * small + x / 2] : UInt8(64 + rng.next() % 128))
            }
        }
        return Raster(width: side, height: side, layout: .luma, pixels: pixels)
    }

    func testFeaturesAreDeterministicAndNamed() throws {
        let raster = Self.noise(side: 600, upsampled: false, seed: 3)
        let a = try SpectralFeatures.compute(raster)
        let b = try SpectralFeatures.compute(raster)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.values.count, SpectralFeatures.names.count)
        XCTAssertEqual(a.cropSide, 256)
        XCTAssertEqual(a.cropCount, 4)
        XCTAssertFalse(a.reducedCrop)
        XCTAssertTrue(a.values.allSatisfy(\.isFinite))
    }

    func testSmallFlatAndReducedImages() throws {
        XCTAssertThrowsError(try SpectralFeatures.compute(Raster(width: 40, height: 40, layout: .luma, pixels: [UInt8](repeating: 9, count: 1600))))
        XCTAssertThrowsError(try SpectralFeatures.compute(Raster(width: 300, height: 300, layout: .luma, pixels: [UInt8](repeating: 9, count: 90_000)))) { error in
            XCTAssertEqual(error as? SpectralFeatures.Failure, .flat)
        }
        let reduced = try SpectralFeatures.compute(Self.noise(side: 200, upsampled: false, seed: 1))
        XCTAssertEqual(reduced.cropSide, 128)
        XCTAssertTrue(reduced.reducedCrop)
    }

    func testUpsamplingShowsInTheResidualGridAndDecay() throws {
        let plain = try SpectralFeatures.compute(Self.noise(side: 512, upsampled: false, seed: 5))
        let upsampled = try SpectralFeatures.compute(Self.noise(side: 512, upsampled: true, seed: 5))
        func value(_ features: SpectralFeatures, _ name: String) throws -> Double {
            features.values[try XCTUnwrap(SpectralFeatures.names.firstIndex(of: name))]
        }
        // Nearest-neighbour 2× up-sampling puts energy at the N/2 harmonics of the residual.
        XCTAssertGreaterThan(try value(upsampled, "grid.period2"), try value(plain, "grid.period2") + 1)
        // And it removes high frequencies from the image spectrum: the tail decays faster.
        XCTAssertLessThan(try value(upsampled, "durall.band8"), try value(plain, "durall.band8"))
    }

    func testLogisticRegressionSeparatesAndIsDeterministic() {
        var rng = SplitMix64(state: 9)
        var rows: [[Double]] = [], labels: [Int] = []
        for index in 0..<200 {
            let label = index % 2
            let noise = Double(rng.next() % 1000) / 1000 - 0.5
            rows.append([Double(label) * 2 - 1 + noise, noise])
            labels.append(label)
        }
        let fit = LogisticRegression.fit(rows: rows, labels: labels, l2: 1)
        XCTAssertGreaterThan(fit.weights[0], 1)
        XCTAssertLessThan(abs(fit.weights[1]), abs(fit.weights[0]) / 3)
        XCTAssertEqual(fit, LogisticRegression.fit(rows: rows, labels: labels, l2: 1))
        XCTAssertEqual(LogisticRegression.sigmoid(0), 0.5)
        XCTAssertEqual(LogisticRegression.sigmoid(-800), 0, accuracy: 1e-300)
    }

    func testModelFileRoundTrip() throws {
        let count = SpectralFeatures.names.count
        let model = SyntheticModel(modelVersion: "t", means: (0..<count).map { Double($0) / 7 },
                                   scales: (0..<count).map { 1 + Double($0) / 3 }, weights: (0..<count).map { Double($0 % 5) - 2.25 },
                                   bias: -0.125, calibrationA: 0.8, calibrationB: 0.1, threshold: 0.73,
                                   training: .object([.init("seed", .integer(1))]), validation: .object([.init("auc", .double(0.81))]))
        let loaded = try SyntheticModel.load(model.fileText)
        XCTAssertEqual(loaded, model)
        XCTAssertEqual(loaded.fileText, model.fileText)
        XCTAssertTrue(loaded.matchesFeatures)
        let features = (0..<count).map { Double($0) * 0.01 }
        XCTAssertEqual(loaded.probability(features), model.probability(features))
        var z = model.bias
        for index in 0..<count { z += model.weights[index] * (features[index] - model.means[index]) / model.scales[index] }
        XCTAssertEqual(model.probability(features), 1 / (1 + exp(-(0.8 * z + 0.1))), accuracy: 1e-12)
    }

    func testBadModelFilesAreRefused() {
        XCTAssertThrowsError(try SyntheticModel.load("{}"))
        XCTAssertThrowsError(try SyntheticModel.load("not json"))
        XCTAssertThrowsError(try SyntheticModel.load(#"{"format":"imprint-synthetic-model","features":["a"],"standardization":{"mean":[0],"scale":[0]},"weights":[1],"bias":0,"calibration":{"a":1,"b":0},"threshold":0.5}"#))
        XCTAssertThrowsError(try SyntheticModel.load(#"{"format":"imprint-synthetic-model","features":["a","b"],"standardization":{"mean":[0],"scale":[1]},"weights":[1],"bias":0,"calibration":{"a":1,"b":0},"threshold":0.5}"#))
    }

    func testShippedModelIsTheCommittedFileAndLoads() throws {
        let path = SharedCorpus.repositoryRoot.appendingPathComponent(ShippedSyntheticModel.repositoryPath).path
        let file = try XCTUnwrap(FileManager.default.contents(atPath: path), "\(path) is missing")
        XCTAssertEqual(ShippedSyntheticModel.text, String(decoding: file, as: UTF8.self),
                       "the embedded model differs from \(ShippedSyntheticModel.repositoryPath); run scripts/train-synthetic-model.sh")
        let model = try ShippedSyntheticModel.loaded.get()
        XCTAssertTrue(model.matchesFeatures)
        XCTAssertNotNil(model.validation["auc"]?.doubleValue)
        XCTAssertGreaterThan(model.threshold, 0)
        XCTAssertLessThan(model.threshold, 1)
    }
}
