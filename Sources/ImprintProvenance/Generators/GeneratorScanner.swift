import ImprintBytes

/// Applies the rule table to a file's carriers. The only code that interprets rules:
/// every generator-specific fact lives in `GeneratorRuleTable` and its field maps.
public enum GeneratorScanner {
    /// Stealth payloads come last in the spec's PNG order (§5).
    static let stealthPrecedenceOffset = 1_000

    /// Every rule hit among the file's metadata carriers, ordered by precedence.
    public static func scan(_ input: GeneratorScanInput) -> [GeneratorHit] {
        scan(items: input.items, rules: GeneratorRuleTable.all, precedenceOffset: 0)
    }

    /// The hits of a stealth pnginfo payload. Its text goes through the same rules as PNG
    /// text: a JSON object's members as text keys (NovelAI's `Software`, `Comment`, …),
    /// anything else as A1111 `parameters`. A payload no rule explains is still reported,
    /// as the stealth writer's own hit.
    public static func scan(stealth payload: StealthPayload) -> [GeneratorHit] {
        let carrier = "stealth pnginfo (\(payload.mode.rawValue) LSB, \(payload.magic))"
        let stealth = payload.json
        typealias Item = GeneratorFingerprints.Item
        var items: [Item] = []
        let text = payload.text
        if payload.status == .complete || !payload.payload.isEmpty {
            if case .object(let members)? = FieldBounds.parseJSON(text) {
                for member in members {
                    let value = member.value.stringValue ?? member.value.serialized()
                    items.append(Item(key: .text(member.key), text: value, carrier: carrier + " key \"\(member.key)\"",
                                      element: "pixels", offset: nil, decoding: stealth))
                }
            } else {
                items.append(Item(key: .text("parameters"), text: text, carrier: carrier, element: "pixels", offset: nil,
                                  decoding: stealth))
            }
        }
        var hits = scan(items: items, rules: GeneratorRuleTable.all, precedenceOffset: stealthPrecedenceOffset)
        for index in hits.indices { hits[index].fields = appending(hits[index].fields, "stealth", stealth) }
        if hits.isEmpty {
            hits.append(GeneratorHit(
                generator: "stealth-pnginfo", rule: "stealth.magic", carrier: carrier, element: "pixels", offset: nil,
                fields: .object([.init("stealth", stealth), .init("payload", FieldBounds.string(text))]),
                confidence: .high, precedence: 110 + stealthPrecedenceOffset,
                note: "the magic string marks the stealth-pnginfo writer (A1111 extension, NovelAI); no generator rule explains the payload"))
        }
        return hits
    }

    static func scan(items: [GeneratorFingerprints.Item], rules: [GeneratorRule], precedenceOffset: Int) -> [GeneratorHit] {
        var hits: [GeneratorHit] = []
        for rule in rules {
            for item in items where rule.locators.contains(where: { $0.matches(item.key, hasText: item.text != nil) }) {
                guard rule.tests.allSatisfy({ test in item.text.map { GeneratorFingerprints.passes(test, $0) } ?? false }),
                      rule.requires.allSatisfy({ satisfied($0, items) }),
                      !rule.excludes.contains(where: { satisfied($0, items) }),
                      var fields = GeneratorFingerprints.parse(rule.parser, item) else { continue }
                var alsoRead: [JSONValue] = []
                for companion in rule.companions {
                    guard let (extra, source) = companionFields(companion, items) else { continue }
                    for member in extra where !fields.contains(where: { $0.key == member.key }) { fields.append(member) }
                    alsoRead.append(.object(["carrier": .string(source.carrier), "offset": source.offset.map { .integer($0) }]))
                }
                // Where companion fields came from, so every value can be traced to its bytes.
                if !alsoRead.isEmpty { fields.append(.init("alsoReadFrom", .array(alsoRead))) }
                if let decoding = item.decoding, precedenceOffset == 0 { fields.append(.init("decoding", decoding)) }
                var confidence = rule.confidence
                if !rule.highWhenFields.isEmpty, rule.highWhenFields.allSatisfy({ name in fields.contains { $0.key == name } }) {
                    confidence = .high
                }
                let hit = GeneratorHit(generator: rule.generator, rule: rule.id, carrier: item.carrier, element: item.element,
                                       offset: item.offset, fields: .object(fields), confidence: confidence,
                                       precedence: rule.precedence + precedenceOffset, note: rule.note)
                // One hit per rule and carrier (generic rows share an id across names).
                if !hits.contains(where: { $0.rule == hit.rule && $0.generator == hit.generator && $0.carrier == hit.carrier
                    && $0.offset == hit.offset }) {
                    hits.append(hit)
                }
            }
        }
        // Stable: by precedence, then file position, then table order.
        return hits.enumerated().sorted {
            ($0.element.precedence, $0.element.offset ?? .max, $0.offset) < ($1.element.precedence, $1.element.offset ?? .max, $1.offset)
        }.map(\.element)
    }

    static func satisfied(_ condition: Condition, _ items: [GeneratorFingerprints.Item]) -> Bool {
        items.contains { item in
            condition.anyOf.contains { $0.matches(item.key, hasText: item.text != nil) }
                && condition.tests.allSatisfy { test in item.text.map { GeneratorFingerprints.passes(test, $0) } ?? false }
                && (condition.parser.map { GeneratorFingerprints.parse($0, item) != nil } ?? true)
        }
    }

    static func companionFields(_ companion: Companion, _ items: [GeneratorFingerprints.Item])
        -> ([JSONValue.Member], GeneratorFingerprints.Item)? {
        for item in items where companion.locators.contains(where: { $0.matches(item.key, hasText: item.text != nil) }) {
            guard companion.tests.allSatisfy({ test in item.text.map { GeneratorFingerprints.passes(test, $0) } ?? false })
            else { continue }
            if let fields = GeneratorFingerprints.parse(companion.parser, item) { return (fields, item) }
        }
        return nil
    }

    private static func appending(_ object: JSONValue, _ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        members.append(.init(key, value))
        return .object(members)
    }
}
