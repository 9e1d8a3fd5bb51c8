import Foundation
import ImprintBytes
import ImprintCase
import ImprintDetectors
import ImprintImaging

/// The synthetic-image score (SYNTHETIC-DETECTION §4): classical spectral and residual
/// features on native-resolution luma crops, a logistic model trained by
/// `imprint eval train`, and a Platt-calibrated probability. The finding carries the
/// model's held-out figures, so every score comes with its measured error rates.
///
/// It is an indicator with known, substantial error rates, never a verdict: a high score
/// does not mean the image is generated, and a low one does not mean it is a photograph.
public struct SyntheticAnalyzer: StreamsSharedImage {
    public let id = "synthetic.spectral"
    public let version = "1.0.0"
    public let needsPixels = true
    let model: SyntheticModel?
    let loadError: String?
    let policy = CropPolicy()

    /// With the shipped model.
    public init() {
        switch ShippedSyntheticModel.loaded {
        case .success(let model): self.init(model: model)
        case .failure(let error): self.init(model: nil, loadError: error.description)
        }
    }

    public init(model: SyntheticModel) {
        if model.matchesFeatures {
            self.init(model: model, loadError: nil)
        } else {
            self.init(model: nil, loadError: "the model was trained on feature version \(model.featureVersion), this build computes \(SpectralFeatures.version)")
        }
    }

    private init(model: SyntheticModel?, loadError: String?) {
        self.model = model
        self.loadError = loadError
    }

    public var parameters: JSONValue {
        .object(["modelVersion": model.map { .string($0.modelVersion) } ?? .null,
                 "featureVersion": .string(SpectralFeatures.version),
                 "threshold": model.map { .double($0.threshold) } ?? .null,
                 "cropPolicy": .string(policy.description)])
    }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// A colour JPEG's crops are taken from the shared decode's strips as they pass
    /// (`LumaRegionCollector`), so the full-size image need not be kept for them.
    public func prepare(_ artifact: Artifact) {
        guard artifact.format == .jpeg, model != nil else { return }
        let policy = self.policy
        artifact.streamSmooth(key: id) { width, height in
            LumaRegionCollector(width: width, height: height,
                                regions: SpectralFeatures.cropRegions(width: width, height: height, policy: policy))
        }
    }

    public func analyze(_ artifact: Artifact) throws -> [Finding] {
        guard ImageDecoder.canDecode(artifact.format) else { return [] }
        guard let model else { throw Unavailable(description: loadError ?? "no synthetic model") }
        // A file that cannot be decoded is recorded once, as the file's decode error.
        // The shared colour decode: the features convert only their crops to luma (a
        // whole-image luma raster would cost a full pass and a full-size buffer), from
        // the strips when `prepare` had them collected, else from the raster.
        let features: SpectralFeatures
        do {
            if let collector = artifact.streamedSmooth(key: id) as? LumaRegionCollector, let crops = collector.rasters {
                features = try SpectralFeatures.compute(crops: crops, width: collector.width, height: collector.height, policy: policy)
            } else {
                guard let raster = try? artifact.raster() else { return [] }
                features = try SpectralFeatures.compute(raster, policy: policy)
            }
        } catch {
            // Too small or flat: nothing to measure, and nothing to say.
            return []
        }
        let probability = model.probability(features.values)
        let flagged = probability >= model.threshold
        let validation = model.validation
        let tpr = validation["thresholdTPR"]?.doubleValue, fpr = validation["thresholdFPR"]?.doubleValue
        let auc = validation["auc"]?.doubleValue
        var domain: [String] = []
        if features.reducedCrop { domain.append("smaller than the \(policy.size)-pixel crops the model was validated on") }
        let set = [validation["set"]?.stringValue, validation["normalization"]?.stringValue.map { "re-encoded \($0)" }]
            .compactMap { $0 }.joined(separator: ", ")
        let rates = (tpr != nil && fpr != nil)
            ? String(format: " At threshold %.2f the model flagged %.0f %% of synthetic and %.0f %% of real held-out test images (AUC %.2f%@).",
                     model.threshold, (tpr ?? 0) * 100, (fpr ?? 0) * 100, auc ?? 0, set.isEmpty ? "" : "; " + set) : ""
        let outside = domain.isEmpty ? "" : " This image is outside the validated domain (\(domain.joined(separator: "; ")))."
        let summary = String(format: "synthetic.score %.2f (calibrated), %@ threshold %.2f.", probability,
                             flagged ? "at or above" : "below", model.threshold) + rates + outside
            + " An indicator with known error rates, not a verdict: neither a high nor a low score settles whether the image was generated."
        let details: JSONValue = .object([
            .init("probability", .double((probability * 10_000).rounded() / 10_000)),
            .init("threshold", .double(model.threshold)),
            .init("flagged", .bool(flagged)),
            .init("logit", .double((model.logit(features.values) * 10_000).rounded() / 10_000)),
            .init("calibration", .string("platt, fitted on out-of-fold training scores")),
            .init("modelVersion", .string(model.modelVersion)),
            .init("featureVersion", .string(model.featureVersion)),
            .init("cropPolicy", .string(policy.description)),
            .init("cropSide", .integer(features.cropSide)),
            .init("crops", .integer(features.cropCount)),
            .init("outsideValidatedDomain", .bool(!domain.isEmpty)),
            .init("validation", validation),
        ])
        let strength: Finding.Strength = flagged ? (domain.isEmpty ? .moderate : .weak) : .info
        return [Finding(analyzer: id, analyzerVersion: version, category: .synthetic, label: "synthetic.score",
                        strength: strength, score: probability, summary: summary, details: details,
                        location: .object([.init("element", .string("decoded pixels (luma)"))]))]
    }
}
