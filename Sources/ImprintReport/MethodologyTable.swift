/// What each analyzer detects, how well it is known to work, and its limits, as the
/// report's methodology section states them. Keyed by analyzer id (exact, or a prefix
/// ending in "."); an analyzer without an entry gets the generic text, so a detector added
/// later is still described honestly rather than silently left out.
public struct Methodology: Sendable, Equatable {
    public var title: String
    public var detects: String
    /// Measured error rates and the data they were measured on; "not measured" says so.
    public var errorRates: String
    public var limitations: [String]
    /// Where the full description lives.
    public var reference: String

    /// Stated under every analyzer, whatever it is.
    public static let absenceCaveat = "The absence of a marker or finding is not evidence that an image is authentic or unaltered: metadata, watermarks and credentials are easily removed, and every detector has a miss rate."
}

public enum MethodologyTable {
    public static let entries: [String: Methodology] = [
        "integrity.extension": Methodology(
            title: "File type against file name",
            detects: "Files whose content, identified from its leading magic bytes, is an image format other than the one the file-name extension claims (for example a PNG named .txt).",
            errorRates: "Deterministic comparison of magic bytes with the extension; no statistical error rate. Tested on fixtures the test suite builds for every supported format.",
            limitations: ["Says nothing about how the image was made.",
                          "Formats imprint does not sniff are not compared."],
            reference: "docs/analyze-json.md"),
        "metadata.consistency": Methodology(
            title: "Metadata consistency",
            detects: "Declared dimensions that differ from the image stream, modification dates after capture, image-editing or retouching software named in EXIF/XMP, and data after the end of the image stream that is not a known benign trailer.",
            errorRates: "Rule-based; no statistical error rate. Checked against ExifTool on ../shared/corpus/camera (metadata extraction) and on built fixtures.",
            limitations: ["Metadata can be written by anyone; consistent metadata proves nothing.",
                          "Camera firmware and phone galleries legitimately write editing software names and dates."],
            reference: "docs/metadata.md"),
        "metadata.thumbnail": Methodology(
            title: "EXIF thumbnail against image",
            detects: "An embedded EXIF thumbnail that no longer shows the image (16×16 luma correlation below 0.75) or has another shape: the pixels were changed or cropped after the thumbnail was made, or the EXIF was copied from another file.",
            errorRates: "Measured on ../shared/corpus (2026-11): 0 of 43 camera originals flagged (false-positive rate 0/43); 20 of 21 cropped-and-resized copies flagged (detection 20/21).",
            limitations: ["Only JPEG and PNG files that carry an EXIF JPEG thumbnail are examined.",
                          "HDR and multi-exposure camera modes can produce poorly correlated thumbnails.",
                          "It cannot tell whether a change was deceptive or which of the two was altered."],
            reference: "docs/metadata.md"),
        "provenance.c2pa": Methodology(
            title: "C2PA Content Credentials",
            detects: "Content Credentials manifests: presence, validity (claims, hashed URIs, data-hash binding, COSE signature, certificate chain, time stamps, OCSP), AI generation or editing as the signer declared it, declared watermarks, stripped manifests (orphan XMP pointer) and remote manifests. Validation is offline.",
            errorRates: "Presence, validation state and failure codes equal the reference implementation (c2pa-rs via c2pa-python 0.38) on every file of ../shared/corpus/c2pa; signed fixtures made with the reference tool.",
            limitations: ["A manifest proves something only when valid, bound to this file, and signed by a signer chaining to an anchor the examiner trusts; test-signed or unsigned manifests are easy to forge.",
                          "Box, BMFF and collection hashes are recognised but not verified (state incomplete).",
                          "Without --trust-anchors every signer is reported untrusted."],
            reference: "docs/c2pa.md"),
        "provenance.generator": Methodology(
            title: "Generator fingerprints",
            detects: "Metadata that AI image tools and services write (AUTOMATIC1111, ComfyUI, InvokeAI, NovelAI, Fooocus, Midjourney, Google, Meta, GB 45438 labels, DeepFaceLab, faceswap and others), stealth pnginfo in PNG pixels, and declared IPTC digital source types.",
            errorRates: "Every file of ../shared/corpus/generators matched with its expected generator; no generator finding on any file of ../shared/corpus/camera or ../shared/corpus/pdq.",
            limitations: ["Generator metadata is trivially removed or forged; its absence means nothing.",
                          "Some layouts follow the specification rather than real samples (docs/generators.md, known gaps)."],
            reference: "docs/generators.md"),
        "hashset-match": Methodology(
            title: "Known hash-set matching",
            detects: "Files whose MD5 or SHA-256 is listed in an imported hash set (exact match), and files whose PDQ perceptual hash lies within the stated Hamming distance of a listed PDQ hash (near match).",
            errorRates: "Exact matches: a SHA-256 collision is not practically possible; MD5 matches carry the caveat that MD5 is collision-broken. PDQ near matches: Meta's published operating point (distance ≤ 31 on quality ≥ 50 hashes) trades a small false-match rate for robustness to re-encoding; not re-measured by imprint.",
            limitations: ["A match is only as good as the hash set and its provenance.",
                          "Files altered beyond the PDQ threshold are not matched."],
            reference: "docs/similarity.md"),
        "near-duplicate-clustering": Methodology(
            title: "Near-duplicate clustering (PDQ)",
            detects: "Groups of files whose PDQ hashes are within the clustering threshold of each other (single linkage through a multi-index hash table), with the cluster diameter; low-quality hashes are excluded and listed.",
            errorRates: "PDQ hashes are identical to Meta's reference on 29/29 files of ../shared/corpus/pdq; index search tested equal to brute force. Visual similarity is not identity: near-duplicates may be distinct images of similar scenes.",
            limitations: ["Chained clusters can join files that are not near each other (flagged chained).",
                          "Heavy crops, rotations beyond the dihedral variants and overlays defeat PDQ."],
            reference: "docs/similarity.md"),
        "watermark.sd-dwtdct": Methodology(
            title: "Stable Diffusion invisible watermark (dwtDct)",
            detects: "The invisible watermark that Stable Diffusion 1.x/2.x, SDXL and diffusers embed in the chroma of every image they write (payloads sd1, sd2, sdxl), decoded from the pixels with soft votes over both channel orders, both quantisation lattices and 36 lattice offsets (144 variants per payload), and reported with the number of payload bits that agree and a false-alarm probability corrected for that search.",
            errorRates: "Measured on ../shared/corpus (2026-11): 16 of 16 marked PNGs and 8 of 8 JPEG quality-95 re-saves detected with the right payload (the reference decoder: 12 and 1); 0 false alarms on 4 clean sources and on 178 distinct unmarked photographs (534 payload decodes, the strongest reaching only tier 'partial'); 80 % resizes are not detected. Reported only at a corrected false-alarm probability of 1e-3 or less.",
            limitations: ["The embedding code is public: anyone can add this watermark to any image, so a positive shows only that the pixels passed through a pipeline with the watermarker enabled.",
                          "Resizing, cropping off the 8-pixel grid, screenshots and platform re-encodes remove the watermark; its absence says nothing about how an image was made.",
                          "Only JPEG and PNG pixels are decoded; images under 256 x 256 pixels and greyscale images cannot carry it."],
            reference: "docs/watermarks.md"),
        "watermark.": Methodology(
            title: "Invisible watermark decoding",
            detects: "Invisible watermarks embedded by image generators, decoded from the pixels and compared with known payloads.",
            errorRates: "See each finding's details for the threshold and measured rates recorded by the analyzer version that ran.",
            limitations: ["Re-encoding, resizing and cropping weaken or remove watermarks; a missing watermark proves nothing.",
                          "Only watermarks whose decoders run offline can be checked; declared schemes such as TrustMark or SynthID are reported as not checkable offline."],
            reference: "docs/watermarks.md"),
        "synthetic.spectral": Methodology(
            title: "Synthetic-artifact score (spectral and residual features)",
            detects: "Statistical traces of image synthesis in the pixels: 29 features on up to four native-resolution 256 x 256 luma crops (azimuthal power spectrum, high-frequency decay, the residual's periodic harmonic grid, residual energy by radius and angle), combined by a calibrated logistic model (models/synthetic-model-v1.json) into a probability compared with a stated threshold.",
            errorRates: "Measured on the test split of ../shared/corpus/synthetic (31 AI images, 35 photographs; trained on the train split only): AUC 0.874 [0.782, 0.953] as stored and 0.810 [0.706, 0.907] after re-encoding every input identically (JPEG 90, 512 px); 0.767 when sizes are also matched; true-positive rate 0.23 at 5 % false positives; the operating threshold gave 11 % false positives on that split. Each finding's details repeat the model's held-out figures.",
            limitations: ["Scores are indicators, never verdicts: the validation set is small and covers 13 generator families; generators and processing absent from it may score anywhere.",
                          "Compression, resizing, screenshots and filters shift scores; a low score is not evidence that a photograph is genuine."],
            reference: "docs/synthetic.md"),
        "synthetic.": Methodology(
            title: "Synthetic-artifact scoring",
            detects: "Statistical traces of image synthesis, combined into a score between 0 and 1 compared with a stated threshold.",
            errorRates: "See each finding's details for the threshold, validation set and error rates recorded by the analyzer version that ran.",
            limitations: ["Scores are indicators, never verdicts; detectors fail on generators and processing absent from their validation data.",
                          "Compression, resizing and screenshots shift scores."],
            reference: "docs/synthetic.md"),
        "compression.": Methodology(
            title: "JPEG compression analysis",
            detects: "How a JPEG was last saved: quantisation tables classed as IJG-standard at an estimated quality, split quality, Annex-K-scaled, known software or custom; chroma subsampling; progressive coding; standard or optimised Huffman tables; EXIF completeness; generator-typical dimensions.",
            errorRates: "Rule-based; no statistical error rate. Table parsing checked equal to libjpeg's on ../shared/corpus/camera; classification tested on JPEGs made at known qualities. As a synthetic-image cue alone it reached AUC 0.686 on the normalised corpus test split, and 0.500 once sizes are matched.",
            limitations: ["Many programs and cameras share quantisation tables (26 camera originals in the corpus use the IJG tables): a table identifies a family of encoders, not a tool.",
                          "A library re-save is not evidence of AI generation; a camera-like table is not evidence of a camera."],
            reference: "docs/synthetic.md"),
    ]

    /// The methodology for `analyzer`: an exact entry, else the longest matching prefix
    /// entry, else the generic text.
    public static func methodology(for analyzer: String) -> (methodology: Methodology, isGeneric: Bool) {
        if let exact = entries[analyzer] { return (exact, false) }
        let prefixes = entries.keys.filter { $0.hasSuffix(".") && analyzer.hasPrefix($0) }.sorted { $0.count > $1.count }
        if let best = prefixes.first, let entry = entries[best] { return (entry, false) }
        return (generic(analyzer), true)
    }

    static func generic(_ analyzer: String) -> Methodology {
        Methodology(
            title: analyzer,
            detects: "This build of imprint holds no methodology text for analyzer \(analyzer). Its findings are listed with their category, label, strength, score, summary and recorded details.",
            errorRates: "Not stated by this build: no measured error rate is known to the report. Read the thresholds and any validation figures in each finding's details.",
            limitations: ["Treat its findings as unvalidated indicators until a measured error rate is available."],
            reference: "docs/architecture.md")
    }
}
