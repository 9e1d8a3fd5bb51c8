import ArgumentParser
import Foundation
import ImprintDetectors
import ImprintEval

/// `imprint eval`: `imprint eval LABELS.csv --out DIR` runs `eval run` (the default);
/// `imprint eval train` fits the synthetic model.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate detectors on a labeled set, or train imprint's synthetic model.",
        subcommands: [EvalRunCommand.self, EvalTrainCommand.self],
        defaultSubcommand: EvalRunCommand.self)
}

/// `imprint eval [run]`: evaluates imprint's detectors, and any external ones, on a labeled set.
struct EvalRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Evaluate detectors on a labeled set (AUC with bootstrap interval, TPR at fixed FPR, calibration, per group).",
        discussion: """
            LABELS.csv has a header with at least 'path' and 'label' (ai or real), optionally \
            'group' and 'split'; relative paths are relative to the CSV's folder. Writes \
            metrics.json, metrics.csv, groups.csv, scores.csv, roc.svg and index.html to --out. \
            The inputs are only read.

            --normalize jpeg:90,maxside:512 decodes every input, reduces it to at most 512 pixels \
            on its longer side and re-encodes it as JPEG q90 before any detector sees it, so the \
            file format, encoder, size and metadata can no longer tell the classes apart. Report \
            that figure as the honest one. See docs/eval.md.
            """)

    @Argument(help: "The labels CSV (path,label[,group][,split]).")
    var labels: String

    @Option(help: "Output folder (created if needed).")
    var out: String

    @Option(help: "Only rows of this split, e.g. test (default: every row).")
    var split: String?

    @Option(help: ArgumentHelp("Re-encode every input identically before scoring: jpeg:Q or png, optionally ,maxside:N.", valueName: "spec"))
    var normalize: String?

    @Option(name: .customLong("external"), help: ArgumentHelp("An external detector NAME=COMMAND, run per file without a shell; {} stands for the file path (else it is appended). It prints one score (a number or {\"score\": x}). Repeatable.", valueName: "name=command"))
    var externals: [String] = []

    @Option(help: "Seconds an external detector may take per file before it is stopped.")
    var timeout: Double = 60

    @Option(help: "Bootstrap resamples for the AUC interval.")
    var resamples: Int = 1000

    @Option(help: "Bootstrap seed (the same seed gives the same intervals).")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("A synthetic model file to evaluate instead of the shipped one.", valueName: "model.json"))
    var model: String?

    func validate() throws {
        guard (1...100_000).contains(resamples) else { throw ValidationError("--resamples must be 1…100000") }
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
        if let normalize { do { _ = try Normalization.parse(normalize) } catch { throw ValidationError(error.description) } }
        for spec in externals { do { _ = try ExternalDetector.parse(spec) } catch { throw ValidationError(error.description) } }
    }

    func run() throws {
        let synthetic = try EvalModelLoading.load(model)
        var options = Evaluation.Options(model: synthetic, workDirectory: (out as NSString).appendingPathComponent("normalized"))
        options.normalization = try normalize.map { try Normalization.parse($0) }
        options.externals = try externals.map { try ExternalDetector.parse($0, timeoutSeconds: timeout) }
        options.split = split
        options.resamples = resamples
        options.seed = seed
        let result = try Evaluation(options: options, log: { Console.err($0) }).run(labelsPath: labels)
        try EvalOutput.write(result, to: out)
        for report in result.reports {
            let interval = report.aucInterval.map { String(format: " [%.3f, %.3f]", $0.lower, $0.upper) } ?? ""
            Console.out(String(format: "%@  n=%d  AUC %@%@  TPR@1%%FPR %@  TPR@5%%FPR %@  accuracy %.3f (threshold %.3f)",
                               report.name, report.n, report.auc.map { String(format: "%.3f", $0) } ?? "–", interval,
                               report.tprAt1.map { String(format: "%.3f", $0.tpr) } ?? "–",
                               report.tprAt5.map { String(format: "%.3f", $0.tpr) } ?? "–",
                               report.confusion.accuracy, report.threshold))
        }
        Console.out(String(format: "feature extraction: %.4f s per megapixel; results in %@", result.secondsPerMegapixel, out))
    }
}

/// `imprint eval train`: fits the synthetic model (docs/synthetic.md).
struct EvalTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the synthetic-image model on the train split and measure it on the test split.",
        discussion: """
            Uses only rows with split=train for fitting (each also re-encoded once as JPEG at a \
            seeded quality), fits the calibration on out-of-fold training scores, and records \
            the test-split figures, raw and normalised, in the model file. Deterministic: the \
            same labels and images give a byte-identical model.
            """)

    @Argument(help: "The labels CSV with path,label,group,split columns.")
    var labels: String

    @Option(help: "Where to write the model JSON.")
    var out: String

    @Option(help: "L2 penalty on the standardised weights.")
    var l2: Double = 4

    @Option(help: "Seed of the augmentation qualities and of the bootstrap.")
    var seed: UInt64 = 1

    @Option(help: "Augmentation JPEG qualities LOW-HIGH, or none.")
    var augment: String = "70-100"

    func run() throws {
        var options = ModelTraining.Options()
        options.l2 = l2
        options.seed = seed
        if augment == "none" {
            options.augmentQualities = nil
        } else {
            let parts = augment.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2, (1...100).contains(parts[0]), (parts[0]...100).contains(parts[1]) else {
                throw ValidationError("--augment takes LOW-HIGH (1…100) or none")
            }
            options.augmentQualities = parts[0]...parts[1]
        }
        let model = try ModelTraining(options: options, log: { Console.err($0) }).train(labelsPath: labels)
        guard FileManager.default.createFile(atPath: out, contents: Data(model.fileText.utf8)) else {
            throw ValidationError("cannot write \(out)")
        }
        Console.out("model written to \(out)")
        Console.out(model.validation.serialized())
    }
}

enum EvalModelLoading {
    static func load(_ path: String?) throws -> SyntheticModel {
        guard let path else {
            switch ShippedSyntheticModel.loaded {
            case .success(let model): return model
            case .failure(let error): throw ValidationError("\(error.description); give --model")
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        let model = try SyntheticModel.load(String(decoding: data, as: UTF8.self))
        guard model.matchesFeatures else { throw ValidationError("\(path) was trained on other features than this build computes") }
        return model
    }
}
