import Foundation
import ImprintBytes
import ImprintDetectors
import ImprintImaging
import XCTest
@testable import ImprintEval

/// An end-to-end evaluation on a small set the test makes, built with the very leaks
/// `--normalize` exists for: every "ai" file is a 256×256 PNG, every "real" one a JPEG.
final class EvaluationTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("imprint-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    static func noise(side: Int, seed: UInt64) -> Raster {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var pixels: [UInt8] = []
        for index in 0..<(side * side * 3) {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            pixels.append(UInt8(truncatingIfNeeded: (state >> 32) % 96 + 80 + UInt64((index / 3 / side) % 32)))
        }
        return Raster(width: side, height: side, layout: .rgb, pixels: pixels)
    }

    /// A model that reads one feature, for a deterministic, known scorer.
    static func model() -> SyntheticModel {
        let count = SpectralFeatures.names.count
        var weights = [Double](repeating: 0, count: count)
        weights[SpectralFeatures.names.firstIndex(of: "residual.kurtosis") ?? 0] = 1
        return SyntheticModel(modelVersion: "test", means: [Double](repeating: 0, count: count),
                              scales: [Double](repeating: 1, count: count), weights: weights, bias: 0, calibrationA: 1,
                              calibrationB: 0, threshold: 0.5, training: .null, validation: .null)
    }

    func makeSet() throws -> String {
        var lines = ["path,label,group"]
        for index in 0..<6 {
            let png = try ImageEncoder.png(Self.noise(side: 256, seed: UInt64(index + 1)))
            try Data(png).write(to: directory.appendingPathComponent("ai\(index).png"))
            lines.append("ai\(index).png,ai,gen\(index % 2)")
            let jpeg = try ImageEncoder.jpeg(Self.noise(side: 320, seed: UInt64(index + 100)), quality: 95)
            try Data(jpeg).write(to: directory.appendingPathComponent("real\(index).jpg"))
            lines.append("real\(index).jpg,real,camera")
        }
        let labels = directory.appendingPathComponent("labels.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: labels, atomically: true, encoding: .utf8)
        return labels.path
    }

    /// The detector script, written once per test: rewriting an executable between runs
    /// and starting it at once can meet ETXTBSY ("text file busy") on Linux, which made
    /// the determinism test fail now and then with a launch error in scores.csv.
    func external() throws -> ExternalDetector {
        let url = directory.appendingPathComponent("ext.sh")
        if FileManager.default.fileExists(atPath: url.path) { return try ExternalDetector.parse("by-extension=\(url.path)") }
        try "#!/bin/sh\ncase \"$1\" in *.png) echo 0.9;; *) echo '{\"score\": 0.1}';; esac\n".write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return try ExternalDetector.parse("by-extension=\(url.path)")
    }

    func run(_ labels: String, normalization: Normalization?) throws -> Evaluation.Result {
        var options = Evaluation.Options(model: Self.model(), workDirectory: directory.appendingPathComponent("work-\(normalization == nil)").path)
        options.normalization = normalization
        options.externals = [try external()]
        options.resamples = 200
        return try Evaluation(options: options).run(labelsPath: labels)
    }

    func report(_ result: Evaluation.Result, _ name: String) throws -> DetectorReport {
        try XCTUnwrap(result.reports.first { $0.name == name })
    }

    func testRawFiguresLeakAndNormalisationRemovesTheLeak() throws {
        let labels = try makeSet()
        let raw = try run(labels, normalization: nil)
        XCTAssertEqual(raw.rows.count, 12)
        XCTAssertTrue(raw.rows.allSatisfy { $0.errors.isEmpty }, "\(raw.rows.map(\.errors))")
        // Packaging alone separates the classes: PNG + 256² against JPEG + 320².
        XCTAssertEqual(try report(raw, "compression-cues").auc, 1)
        XCTAssertEqual(try report(raw, "by-extension").auc, 1)
        XCTAssertGreaterThan(try XCTUnwrap(report(raw, "shortcut").auc), 0.8)
        XCTAssertEqual(try report(raw, "synthetic").n, 12)
        // Strata: within one format only one class exists here, so no AUC can be had there.
        let strata = try report(raw, "by-extension").strata
        XCTAssertEqual(strata.map(\.name), ["format:jpeg", "format:png", "size:256-511"])
        XCTAssertEqual(strata.map(\.positives), [0, 6, 6])
        XCTAssertNil(strata[0].auc)
        XCTAssertEqual(strata[2].auc, 1)

        let normalized = try run(labels, normalization: Normalization(encoding: .jpeg(quality: 90), maxSide: 128))
        // After re-encoding every file identically the packaging cues are constant…
        XCTAssertEqual(try report(normalized, "compression-cues").auc, 0.5)
        // …and the external detector saw the normalised .jpg copies, not the originals.
        XCTAssertEqual(try report(normalized, "by-extension").auc, 0.5)
        XCTAssertEqual(try report(normalized, "by-extension").failures, 0)
        let groups = try report(raw, "by-extension").groups
        XCTAssertEqual(groups.map(\.group), ["camera", "gen0", "gen1"])
        XCTAssertEqual(groups.first?.flaggedRate, 0)
        XCTAssertEqual(groups.last?.flaggedRate, 1)
    }

    func testOutputsAreWrittenAndDeterministic() throws {
        let labels = try makeSet()
        let first = try run(labels, normalization: nil)
        let out1 = directory.appendingPathComponent("out1").path, out2 = directory.appendingPathComponent("out2").path
        try EvalOutput.write(first, to: out1)
        try EvalOutput.write(try run(labels, normalization: nil), to: out2)
        for name in ["metrics.json", "metrics.csv", "groups.csv", "scores.csv", "roc.svg", "index.html"] {
            let a = try XCTUnwrap(FileManager.default.contents(atPath: out1 + "/" + name), name)
            XCTAssertFalse(a.isEmpty, name)
            if name != "metrics.json" && name != "index.html" {
                XCTAssertEqual(a, FileManager.default.contents(atPath: out2 + "/" + name), "\(name) differs between runs")
            }
        }
        let metrics = try JSONParser.parse([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: out1 + "/metrics.json"))))
        let detectors = try XCTUnwrap(metrics["detectors"]?.arrayValue)
        XCTAssertEqual(detectors.compactMap { $0["detector"]?.stringValue }, ["synthetic", "compression-cues", "shortcut", "by-extension"])
        XCTAssertEqual(detectors[3]["auc"]?.doubleValue, 1)
        XCTAssertNotNil(detectors[0]["aucCI95"]?.arrayValue)
        let scores = String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: out1 + "/scores.csv")), as: UTF8.self)
        XCTAssertEqual(scores.split(separator: "\n").count, 13)
        XCTAssertTrue(scores.hasPrefix("path,label,group,synthetic,compression-cues,shortcut,by-extension,errors"))
        let svg = String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: out1 + "/roc.svg")), as: UTF8.self)
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 4)
    }
}
