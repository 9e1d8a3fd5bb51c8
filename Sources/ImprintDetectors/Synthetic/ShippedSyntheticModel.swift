/// The model imprint ships, embedded in the binary so that scoring never depends on a
/// file beside the executable. Its text is `models/synthetic-model-v1.json`, copied into
/// `ShippedSyntheticModelText.swift` by `scripts/train-synthetic-model.sh` (a test checks
/// the two are identical).
public enum ShippedSyntheticModel {
    /// Where the model file lives in the repository.
    public static let repositoryPath = "models/synthetic-model-v1.json"

    /// The shipped model, or why it could not be loaded.
    public static let loaded: Result<SyntheticModel, SyntheticModel.LoadError> = {
        guard let text = ShippedSyntheticModelText.text else { return .failure(.invalid("no model is embedded in this build")) }
        return Result { () throws(SyntheticModel.LoadError) in try SyntheticModel.load(text) }
    }()

    /// The embedded text, for the file-equality check.
    public static var text: String? { ShippedSyntheticModelText.text }
}
