/// Watermark schemes a manifest can declare but imprint cannot verify offline
/// (SD-WATERMARK.md §7). Rules as data: one row per scheme, matched on the soft-binding
/// algorithm name a C2PA manifest carries.
public struct DeclaredWatermarkScheme: Sendable, Equatable {
    public var scheme: String
    /// Lowercased substrings of a soft-binding `alg` that name this scheme.
    public var algorithmMarkers: [String]
    /// Why imprint cannot check it, for the report.
    public var reason: String

    public static let table: [DeclaredWatermarkScheme] = [
        DeclaredWatermarkScheme(
            scheme: "TrustMark", algorithmMarkers: ["trustmark"],
            reason: "Adobe TrustMark is decoded by a neural network (variants Q/B/C/P, each with its own model, 100-bit payload with BCH error correction); imprint ships no decoder models and never downloads any."),
        DeclaredWatermarkScheme(
            scheme: "SynthID", algorithmMarkers: ["synthid"],
            reason: "Google SynthID has no public image detector or model; it can be verified only through Google's services."),
        DeclaredWatermarkScheme(
            scheme: "Stable Signature", algorithmMarkers: ["stable_signature", "stable-signature", "stablesignature"],
            reason: "Stable Signature needs the HiDDeN extractor network and the model owner's key, neither of which imprint has."),
        DeclaredWatermarkScheme(
            scheme: "Tree-Ring", algorithmMarkers: ["tree-ring", "treering", "tree_ring"],
            reason: "Tree-Ring needs DDIM inversion with the generating diffusion model."),
        DeclaredWatermarkScheme(
            scheme: "Digimarc", algorithmMarkers: ["digimarc"],
            reason: "Digimarc watermarks are read by Digimarc's proprietary detector, which imprint does not have."),
    ]

    /// The row for a soft-binding algorithm name, or nil for a scheme imprint does not know.
    public static func matching(algorithm: String) -> DeclaredWatermarkScheme? {
        let lower = algorithm.lowercased()
        return table.first { row in row.algorithmMarkers.contains { lower.contains($0) } }
    }

    /// What the report says for a declared scheme imprint has no row for.
    public static let unknownReason = "The manifest names a watermark or soft-binding algorithm imprint has no decoder for."
    /// What the report says for a `c2pa.watermarked` action that names no algorithm.
    public static let unnamedReason = "The manifest records that a watermark was applied (c2pa.watermarked) without naming the scheme."
    /// The sentence every such finding carries.
    public static let absenceNote = "imprint did not check this watermark; no result is not evidence that the watermark is absent."
}
