import ImprintBytes
import ImprintCase
import ImprintImaging
import ImprintMetadata
import ImprintProvenance

/// Generator fingerprints (GENERATOR-METADATA.md): metadata written by image generators,
/// AI platforms and face-swap tools, matched by the rule table of ImprintProvenance, plus
/// the IPTC Digital Source Type a file declares and stealth-pnginfo LSB payloads.
///
/// Every finding here is **declared metadata**: trivially added, copied or stripped. It
/// shows that a tool wrote or processed the file, not how the pixels came to be, and its
/// absence says nothing (the analyzer never reports "not AI-generated").
///
/// Prompts can name real people, so they stay in `details`; summaries never quote them.
///
/// Categories: `generator.*` and `metadata.ai-declared` / `metadata.digital-source-type`
/// are all `provenance` — they answer "where does this image come from", like C2PA's
/// findings; how far to trust them is carried by `strength`, not by the category.
public struct GeneratorAnalyzer: StreamsSharedImage {
    public let id = "provenance.generator"
    public let version = "1.0.0"
    /// Pixels are needed only for the stealth-pnginfo read, and only PNGs are decoded for it.
    public let needsPixels = true
    /// Whether RGB PNGs without alpha are decoded for RGB-mode stealth (SD-WATERMARK.md §5
    /// reads both modes). Off, only PNGs with an alpha channel cost a decode.
    public let stealthWithoutAlpha: Bool

    public init(stealthWithoutAlpha: Bool = true) {
        self.stealthWithoutAlpha = stealthWithoutAlpha
    }

    public var parameters: JSONValue {
        .object([
            "rules": .integer(GeneratorRuleTable.rules.count),
            "stealth": .object([
                "formats": .array([.string("png")]),
                "colourTypes": .array(Self.stealthColourTypes.sorted().filter { stealthWithoutAlpha || $0 != 2 }.map { .integer($0) }),
                "bitDepth": .integer(8),
                "maxPayloadBytes": .integer(StealthPNGInfo.maxPayloadBytes),
            ]),
        ])
    }

    /// PNG colour types whose pixels can carry stealth pnginfo: RGB (RGB mode), grey+alpha
    /// and RGBA (alpha and RGB modes). Palette and plain grey PNGs cannot, so are not decoded.
    static let stealthColourTypes: Set<Int> = [2, 4, 6]

    /// Whether to decode this file for the stealth read (the only pixel cost of the analyzer).
    static func readsStealth(_ container: ParsedContainer, withoutAlpha: Bool = true) -> Bool {
        guard container.format == .png, container.pngBitDepth == 8, let colourType = container.pngColorType else { return false }
        let hasTRNS = container.elements.contains { $0.name == "tRNS" }
        if colourType == 2 { return withoutAlpha || hasTRNS }
        return stealthColourTypes.contains(colourType) || (colourType == 0 && hasTRNS)
    }

    public func analyze(_ artifact: Artifact) throws -> [Finding] {
        guard artifact.format.isImage else { return [] }
        let input = GeneratorScanInput(bytes: artifact.bytes, container: artifact.container, metadata: artifact.metadata)
        var hits = GeneratorScanner.scan(input)
        if Self.readsStealth(artifact.container, withoutAlpha: stealthWithoutAlpha), let raster = try? artifact.raster() {
            // A decode failure is recorded by the pipeline against the file; metadata findings stand.
            for payload in StealthPNGInfo.read(raster) { hits += GeneratorScanner.scan(stealth: payload) }
        }
        var findings = generatorFindings(hits)
        findings += sourceTypeFindings(SourceTypeVocabulary.declarations(in: input))
        return findings
    }

    // MARK: - generator.<id>

