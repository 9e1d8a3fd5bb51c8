/// ImprintProvenance: where an image says it came from.
///
/// - `C2PA/`: C2PA manifests (JUMBF, claim, COSE signature, certificates, hard binding).
/// - `Generators/`: generator fingerprints (GENERATOR-METADATA.md) — a rule table, as data,
///   of the metadata AI generators, platforms and face-swap tools write
///   (`GeneratorRuleTable`, applied by `GeneratorScanner` to a `GeneratorScanInput`), the
///   IPTC Digital Source Type a file declares (`SourceTypeVocabulary`), and stealth-pnginfo
///   LSB payloads (`StealthPNGInfo`).
///
/// Everything here reports what a file declares. Declarations can be forged or stripped;
/// only a valid signature binds a claim to its signer, and absence proves nothing.
public enum ImprintProvenanceLayer {
    public static let name = "ImprintProvenance"
}
