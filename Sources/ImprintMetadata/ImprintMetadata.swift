/// ImprintMetadata: EXIF (through libexif), XMP, IPTC-IIM, ICC and PNG text, normalised
/// into one record. This layer's parsers arrive with the metadata issue; the target exists
/// now so that the layer boundaries of docs/architecture.md are enforced from the start.
public enum ImprintMetadataLayer {
    public static let name = "ImprintMetadata"
}