    /// One finding per generator, holding every rule hit for it; the generator of the
    /// best-ranked hit (GENERATOR-METADATA.md §5) is marked primary.
    func generatorFindings(_ hits: [GeneratorHit]) -> [Finding] {
        guard let primary = hits.min(by: { $0.precedence < $1.precedence })?.generator else { return [] }
        var order: [String] = []
        var byGenerator: [String: [GeneratorHit]] = [:]
        for hit in hits {
            if byGenerator[hit.generator] == nil { order.append(hit.generator) }
            byGenerator[hit.generator, default: []].append(hit)
        }
        return order.compactMap { generator in
            guard let group = byGenerator[generator]?.sorted(by: { $0.precedence < $1.precedence }), let best = group.first else {
                return nil
            }
            let confidence = group.map(\.confidence).max() ?? best.confidence
            let name = GeneratorCatalog.name(generator)
            let faceSwap = GeneratorCatalog.faceSwapTools.contains(generator)
            let what = faceSwap ? "face-swap tool data (extracted face or training set)" : "generator metadata"
            let summary = "\(name) \(what) in \(best.carrier) (rule \(best.rule)): declared metadata, trivially added or "
                + "stripped; it shows the file was written or processed by the tool, not how the pixels came to be."
            let details: JSONValue = .object([
                "generator": .string(generator), "name": .string(name), "primary": .bool(generator == primary),
                "confidence": .string(confidence.rawValue), "rule": .string(best.rule), "carrier": .string(best.carrier),
                "offset": best.offset.map { .integer($0) }, "note": best.note.map(JSONValue.string),
                "fields": best.fields,
                "otherHits": group.count > 1 ? .array(group.dropFirst().map(\.json)) : nil,
                "caveat": .string("Metadata is easy to strip, copy or forge; img2img, inpainting and upscaling keep the same keys."),
            ])
            return Finding(analyzer: id, analyzerVersion: version, category: .provenance, label: "generator.\(generator)",
                           strength: Self.strength(confidence), summary: summary, details: details,
                           location: Self.location(best))
        }
    }

    /// high → strong; medium → moderate; low (generic strings, heuristics) → weak.
    static func strength(_ confidence: GeneratorConfidence) -> Finding.Strength {
        switch confidence {
        case .high: return .strong
        case .medium: return .moderate
        case .low: return .weak
        }
    }

    static func location(_ hit: GeneratorHit) -> JSONValue {
        .object(["offset": hit.offset.map { .integer($0) }, "element": hit.element.map(JSONValue.string),
                 "carrier": .string(hit.carrier)])
    }

    // MARK: - Digital Source Type

    func sourceTypeFindings(_ declarations: [SourceTypeDeclaration]) -> [Finding] {
        var findings: [Finding] = []
        let ai = declarations.filter(\.declaresAI)
        if let first = ai.first {
            let generated = ai.contains { $0.term == "trainedAlgorithmicMedia" }
            let claim = generated ? "AI-generated (trainedAlgorithmicMedia)" : "AI-modified (compositeWithTrainedAlgorithmicMedia)"
            findings.append(Finding(
                analyzer: id, analyzerVersion: version, category: .provenance, label: "metadata.ai-declared", strength: .moderate,
                summary: "The file declares itself \(claim) in its IPTC Digital Source Type (\(first.carrier)): an unsigned "
                    + "claim, trivially added or stripped.",
                details: .object(["claim": .string(generated ? "AI-generated" : "AI-modified"),
                                  "declarations": .array(ai.map(\.json)), "signed": .bool(false)]),
                location: .object(["offset": first.offset.map { .integer($0) }, "carrier": .string(first.carrier)])))
        }
        let other = declarations.filter { !$0.declaresAI }
        if let first = other.first {
            findings.append(Finding(
                analyzer: id, analyzerVersion: version, category: .provenance, label: "metadata.digital-source-type",
                strength: .info,
                summary: "The file declares an IPTC Digital Source Type (\(first.meaning)) in \(first.carrier): an unsigned claim.",
                details: .object(["declarations": .array(other.map(\.json)), "signed": .bool(false)]),
                location: .object(["offset": first.offset.map { .integer($0) }, "carrier": .string(first.carrier)])))
        }
        return findings
    }
}
