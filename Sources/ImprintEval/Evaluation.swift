import Foundation
import ImprintBytes
import ImprintDetectors
import ImprintImaging
import ImprintSimilarity

/// `imprint eval LABELS.csv --out DIR`: scores every labeled file with imprint's detectors
/// and any external ones, and computes the figures of SYNTHETIC-DETECTION §7.
public struct Evaluation {
    public struct Options: Sendable {
        public var normalization: Normalization?
        public var externals: [ExternalDetector] = []
        /// Only rows of this split (nil: all rows).
        public var split: String?
        public var resamples = 1000
        public var seed: UInt64 = 1
        public var model: SyntheticModel
        /// Where normalised copies are written for external detectors (they need a file).
        public var workDirectory: String

        public init(model: SyntheticModel, workDirectory: String) {
            self.model = model
            self.workDirectory = workDirectory
        }
    }

    /// The detectors imprint itself contributes, with their operating thresholds.
    public static let builtIn: [(name: String, what: String)] = [
        ("synthetic", "synthetic.score: calibrated probability of the spectral model (threshold: the model's)"),
        ("compression-cues", "fraction of the four generator-consistent compression cues (library tables or not JPEG, sparse EXIF, sides multiple of 64, known generator size); threshold 0.5"),
        ("shortcut", "shortcut baseline: 5-fold out-of-fold logistic regression on format, estimated JPEG quality, width, height, bytes and EXIF completeness; threshold 0.5. Well above 0.5 AUC means the set leaks the label through packaging"),
    ]

    public struct Row: Sendable {
        public var item: LabeledSet.Item
        public var scores: [String: Double]
        public var errors: [String]
        public var seconds: Double
        public var megapixels: Double
        public var shortcutFeatures: [Double]?
        /// The strata the scored file falls in: `format:<sniffed>` and `size:<shorter side bucket>`.
        public var strata: [String] = []
    }

    public struct Result: Sendable {
        public var rows: [Row]
        public var reports: [DetectorReport]
        public var detectorNames: [String]
        public var options: Options
        public var labelsPath: String
        /// Seconds per megapixel of imprint's own feature extraction (decode + features).
        public var secondsPerMegapixel: Double
    }

    public var options: Options
    public var log: @Sendable (String) -> Void

    public init(options: Options, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.log = log
    }

    public func run(labelsPath: String) throws(EvalError) -> Result {
        let set: LabeledSet
        do { set = try LabeledSet.load(path: labelsPath) } catch { throw .input(error.description) }
        let items = set.items(inSplit: options.split)
        if options.split == nil, set.items.contains(where: { $0.split == "train" }) {
            log("note: evaluating every row, including split=train; a model trained on those rows is flattered (use --split test)")
        }
        guard items.contains(where: { $0.label == 1 }), items.contains(where: { $0.label == 0 }) else {
            throw .input("the evaluated rows need both labels (ai and real)\(options.split.map { " in split \($0)" } ?? "")")
        }
        if options.normalization != nil && !options.externals.isEmpty {
            do { try FileManager.default.createDirectory(atPath: options.workDirectory, withIntermediateDirectories: true) }
            catch { throw .output("cannot create \(options.workDirectory): \(error)") }
        }
        let clock = ContinuousClock()
        var rows: [Row] = []
        for (index, item) in items.enumerated() {
            var row = Row(item: item, scores: [:], errors: [], seconds: 0, megapixels: 0)
            var path = item.resolvedPath
            switch InputFile.read(item.resolvedPath) {
            case .failure(let error):
                row.errors.append(error.description)
            case .success(var bytes):
                if let normalization = options.normalization {
                    let format = FormatSniffer.sniff(Array(bytes.prefix(64)))
                    do {
                        let raster = try ImageDecoder().decode(bytes, format: format)
                        bytes = try normalization.apply(raster)
                        if !options.externals.isEmpty {
                            let extensionName: String
                            if case .jpeg = normalization.encoding { extensionName = "jpg" } else { extensionName = "png" }
                            path = (options.workDirectory as NSString).appendingPathComponent(String(format: "%06d.%@", index, extensionName))
                            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                                throw EvalError.output("cannot write \(path)")
                            }
                        }
                    } catch {
                        row.errors.append("normalise: \(error)")
                        rows.append(row)
                        continue
                    }
                }
                let start = clock.now
                let observation = ItemObservation.observe(bytes: bytes, name: item.path)
                let elapsed = clock.now - start
                row.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                row.megapixels = Double(observation.width * observation.height) / 1e6
                row.strata = ["format:\(observation.format.rawValue)", "size:" + Self.sizeBucket(min(observation.width, observation.height))]
                row.errors += observation.errors
                if let spectral = observation.spectral, options.model.matchesFeatures {
                    row.scores["synthetic"] = options.model.probability(spectral.values)
                }
                if let profile = observation.profile { row.scores["compression-cues"] = profile.cueScore }
                if observation.profile != nil { row.shortcutFeatures = observation.shortcutFeatures }
            }
            for external in options.externals {
                switch external.score(path: path) {
                case .success(let score): row.scores[external.name] = score
                case .failure(let error): row.errors.append("\(external.name): \(error.description)")
                }
            }
            rows.append(row)
            if (index + 1) % 25 == 0 { log("scored \(index + 1) of \(items.count)") }
        }
        Self.addShortcutScores(&rows, folds: 5)

