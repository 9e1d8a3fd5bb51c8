/// ImprintSimilarity: perceptual hashes, the similarity index and clustering. The layer's code arrives with its own issue;
/// the target exists now so that the layer boundaries of docs/architecture.md hold from the start.
public enum ImprintSimilarityLayer {
    public static let name = "ImprintSimilarity"
}
