import ImprintBytes

extension GeneratorFingerprints {
    /// Runs one parser of the rule table on one carrier. Nil means "not this structure".
    static func parse(_ parser: FieldParser, _ item: Item) -> [JSONValue.Member]? {
        switch parser {
        case .text(let name):
            guard let text = item.text else { return nil }
            return [.init(name, FieldBounds.string(text))]
        case .present:
            let size = item.raw?.count ?? item.text?.utf8.count ?? 0
            return [.init("bytes", .integer(size))]
        case .a1111:
            return item.text.flatMap(A1111Parameters.parse).map(A1111Parameters.fields)
        case .comfyPrompt:
            return item.json.flatMap(ComfyGraph.prompt)
        case .comfyWorkflow:
            return item.json.flatMap(ComfyGraph.workflow)
        case .invokeGraph:
            return item.json.flatMap(ComfyGraph.invokeGraph)
        case .invokeWorkflow:
            return item.json.flatMap(ComfyGraph.invokeWorkflow)
        case .dream:
            return item.text.flatMap(DreamCommand.fields)
        case .midjourneyDescription:
            return item.text.flatMap { MidjourneyDescription.fields($0, requireJobID: true) }
        case .midjourneyFlags:
            return item.text.flatMap { MidjourneyDescription.fields($0, requireJobID: false) }
        case .json(let map):
            return item.json.flatMap(map.read)
        case .aigcLabel:
            return item.json.flatMap(aigcLabel)
        case .keyedJSON:
            guard let text = item.text, let colon = text.firstIndex(of: ":"),
                  let value = FieldBounds.parseJSON(String(text[text.index(after: colon)...])) else { return nil }
            var out: [JSONValue.Member] = [.init("key", FieldBounds.string(String(text[..<colon])))]
            if case .object(let members) = value {
                out.append(.init("topLevelKeys", .array(members.prefix(64).map { FieldBounds.string($0.key) })))
            }
            return out
        case .deepFaceLabPickle:
            return item.raw.flatMap(DeepFaceLabFaceData.walked)
        case .deepFaceLabKeys:
            return item.raw.flatMap(DeepFaceLabFaceData.scanned)
        case .faceswapLiteral:
            return item.text.flatMap(FaceswapHeader.fields)
        case .afterPrefix(let prefix, let inner):
            guard let text = item.text, text.hasPrefix(prefix) else { return nil }
            var rest = item
            rest.text = String(text.dropFirst(prefix.count))
            rest.json = rest.text.flatMap(FieldBounds.parseJSON)
            return parse(inner, rest)
        case .firstOf(let parsers):
            for candidate in parsers { if let fields = parse(candidate, item) { return fields } }
            return nil
        case .nested(let name, let inner):
            return parse(inner, item).map { [.init(name, .object($0))] }
        }
    }

    /// GB 45438: `{"AIGC": {...}}`, `{"AIGC": "<json>"}`, or the inner object itself.
    static func aigcLabel(_ value: JSONValue) -> [JSONValue.Member]? {
        // Unwrap `AIGC` members (an XMP property may hold the whole `{"AIGC": …}` text).
        var label = value
        for _ in 0..<3 {
            guard let inner = label["AIGC"] else { break }
            label = inner.stringValue.flatMap(FieldBounds.parseJSON) ?? inner
        }
        guard var fields = GeneratorJSONMaps.aigc.read(label) else { return nil }
        let text = label["Label"].map { $0.stringValue ?? $0.serialized() } ?? ""
        fields.append(.init("labelMeaning", .string(text == "1" ? "AI-generated (Label 1)" : "unconfirmed label value")))
        return fields
    }
}