        let names = Self.builtIn.map(\.name) + options.externals.map(\.name)
        var reports: [DetectorReport] = []
        for name in names {
            let scored = rows.filter { $0.scores[name] != nil }
            let threshold = name == "synthetic" ? options.model.threshold : 0.5
            var report = DetectorReport.compute(name: name, scores: scored.compactMap { $0.scores[name] },
                                                labels: scored.map(\.item.label), threshold: threshold,
                                                resamples: options.resamples, seed: options.seed,
                                                groups: scored.map(\.item.group))
            report.failures = rows.count - scored.count
            report.strata = Self.strata(scored, detector: name)
            reports.append(report)
        }
        let timed = rows.filter { $0.megapixels > 0 }
        let perMegapixel = timed.isEmpty ? 0 : timed.reduce(0) { $0 + $1.seconds } / timed.reduce(0) { $0 + $1.megapixels }
        return Result(rows: rows, reports: reports, detectorNames: names, options: options, labelsPath: labelsPath,
                      secondsPerMegapixel: perMegapixel)
    }

    /// The bucket of an image's shorter side.
    static func sizeBucket(_ side: Int) -> String {
        switch side {
        case ..<256: return "<256"
        case 256..<512: return "256-511"
        case 512..<1024: return "512-1023"
        default: return ">=1024"
        }
    }

    /// A detector's AUC within each format and size stratum (where both classes occur):
    /// how it does once the format or the size can no longer tell the classes apart.
    static func strata(_ scored: [Row], detector: String) -> [DetectorReport.Stratum] {
        let keys = Array(Set(scored.flatMap(\.strata))).sorted()
        return keys.map { key in
            let members = scored.filter { $0.strata.contains(key) }
            let labels = members.map(\.item.label)
            return DetectorReport.Stratum(name: key, n: members.count, positives: labels.filter { $0 == 1 }.count,
                                          auc: BinaryMetrics.auc(scores: members.compactMap { $0.scores[detector] }, labels: labels))
        }
    }

    /// Out-of-fold shortcut-baseline scores: folds stratified by label in row order, a
    /// logistic regression on the packaging facts fitted on the other folds.
    static func addShortcutScores(_ rows: inout [Row], folds: Int) {
        let usable = rows.indices.filter { rows[$0].shortcutFeatures != nil }
        guard usable.count >= folds * 2 else { return }
        var fold: [Int: Int] = [:]
        var counters = [0, 0]
        for index in usable {
            let label = rows[index].item.label
            fold[index] = counters[label] % folds
            counters[label] += 1
        }
        for k in 0..<folds {
            let fitIndexes = usable.filter { fold[$0] != k }
            let features = fitIndexes.compactMap { rows[$0].shortcutFeatures }
            let (means, scales) = ModelTraining.standardization(features)
            func standardized(_ row: [Double]) -> [Double] { zip(zip(row, means), scales).map { ($0.0 - $0.1) / $1 } }
            let labels = fitIndexes.map { rows[$0].item.label }
            guard labels.contains(1), labels.contains(0) else { continue }
            let fit = LogisticRegression.fit(rows: features.map(standardized), labels: labels, l2: 1)
            for index in usable where fold[index] == k {
                guard let raw = rows[index].shortcutFeatures else { continue }
                let z = zip(fit.weights, standardized(raw)).reduce(fit.bias) { $0 + $1.0 * $1.1 }
                rows[index].scores["shortcut"] = LogisticRegression.sigmoid(z)
            }
        }
    }
}
