import ImprintBytes

/// Internal namespace of the generator-fingerprint engine (keeps its helper types apart
/// from the rest of the provenance layer).
enum GeneratorFingerprints {}

extension GeneratorFingerprints {
    /// What kind of place an item came from; `Locator`s match against it.
    enum Key: Sendable, Equatable {
        case text(String)
        case exif(ExifDirectory, UInt16)
        /// Top-level XMP property (namespace URI, local name) and, for struct fields inside
        /// arrays, the field's local name.
        case xmp(namespace: String, name: String, field: String?)
        case xmpNamespace(String)
        case iptc(record: Int, dataset: Int)
        case comment
        case segment(String)
        case chunk(String)
    }

    /// One carrier of metadata: a PNG text chunk, an EXIF tag, an XMP property, an IPTC
    /// dataset, a comment, a raw segment, or a key of a stealth payload.
    struct Item: Sendable {
        var key: Key
        /// Decoded text (nil for raw-only carriers such as APP15).
        var text: String?
        /// Raw bytes, for binary carriers.
        var raw: [UInt8]?
        /// For people: `PNG tEXt "parameters"`, `EXIF UserComment (0x9286)`, …
        var carrier: String
        var element: String?
        var offset: Int?
        /// How the text was decoded, when that took a decision (UserComment charset and byte order).
        var decoding: JSONValue?
        /// The text parsed as JSON once, when it looks like JSON.
        var json: JSONValue?

        init(key: Key, text: String?, raw: [UInt8]? = nil, carrier: String, element: String?, offset: Int?,
             decoding: JSONValue? = nil) {
            self.key = key
            self.text = text
            self.raw = raw
            self.carrier = carrier
            self.element = element
            self.offset = offset
            self.decoding = decoding
            self.json = text.flatMap(FieldBounds.parseJSON)
        }
    }
}

extension Locator {
    func matches(_ key: GeneratorFingerprints.Key, hasText: Bool) -> Bool {
        switch (self, key) {
        case let (.text(a), .text(b)): return a == b
        case let (.exif(d1, t1), .exif(d2, t2)): return d1 == d2 && t1 == t2
        case let (.xmp(ns1, n1), .xmp(ns2, n2, field)): return ns1 == ns2 && n1 == n2 && field == nil
        case let (.xmpField(ns1, n1, f1), .xmp(ns2, n2, f2)): return ns1 == ns2 && n1 == n2 && f1 == f2
        case let (.xmpNamespace(a), .xmpNamespace(b)): return a == b
        case let (.iptc(r1, d1), .iptc(r2, d2)): return r1 == r2 && d1 == d2
        case (.anyIPTC, .iptc): return true
        case (.comment, .comment): return true
        case let (.segment(a), .segment(b)): return a == b
        case let (.chunk(a), .chunk(b)): return a == b
        case (.anyText, _): return hasText
        default: return false
        }
    }
}

extension GeneratorFingerprints {
    static func passes(_ test: TextTest, _ text: String) -> Bool {
        switch test {
        case .equals(let value): return text == value
        case .equalsIgnoringCase(let value):
            return text.generatorTrimmed().lowercased() == value.lowercased()
        case .hasPrefix(let value): return text.hasPrefix(value)
        case .contains(let value): return text.contains(value)
        case .lacks(let value): return !text.contains(value)
        case .containsWord(let word): return containsWord(text, word)
        case .startsWithJSONObject: return text.generatorTrimmed().hasPrefix("{")
        case .keyedJSON: return isKeyedJSON(text)
        case .sourceType(let terms):
            guard let term = SourceTypeVocabulary.term(of: text) else { return false }
            return terms.contains { $0.lowercased() == term.lowercased() }
        case .uuid: return isUUID(text)
        case .anyOf(let tests): return tests.contains { passes($0, text) }
        }
    }

    /// Case-insensitive whole-word containment: the letters around the match must not be
    /// letters or digits.
    static func containsWord(_ text: String, _ word: String) -> Bool {
        let haystack = Array(text.lowercased().unicodeScalars)
        let needle = Array(word.lowercased().unicodeScalars)
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        func isWordScalar(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || ("0"..."9").contains(s) }
        var start = 0
        while start + needle.count <= haystack.count {
            if haystack[start] == needle[0], Array(haystack[start..<(start + needle.count)]) == needle {
                let before = start == 0 || !isWordScalar(haystack[start - 1])
                let afterIndex = start + needle.count
                let after = afterIndex == haystack.count || !isWordScalar(haystack[afterIndex])
                if before && after { return true }
            }
            start += 1
        }
        return false
    }

    static func isKeyedJSON(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let key = text[..<colon]
        guard !key.isEmpty, key.count <= 64,
              key.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" })
        else { return false }
        return text[text.index(after: colon)...].generatorTrimmed().hasPrefix("{")
    }

    static func isUUID(_ text: String) -> Bool {
        var value = Substring(text.generatorTrimmed())
        for prefix in ["urn:uuid:", "xmp.did:", "xmp.iid:", "uuid:"] where value.lowercased().hasPrefix(prefix) {
            value = value.dropFirst(prefix.count)
        }
        if value.hasPrefix("{") && value.hasSuffix("}") { value = value.dropFirst().dropLast() }
        let groups = value.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}

extension StringProtocol {
    func generatorTrimmed() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
