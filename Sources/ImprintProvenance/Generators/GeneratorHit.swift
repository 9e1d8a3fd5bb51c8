import ImprintBytes

/// How much a single rule hit says, in the terms of GENERATOR-METADATA.md §2.
public enum GeneratorConfidence: String, Sendable, Comparable, CaseIterable {
    /// A generic string or a heuristic match.
    case low
    /// A single distinctive key, a vendor label, or a rule known only from third-party sources.
    case medium
    /// A tool-specific structure that parses with several of its expected fields.
    case high

    private var rank: Int { self == .low ? 0 : self == .medium ? 1 : 2 }

    public static func < (lhs: GeneratorConfidence, rhs: GeneratorConfidence) -> Bool { lhs.rank < rhs.rank }
}

/// One rule of the generator table that matched one carrier of one file:
/// `{generator, rule, carrier, offset, fields, confidence}` (GENERATOR-METADATA.md, intro).
///
/// A hit is declared metadata: it shows that a tool wrote or processed the file, never how
/// the pixels came to be, and anyone can add or strip it.
public struct GeneratorHit: Sendable, Equatable {
    /// Stable generator id (`automatic1111`, `comfyui`, …), see `GeneratorCatalog`.
    public var generator: String
    /// Stable rule id (`a1111.png-parameters`, …), see `GeneratorRuleTable`.
    public var rule: String
    /// Where the data was, for people: `PNG tEXt "parameters"`, `EXIF UserComment (0x9286)`, …
    public var carrier: String
    /// The container element that held it (`tEXt`, `APP1 EXIF`, `APP15`, `XMP`, `pixels`), if known.
    public var element: String?
    /// Absolute byte offset of the carrier (chunk, segment, tag value, packet), when it has one.
    public var offset: Int?
    /// What the rule extracted: prompt, negative prompt, seed, steps, sampler, model, size, LoRAs,
    /// node types, … (names documented in the rule table). Prompts can name people: keep
    /// them out of any summary.
    public var fields: JSONValue
    public var confidence: GeneratorConfidence
    /// Rank for choosing the primary label (GENERATOR-METADATA.md §5); lower wins.
    public var precedence: Int
    /// What is unconfirmed or special about the rule, if anything.
    public var note: String?

    public init(generator: String, rule: String, carrier: String, element: String?, offset: Int?, fields: JSONValue,
                confidence: GeneratorConfidence, precedence: Int, note: String?) {
        self.generator = generator
        self.rule = rule
        self.carrier = carrier
        self.element = element
        self.offset = offset
        self.fields = fields
        self.confidence = confidence
        self.precedence = precedence
        self.note = note
    }

    public var json: JSONValue {
        .object([
            "generator": .string(generator), "rule": .string(rule), "carrier": .string(carrier),
            "element": element.map(JSONValue.string), "offset": offset.map { .integer($0) },
            "confidence": .string(confidence.rawValue), "note": note.map(JSONValue.string), "fields": fields,
        ])
    }
}

/// The generators the rule table knows, by stable id, with the name reports show.
public enum GeneratorCatalog {
    public static let names: [String: String] = [
        "automatic1111": "AUTOMATIC1111 / Forge / SD.Next",
        "comfyui": "ComfyUI",
        "invokeai": "InvokeAI",
        "novelai": "NovelAI",
        "fooocus": "Fooocus",
        "easydiffusion": "Easy Diffusion",
        "swarmui": "SwarmUI (StableSwarmUI)",
        "drawthings": "Draw Things",
        "midjourney": "Midjourney",
        "google": "Google (Imagen / Gemini)",
        "meta": "Meta AI (Imagine)",
        "gb45438": "GB 45438-2025 AIGC implicit label",
        "replicate": "Replicate (MediaProvenance)",
        "deepfacelab": "DeepFaceLab",
        "faceswap": "faceswap",
        "stealth-pnginfo": "stealth-pnginfo (LSB metadata writer)",
        "openai": "OpenAI (DALL·E)",
        "adobe-firefly": "Adobe Firefly",
    ]

    public static func name(_ id: String) -> String { names[id] ?? id }

    /// Face-swap tools: their artefacts mark a face-swap workflow rather than a text-to-image generator.
    public static let faceSwapTools: Set<String> = ["deepfacelab", "faceswap"]
}
