import ImprintBytes

/// `c2pa.actions` / `c2pa.actions.v2` (spec §6): the actions, their software agents
/// (a string in v1, a generator-info map in v2) and digital source types.
enum C2PAActions {
    struct Parsed {
        var actions: [C2PAAction] = []
        var softwareAgents: [String] = []
        /// Vendor parameters worth reporting as supporting signals (e.g. a Firefly operation).
        var signals: [String] = []
        var malformed: [String] = []
    }

    static let maxActions = 10_000

    static func parse(_ item: CBORItem, manifest: String) -> Parsed {
        var parsed = Parsed()
        guard let list = item["actions"]?.array else {
            parsed.malformed.append("no 'actions' array")
            return parsed
        }
        for agent in item["softwareAgents"]?.array ?? [] {
            if let name = agentName(agent) { parsed.softwareAgents.append(name) }
        }
        for entry in list.prefix(maxActions) {
            guard let name = entry["action"]?.text else {
                parsed.malformed.append("an action without an 'action' name")
                continue
            }
            var agent = agentName(entry["softwareAgent"])
            if agent == nil, let index = entry["softwareAgentIndex"]?.integerValue, index >= 0,
               let named = item["softwareAgents"]?.array, Int(index) < named.count {
                agent = agentName(named[Int(index)])
            }
            if let agent { parsed.softwareAgents.append(agent) }
            parsed.actions.append(C2PAAction(action: name, when: entry["when"]?.text, softwareAgent: agent,
                                             digitalSourceType: entry["digitalSourceType"]?.text, manifest: manifest))
            if let parameters = entry["parameters"], case .map(let pairs) = parameters.value {
                for pair in pairs {
                    guard let key = pair.key.text, key.lowercased().contains("firefly"), let value = pair.value.text else { continue }
                    parsed.signals.append("\(key): \(value)")
                }
            }
        }
        return parsed
    }

    private static func agentName(_ item: CBORItem?) -> String? {
        guard let item else { return nil }
        if let text = item.text { return text }
        guard let name = item["name"]?.text else { return nil }
        return [name, item["version"]?.text].compactMap { $0 }.joined(separator: " ")
    }
}

/// IPTC digital source types (spec §6) and the AI classes imprint derives from them.
enum C2PADigitalSourceType {
    static let iptcPrefix = "http://cv.iptc.org/newscodes/digitalsourcetype/"
    static let c2paPrefix = "http://c2pa.org/digitalsourcetype/"

    /// The short form (`trainedAlgorithmicMedia`), whichever vocabulary the URI uses.
    static func shortName(_ uri: String) -> String {
        for prefix in [iptcPrefix, "https://cv.iptc.org/newscodes/digitalsourcetype/", c2paPrefix] where uri.hasPrefix(prefix) {
            return String(uri.dropFirst(prefix.count))
        }
        return uri
    }

    static func isAIGenerated(_ uri: String) -> Bool { shortName(uri) == "trainedAlgorithmicMedia" }
    static func isAIComposite(_ uri: String) -> Bool { shortName(uri) == "compositeWithTrainedAlgorithmicMedia" }
}
