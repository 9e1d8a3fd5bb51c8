/// ImprintProvenance: C2PA provenance and generator fingerprints. The layer's code arrives with its own issue;
/// the target exists now so that the layer boundaries of docs/architecture.md hold from the start.
public enum ImprintProvenanceLayer {
    public static let name = "ImprintProvenance"
}
