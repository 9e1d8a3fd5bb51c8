import ImprintBytes

/// An IPTC Digital Source Type a file declares about itself in XMP (or, unconfirmed, IIM).
/// An unsigned claim: anyone can write or remove it.
public struct SourceTypeDeclaration: Sendable, Equatable {
    /// The value as written (a vocabulary URI or a bare term).
    public var value: String
    /// The vocabulary term, when the value is one (`trainedAlgorithmicMedia`).
    public var term: String?
    /// The class of C2PA.md §6: `AI-generated`, `AI-modified`, `synthetic, not ML`, … or `unrecognised`.
    public var meaning: String
    public var carrier: String
    public var offset: Int?

    /// `trainedAlgorithmicMedia` or `compositeWithTrainedAlgorithmicMedia`.
    public var declaresAI: Bool {
        guard let term else { return false }
        return SourceTypeVocabulary.aiTerms.contains(term)
    }

    public var json: JSONValue {
        .object(["value": .string(value), "term": term.map(JSONValue.string), "meaning": .string(meaning),
                 "carrier": .string(carrier), "offset": offset.map { .integer($0) }])
    }
}

/// The IPTC Digital Source Type vocabulary with the classes of C2PA.md §6, as data.
public enum SourceTypeVocabulary {
    public static let iptcPrefixes = ["http://cv.iptc.org/newscodes/digitalsourcetype/",
                                      "https://cv.iptc.org/newscodes/digitalsourcetype/"]
    public static let c2paPrefixes = ["http://c2pa.org/digitalsourcetype/", "https://c2pa.org/digitalsourcetype/"]

    public static let aiTerms: Set<String> = ["trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"]

    /// Term → class (C2PA.md §6).
    public static let classes: [String: String] = [
        "trainedAlgorithmicMedia": "AI-generated",
        "compositeWithTrainedAlgorithmicMedia": "AI-modified",
        "algorithmicMedia": "synthetic, not ML",
        "compositeSynthetic": "synthetic, AI not implied",
        "algorithmicallyEnhanced": "not AI", "digitalCapture": "not AI", "computationalCapture": "not AI",
        "negativeFilm": "not AI", "positiveFilm": "not AI", "print": "not AI", "screenCapture": "not AI",
        "virtualRecording": "not AI", "compositeCapture": "not AI", "minorHumanEdits": "not AI", "humanEdits": "not AI",
        "digitalCreation": "not AI", "digitalArt": "not AI", "dataDrivenMedia": "not AI", "softwareImage": "not AI",
        "trainedAlgorithmicData": "C2PA: AI output that is not media", "empty": "C2PA: undeclared",
    ]

    /// The vocabulary term of a value: the part after a known vocabulary prefix, or the
    /// bare value when it is itself a known term (matched case-insensitively, returned as
    /// the vocabulary spells it). Nil for anything else.
    public static func term(of value: String) -> String? {
        var candidate = value.generatorTrimmed()
        var hadPrefix = false
        for prefix in iptcPrefixes + c2paPrefixes where candidate.lowercased().hasPrefix(prefix) {
            candidate = String(candidate.dropFirst(prefix.count))
            hadPrefix = true
            break
        }
        while candidate.hasSuffix("/") { candidate.removeLast() }
        if let known = classes.keys.first(where: { $0.lowercased() == candidate.lowercased() }) { return known }
        return hadPrefix && !candidate.isEmpty && !candidate.contains("/") ? candidate : nil
    }

    public static func meaning(of value: String) -> String {
        guard let term = term(of: value) else { return "unrecognised" }
        return classes[term] ?? "unrecognised term"
    }

    /// Every Digital Source Type the file declares: XMP `Iptc4xmpExt:DigitalSourceType` (by
    /// namespace URI) and any IPTC-IIM dataset whose value is a vocabulary URI (no IIM
    /// dataset for it is standardised; only full URIs are taken there, never bare words).
    public static func declarations(in input: GeneratorScanInput) -> [SourceTypeDeclaration] {
        var out: [SourceTypeDeclaration] = []
        for item in input.items {
            guard let text = item.text else { continue }
            switch item.key {
            case .xmp(let namespace, "DigitalSourceType", nil) where namespace == GeneratorNamespaces.iptc4xmpExt:
                break
            case .iptc:
                let lowered = text.generatorTrimmed().lowercased()
                guard iptcPrefixes.contains(where: { lowered.hasPrefix($0) }) else { continue }
            default:
                continue
            }
            let value = text.generatorTrimmed()
            guard !value.isEmpty, !out.contains(where: { $0.value == value && $0.carrier == item.carrier }) else { continue }
            out.append(SourceTypeDeclaration(value: value, term: term(of: value), meaning: meaning(of: value),
                                             carrier: item.carrier, offset: item.offset))
        }
        return out
    }
}
