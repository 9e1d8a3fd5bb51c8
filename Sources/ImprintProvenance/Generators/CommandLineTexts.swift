import ImprintBytes

/// InvokeAI 1.x `Dream`: `"<prompt> [negative]" -s 50 -S 2980747362 -W 512 -H 512 -C 7.5 -A k_euler`.
enum DreamCommand {
    /// Flag → field name; any other flag is kept under `flags`.
    static let flagNames: [String: String] = ["s": "steps", "S": "seed", "W": "width", "H": "height", "C": "cfgScale", "A": "sampler"]
    static let maxTokens = 4_096

    static func fields(_ raw: String) -> [JSONValue.Member]? {
        guard raw.utf8.count <= FieldBounds.maxTextBytes else { return nil }
        let text = raw.generatorTrimmed()
        guard text.hasPrefix("\""), let close = text.lastIndex(of: "\""), close > text.startIndex else { return nil }
        let quoted = String(text[text.index(after: text.startIndex)..<close])
        let tokens = text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            .prefix(maxTokens).map(String.init)
        var flags: [(flag: String, value: String)] = []
        for token in tokens {
            if isFlag(token) { flags.append((String(token.dropFirst()), "")) }
            else if !flags.isEmpty { flags[flags.count - 1].value += (flags[flags.count - 1].value.isEmpty ? "" : " ") + token }
            else { return nil }  // text between the prompt and the first flag: not a Dream line
        }
        let known = flags.filter { flagNames[$0.flag] != nil }
        guard Set(known.map(\.flag)).count >= 2 else { return nil }
        var prompt = quoted
        var negative: String?
        if let open = quoted.lastIndex(of: "["), let end = quoted.lastIndex(of: "]"), open < end {
            negative = String(quoted[quoted.index(after: open)..<end])
            prompt = String(quoted[..<open])
        }
        var out: [JSONValue.Member] = [.init("prompt", FieldBounds.string(prompt.generatorTrimmed()))]
        if let negative { out.append(.init("negativePrompt", FieldBounds.string(negative.generatorTrimmed()))) }
        for (flag, value) in known {
            guard let name = flagNames[flag], !out.contains(where: { $0.key == name }) else { continue }
            out.append(.init(name, .string(value)))
        }
        if let width = flags.first(where: { $0.flag == "W" })?.value, let height = flags.first(where: { $0.flag == "H" })?.value {
            out.append(.init("size", .string("\(width)x\(height)")))
        }
        let other = flags.filter { flagNames[$0.flag] == nil }
        if !other.isEmpty { out.append(.init("flags", .object(other.prefix(64).map { .init("-" + $0.flag, FieldBounds.string($0.value)) }))) }
        return out
    }

    /// `-s`, `-cf`, `--seamless`; not `-1` (a negative number is a value).
    private static func isFlag(_ token: String) -> Bool {
        guard token.hasPrefix("-"), token.count >= 2 else { return false }
        let name = token.drop { $0 == "-" }
        guard let first = name.first else { return false }
        return first.isLetter && name.count <= 32
    }
}

/// Midjourney PNG `Description`: `<prompt> --ar 3:2 --v 6 --seed 987 Job ID: <uuid>`.
enum MidjourneyDescription {
    static let maxFlags = 64

    static func fields(_ raw: String, requireJobID: Bool) -> [JSONValue.Member]? {
        guard raw.utf8.count <= FieldBounds.maxTextBytes else { return nil }
        var text = raw.generatorTrimmed()
        var jobID: String?
        if let range = text.ranges(of: "Job ID:").last {
            let id = text[range.upperBound...].generatorTrimmed()
            guard GeneratorFingerprints.isUUID(id) else { return nil }
            jobID = id
            text = String(text[..<range.lowerBound])
        }
        if requireJobID && jobID == nil { return nil }
        let (prompt, flags) = split(text)
        if jobID == nil {
            // Without a Job ID only Midjourney's own version/aspect flags say anything (low).
            guard flags.contains(where: { $0.flag == "v" || $0.flag == "ar" || $0.flag == "niji" }) else { return nil }
        }
        var out: [JSONValue.Member] = [.init("prompt", FieldBounds.string(prompt))]
        if let jobID { out.append(.init("jobId", .string(jobID))) }
        for (flag, name) in [("ar", "aspectRatio"), ("v", "version"), ("niji", "niji"), ("seed", "seed"), ("s", "stylize"),
                             ("stylize", "stylize"), ("c", "chaos"), ("chaos", "chaos"), ("q", "quality")] {
            guard let value = flags.first(where: { $0.flag == flag })?.value, !out.contains(where: { $0.key == name }) else { continue }
            out.append(.init(name, .string(value)))
        }
        if !flags.isEmpty {
            out.append(.init("flags", .object(flags.prefix(maxFlags).map { .init("--" + $0.flag, FieldBounds.string($0.value)) })))
        }
        return out
    }

    /// Prompt text before the first `--flag`, then each flag with its value.
    private static func split(_ text: String) -> (prompt: String, flags: [(flag: String, value: String)]) {
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true)
        var promptTokens: [Substring] = []
        var flags: [(flag: String, value: String)] = []
        for token in tokens {
            if token.hasPrefix("--"), token.count > 2, token.dropFirst(2).first?.isLetter == true {
                guard flags.count < maxFlags else { continue }
                flags.append((String(token.dropFirst(2)), ""))
            } else if !flags.isEmpty {
                let last = flags.count - 1
                flags[last].value += (flags[last].value.isEmpty ? "" : " ") + token
            } else {
                promptTokens.append(token)
            }
        }
        return (promptTokens.joined(separator: " "), flags)
    }
}
