import Crypto
import Foundation
import ImprintBytes
import ImprintDetectors
import ImprintImaging
import ImprintSimilarity

/// `imprint eval train`: fits the synthetic model on the `train` split of a labeled set and
/// measures it on the `test` split, raw and normalised. Deterministic from end to end
/// (fixed item order, seeded augmentation, Newton steps from zero, no clock, no paths in the
/// output): the same labels file and images give a byte-identical model file.
public struct ModelTraining {
    public struct Options: Sendable {
        /// L2 penalty on the standardised weights.
        public var l2 = 4.0
        public var seed: UInt64 = 1
        /// Each training image is added again re-encoded as JPEG at a quality drawn from this
        /// range (seeded), so that both classes appear as JPEG and the model cannot lean on
        /// "PNG means generated". Nil: no augmentation.
        public var augmentQualities: ClosedRange<Int>? = 70...100
        public var folds = 5
        /// The operating threshold keeps this false-positive rate on out-of-fold real images.
        public var targetFPR = 0.05
        public var modelVersion = "1"
        /// How the test split is normalised for the second set of held-out figures.
        public var normalization = Normalization(encoding: .jpeg(quality: 90), maxSide: 512)
        public var bootstrapResamples = 1000

        public init() {}
    }

    public var options: Options
    public var log: @Sendable (String) -> Void

    public init(options: Options = Options(), log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.log = log
    }

    struct Row {
        var features: [Double]
        var label: Int
        var item: Int
    }

    public func train(labelsPath: String) throws(EvalError) -> SyntheticModel {
        let set: LabeledSet
        do { set = try LabeledSet.load(path: labelsPath) } catch { throw .input(error.description) }
        let labelsBytes = (FileManager.default.contents(atPath: labelsPath)).map { [UInt8]($0) } ?? []
        let trainItems = set.items(inSplit: "train"), testItems = set.items(inSplit: "test")
        guard trainItems.contains(where: { $0.label == 1 }), trainItems.contains(where: { $0.label == 0 }) else {
            throw .input("the labels file needs a split column with train rows of both labels")
        }
        var rng = SplitMix64(state: options.seed)
        var rows: [Row] = []
        var skipped: [String] = []
        for (index, item) in trainItems.enumerated() {
            guard case .success(let bytes) = InputFile.read(item.resolvedPath) else { skipped.append(item.path); continue }
            let observation = ItemObservation.observe(bytes: bytes, name: item.path)
            guard let features = observation.spectral else { skipped.append(item.path); continue }
            rows.append(Row(features: features.values, label: item.label, item: index))
            if let range = options.augmentQualities {
                let quality = range.lowerBound + Int(rng.next() % UInt64(range.count))
                if let raster = try? ImageDecoder().decode(bytes, format: observation.format),
                   let encoded = try? ImageEncoder.jpeg(raster.droppingAlpha(), quality: quality),
                   let augmented = ItemObservation.observe(bytes: encoded, name: item.path).spectral {
                    rows.append(Row(features: augmented.values, label: item.label, item: index))
                }
            }
        }
        log("training rows: \(rows.count) from \(trainItems.count - skipped.count) train images (\(skipped.count) skipped)")

        let (means, scales) = Self.standardization(rows.map(\.features))
        func standardized(_ features: [Double]) -> [Double] { zip(zip(features, means), scales).map { ($0.0 - $0.1) / $1 } }

        // Out-of-fold logits (folds by image, stratified by label, so a re-encoded copy
        // never sits in another fold than its original) for the calibration map and threshold.
        var foldOfItem: [Int: Int] = [:]
        var counters = [0, 0]
        for row in rows where foldOfItem[row.item] == nil {
            foldOfItem[row.item] = counters[row.label] % options.folds
            counters[row.label] += 1
        }
        var outOfFold: [(logit: Double, label: Int)] = []
        for fold in 0..<options.folds {
            let fitRows = rows.filter { foldOfItem[$0.item] != fold }
            let fit = LogisticRegression.fit(rows: fitRows.map { standardized($0.features) }, labels: fitRows.map(\.label), l2: options.l2)
            for row in rows where foldOfItem[row.item] == fold {
                let z = zip(fit.weights, standardized(row.features)).reduce(fit.bias) { $0 + $1.0 * $1.1 }
                outOfFold.append((z, row.label))
            }
        }
        let platt = LogisticRegression.fit(rows: outOfFold.map { [$0.logit] }, labels: outOfFold.map(\.label), l2: 1e-6)
        let calibrationA = platt.weights.first ?? 1, calibrationB = platt.bias
        let oofProbabilities = outOfFold.map { LogisticRegression.sigmoid(calibrationA * $0.logit + calibrationB) }
        let threshold = BinaryMetrics.thresholdForFPR(
            negativeScores: zip(oofProbabilities, outOfFold).filter { $0.1.label == 0 }.map(\.0), maxFPR: options.targetFPR)
        let oofAUC = BinaryMetrics.auc(scores: oofProbabilities, labels: outOfFold.map(\.label)) ?? 0

        let final = LogisticRegression.fit(rows: rows.map { standardized($0.features) }, labels: rows.map(\.label), l2: options.l2)
        var model = SyntheticModel(modelVersion: options.modelVersion, means: means, scales: scales, weights: final.weights,
                                   bias: final.bias, calibrationA: calibrationA, calibrationB: calibrationB,
                                   threshold: Self.round(threshold, 6), training: .null, validation: .null)

        // Held-out figures on the test split, raw and normalised.
        let raw = measure(model, items: testItems, normalization: nil)
        let normalized = measure(model, items: testItems, normalization: options.normalization)
        let labelsName = URL(fileURLWithPath: labelsPath).lastPathComponent
        let quality = options.augmentQualities.map { "jpeg:\($0.lowerBound)-\($0.upperBound)" } ?? "none"
        model.training = .object([
            .init("labels", .string(labelsName)),
            .init("labelsSHA256", .string(Hex.encode(SHA256.hash(data: labelsBytes)))),
            .init("split", .string("train")),
            .init("images", .integer(trainItems.count - skipped.count)),
            .init("imagesAI", .integer(Set(rows.filter { $0.label == 1 }.map(\.item)).count)),
            .init("imagesReal", .integer(Set(rows.filter { $0.label == 0 }.map(\.item)).count)),
            .init("skipped", .array(skipped.map(JSONValue.string))),
            .init("rows", .integer(rows.count)),
            .init("augmentation", .string(quality)),
            .init("seed", .integer(Int64(bitPattern: options.seed))),
            .init("l2", .double(options.l2)),
            .init("folds", .integer(options.folds)),
            .init("outOfFoldAUC", .double(Self.round(oofAUC, 4))),
            .init("thresholdRule", .string("FPR ≤ \(options.targetFPR) on out-of-fold real training images")),
            .init("libjpeg-turbo", .string(ImageDecoder.libraryVersions["libjpeg-turbo"] ?? "?")),
        ])
        var validation: [JSONValue.Member] = [
            .init("set", .string(labelsName)), .init("split", .string("test")),
            .init("note", .string("headline figures are on the normalised test split (\(options.normalization)); raw figures carry the format and size leaks of the set")),
        ]
        if case .object(let members) = normalized.summary { validation += members }
        validation.append(.init("normalization", .string(options.normalization.description)))
        validation.append(.init("raw", raw.summary))
        model.validation = .object(validation)
        return model
    }

