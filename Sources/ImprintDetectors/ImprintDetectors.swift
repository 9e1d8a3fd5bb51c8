/// ImprintDetectors: watermark, synthetic-artifact and compression detectors. The layer's code arrives with its own issue;
/// the target exists now so that the layer boundaries of docs/architecture.md hold from the start.
public enum ImprintDetectorsLayer {
    public static let name = "ImprintDetectors"
}
