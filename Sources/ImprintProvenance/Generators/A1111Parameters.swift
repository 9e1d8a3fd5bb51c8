import ImprintBytes

/// The AUTOMATIC1111 `parameters` text (also Forge, SD.Next, and the same text in EXIF
/// UserComment and GIF comments): the prompt; an optional `Negative prompt:` part; a final
/// line of comma-separated `Key: value` pairs that starts with `Steps:` and has at least
/// three pairs. Values may be `"quoted"` with JSON escapes; `Hashes` may be a bare JSON object.
enum A1111Parameters {
    static let minimumPairs = 3
    static let maxPairs = 512

    struct Parsed {
        var prompt: String
        var negativePrompt: String?
        var pairs: [(key: String, value: String)]
        /// Lines after the settings line (some extensions append them).
        var trailing: String?
    }

    static func parse(_ raw: String) -> Parsed? {
        guard raw.utf8.count <= FieldBounds.maxTextBytes else { return nil }
        let text = raw.replacingCRLF()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The settings line is the last line that starts with "Steps:" and parses into enough pairs.
        guard let settingsIndex = lines.indices.reversed().first(where: { index in
            lines[index].hasPrefix("Steps:") && pairs(in: lines[index]).count >= minimumPairs
        }) else { return nil }
        let settings = pairs(in: lines[settingsIndex])
        let head = lines[..<settingsIndex]
        var promptLines: [String] = []
        var negativeLines: [String]?
        for line in head {
            if negativeLines == nil, line.hasPrefix("Negative prompt:") {
                negativeLines = [String(line.dropFirst("Negative prompt:".count)).generatorTrimmed()]
            } else if negativeLines != nil {
                negativeLines?.append(line)
            } else {
                promptLines.append(line)
            }
        }
        let trailingLines = lines[(settingsIndex + 1)...].filter { !$0.generatorTrimmed().isEmpty }
        return Parsed(prompt: promptLines.joined(separator: "\n").generatorTrimmed(),
                      negativePrompt: negativeLines.map { $0.joined(separator: "\n").generatorTrimmed() },
                      pairs: settings, trailing: trailingLines.isEmpty ? nil : trailingLines.joined(separator: "\n"))
    }

    /// `Key: value, Key: "quoted, value", Hashes: {"a": "b"}` → pairs. A segment that is not
    /// a pair is skipped up to the next comma.
    static func pairs(in line: String) -> [(key: String, value: String)] {
        let s = Array(line.unicodeScalars)
        var out: [(key: String, value: String)] = []
        var i = 0
        func skipSpaces() { while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 } }
        func skipToNextComma() {
            while i < s.count, s[i] != "," { i += 1 }
            if i < s.count { i += 1 }
        }
        while i < s.count, out.count < maxPairs {
            skipSpaces()
            let keyStart = i
            while i < s.count, s[i] != ":", s[i] != "," { i += 1 }
            guard i < s.count, s[i] == ":", i > keyStart else { skipToNextComma(); continue }
            let key = String(String.UnicodeScalarView(s[keyStart..<i])).generatorTrimmed()
            i += 1
            skipSpaces()
            var value = ""
            if i < s.count, s[i] == "\"" {
                // A JSON string literal: find its closing quote, honouring backslash escapes.
                let start = i
                i += 1
                while i < s.count, s[i] != "\"" { i += s[i] == "\\" ? 2 : 1 }
                let end = min(i + 1, s.count)
                let literal = String(String.UnicodeScalarView(s[start..<end]))
                value = (try? JSONParser.parse("[" + literal + "]"))?.arrayValue?.first?.stringValue
                    ?? String(literal.dropFirst().dropLast())
                i = end
                skipToNextComma()
            } else if i < s.count, s[i] == "{" {
                // A bare JSON object (civitai `Hashes`): up to its balancing brace.
                let start = i
                var depth = 0
                var inString = false
                while i < s.count {
                    let c = s[i]
                    if inString {
                        if c == "\\" { i += 1 } else if c == "\"" { inString = false }
                    } else if c == "\"" { inString = true } else if c == "{" { depth += 1 } else if c == "}" {
                        depth -= 1
                        if depth == 0 { i += 1; break }
                    }
                    i += 1
                }
                value = String(String.UnicodeScalarView(s[start..<min(i, s.count)]))
                skipToNextComma()
            } else {
                let start = i
                while i < s.count, s[i] != "," { i += 1 }
                value = String(String.UnicodeScalarView(s[start..<i])).generatorTrimmed()
                if i < s.count { i += 1 }
            }
            appendPair(key: key, value: value, into: &out)
        }
        return out
    }

    private static func appendPair(key: String, value: String, into out: inout [(key: String, value: String)]) {
        guard !key.isEmpty, key.count <= 64, key.unicodeScalars.first.map({ $0.properties.isAlphabetic || ("0"..."9").contains($0) }) == true
        else { return }
        out.append((key, value))
    }

    /// Pair keys → imprint field names (the rest is kept under `settings`).
    static let fieldNames: [(key: String, name: String)] = [
        ("Steps", "steps"), ("Sampler", "sampler"), ("Schedule type", "scheduler"), ("CFG scale", "cfgScale"),
        ("Seed", "seed"), ("Size", "size"), ("Model hash", "modelHash"), ("Model", "model"),
        ("VAE", "vae"), ("Denoising strength", "denoisingStrength"), ("Hires upscale", "hiresUpscale"),
        ("Hires upscaler", "hiresUpscaler"), ("Lora hashes", "loraHashes"), ("Version", "version"),
    ]

    static func fields(_ parsed: Parsed) -> [JSONValue.Member] {
        var members: [JSONValue.Member] = [.init("prompt", FieldBounds.string(parsed.prompt))]
        if let negative = parsed.negativePrompt { members.append(.init("negativePrompt", FieldBounds.string(negative))) }
        for (key, name) in fieldNames {
            guard let value = parsed.pairs.first(where: { $0.key == key })?.value else { continue }
            members.append(.init(name, FieldBounds.string(value)))
        }
        if let hashes = parsed.pairs.first(where: { $0.key == "Hashes" })?.value {
            members.append(.init("hashes", FieldBounds.parseJSON(hashes).map { FieldBounds.clip($0) } ?? FieldBounds.string(hashes)))
        }
        let loras = PromptTags.loras(in: parsed.prompt)
        if !loras.isEmpty { members.append(.init("loras", .array(loras.map(JSONValue.string)))) }
        members.append(.init("settings", .object(parsed.pairs.map { .init($0.key, FieldBounds.string($0.value)) })))
        if let trailing = parsed.trailing { members.append(.init("trailingText", FieldBounds.string(trailing))) }
        return members
    }
}

/// `<lora:name:weight>` / `<lyco:name:weight>` tags of A1111-style prompts.
enum PromptTags {
    static let maxTags = 128

    static func loras(in prompt: String) -> [String] {
        var names: [String] = []
        var rest = Substring(prompt)
        while names.count < maxTags, let open = rest.range(of: "<") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: ">") else { break }
            let tag = rest[..<close]
            rest = rest[rest.index(after: close)...]
            let parts = tag.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 2, ["lora", "lyco"].contains(parts[0].lowercased()) else { continue }
            let name = String(parts[1])
            if !name.isEmpty, !names.contains(name) { names.append(name) }
        }
        return names
    }
}

extension String {
    /// Line ends as `\n` only (Windows writers use CRLF; a `\r\n` is one Character in Swift,
    /// so splitting on `\n` alone would miss it).
    func replacingCRLF() -> String {
        guard unicodeScalars.contains("\r") else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.filter { $0 != "\r" }))
    }
}
