import Foundation
import ImprintBytes

/// The synthetic-image model imprint ships: standardisation, a logistic regression on the
/// spectral features, a Platt calibration map fitted on out-of-fold training scores, an
/// operating threshold, and the figures measured on the held-out test split. It is plain
/// JSON (`imprint eval train` writes it; docs/synthetic.md describes every member).
public struct SyntheticModel: Sendable, Equatable {
    public static let formatName = "imprint-synthetic-model"

    public var modelVersion: String
    public var featureVersion: String
    public var featureNames: [String]
    public var means: [Double]
    public var scales: [Double]
    public var weights: [Double]
    public var bias: Double
    /// Platt map: p = σ(a·logit + b).
    public var calibrationA: Double
    public var calibrationB: Double
    /// Calibrated probability at or above which the model flags an image.
    public var threshold: Double
    /// How the model was made (set, split, parameters), kept as written.
    public var training: JSONValue
    /// Figures on the held-out test split (AUC with interval, TPR at FPR, error rates).
    public var validation: JSONValue

    public enum LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self { case .invalid(let why): return "invalid synthetic model: \(why)" }
        }
    }

    public init(modelVersion: String, featureVersion: String = SpectralFeatures.version,
                featureNames: [String] = SpectralFeatures.names, means: [Double], scales: [Double], weights: [Double],
                bias: Double, calibrationA: Double, calibrationB: Double, threshold: Double,
                training: JSONValue, validation: JSONValue) {
        self.modelVersion = modelVersion
        self.featureVersion = featureVersion
        self.featureNames = featureNames
        self.means = means
        self.scales = scales
        self.weights = weights
        self.bias = bias
        self.calibrationA = calibrationA
        self.calibrationB = calibrationB
        self.threshold = threshold
        self.training = training
        self.validation = validation
    }

    /// The uncalibrated logit.
    public func logit(_ features: [Double]) -> Double {
        var z = bias
        for index in weights.indices where index < features.count {
            z += weights[index] * (features[index] - means[index]) / scales[index]
        }
        return z
    }

    /// The calibrated probability that the image is synthetic, as far as this model knows.
    public func probability(_ features: [Double]) -> Double {
        LogisticRegression.sigmoid(calibrationA * logit(features) + calibrationB)
    }

    public var json: JSONValue {
        func numbers(_ values: [Double]) -> JSONValue { .array(values.map(JSONValue.double)) }
        return .object([
            .init("format", .string(Self.formatName)),
            .init("modelVersion", .string(modelVersion)),
            .init("featureVersion", .string(featureVersion)),
            .init("features", .array(featureNames.map(JSONValue.string))),
            .init("standardization", .object([.init("mean", numbers(means)), .init("scale", numbers(scales))])),
            .init("weights", numbers(weights)),
            .init("bias", .double(bias)),
            .init("calibration", .object([.init("method", .string("platt")), .init("a", .double(calibrationA)),
                                          .init("b", .double(calibrationB))])),
            .init("threshold", .double(threshold)),
            .init("training", training),
            .init("validation", validation),
        ])
    }

    /// The file's text: the JSON with a final newline.
    public var fileText: String { json.serialized() + "\n" }

    public static func load(_ text: String) throws(LoadError) -> SyntheticModel {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw .invalid(error.description) }
        guard value["format"]?.stringValue == formatName else { throw .invalid("not an \(formatName) file") }
        func numbers(_ value: JSONValue?, _ what: String) throws(LoadError) -> [Double] {
            guard let items = value?.arrayValue else { throw .invalid("\(what) missing") }
            var out: [Double] = []
            for item in items {
                guard let number = item.doubleValue, number.isFinite else { throw .invalid("\(what) holds a non-number") }
                out.append(number)
            }
            return out
        }
        func number(_ value: JSONValue?, _ what: String) throws(LoadError) -> Double {
            guard let number = value?.doubleValue, number.isFinite else { throw .invalid("\(what) missing") }
            return number
        }
        guard let names = value["features"]?.arrayValue?.compactMap(\.stringValue), !names.isEmpty else {
            throw .invalid("features missing")
        }
        let means = try numbers(value["standardization"]?["mean"], "standardization.mean")
        let scales = try numbers(value["standardization"]?["scale"], "standardization.scale")
        let weights = try numbers(value["weights"], "weights")
        guard means.count == names.count, scales.count == names.count, weights.count == names.count else {
            throw .invalid("\(names.count) features but \(means.count) means, \(scales.count) scales, \(weights.count) weights")
        }
        guard scales.allSatisfy({ $0 > 0 }) else { throw .invalid("a standardization scale is not positive") }
        return SyntheticModel(
            modelVersion: value["modelVersion"]?.stringValue ?? "?", featureVersion: value["featureVersion"]?.stringValue ?? "?",
            featureNames: names, means: means, scales: scales, weights: weights, bias: try number(value["bias"], "bias"),
            calibrationA: try number(value["calibration"]?["a"], "calibration.a"),
            calibrationB: try number(value["calibration"]?["b"], "calibration.b"),
            threshold: try number(value["threshold"], "threshold"),
            training: value["training"] ?? .null, validation: value["validation"] ?? .null)
    }

    /// Whether this model was trained on the features this build computes.
    public var matchesFeatures: Bool { featureVersion == SpectralFeatures.version && featureNames == SpectralFeatures.names }
}