    struct Measurement {
        var summary: JSONValue
    }

    /// The model's figures on `items`, each optionally normalised first.
    func measure(_ model: SyntheticModel, items: [LabeledSet.Item], normalization: Normalization?) -> Measurement {
        var scores: [Double] = [], labels: [Int] = []
        for item in items {
            guard case .success(var bytes) = InputFile.read(item.resolvedPath) else { continue }
            if let normalization {
                let format = FormatSniffer.sniff(Array(bytes.prefix(64)))
                guard let raster = try? ImageDecoder().decode(bytes, format: format),
                      let encoded = try? normalization.apply(raster) else { continue }
                bytes = encoded
            }
            guard let features = ItemObservation.observe(bytes: bytes, name: item.path).spectral else { continue }
            scores.append(model.probability(features.values))
            labels.append(item.label)
        }
        return Measurement(summary: DetectorReport.compute(name: "synthetic", scores: scores, labels: labels,
                                                           threshold: model.threshold, resamples: options.bootstrapResamples,
                                                           seed: options.seed).headlineJSON)
    }

    /// Per-feature mean and standard deviation (1 where a feature is constant).
    static func standardization(_ rows: [[Double]]) -> ([Double], [Double]) {
        guard let width = rows.first?.count else { return ([], []) }
        var means = [Double](repeating: 0, count: width), scales = [Double](repeating: 0, count: width)
        for row in rows { for index in 0..<width { means[index] += row[index] } }
        means = means.map { $0 / Double(rows.count) }
        for row in rows { for index in 0..<width { scales[index] += (row[index] - means[index]) * (row[index] - means[index]) } }
        scales = scales.map { let sd = ($0 / Double(rows.count)).squareRoot(); return sd > 1e-12 ? sd : 1 }
        return (means, scales)
    }

    static func round(_ value: Double, _ digits: Int) -> Double {
        let factor = pow(10, Double(digits))
        return (value * factor).rounded() / factor
    }
}
