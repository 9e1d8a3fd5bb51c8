import ImprintBytes

/// ComfyUI's two JSON documents: the API graph (`prompt`: node id → `{class_type, inputs}`)
/// and the UI workflow (`workflow`: `{last_node_id, last_link_id, nodes: [{id, type, …}], links}`).
/// Node inputs that link elsewhere are `["<node id>", <output index>]`.
enum ComfyGraph {
    static let maxNodeTypes = 512
    static let maxSamplers = 32
    static let maxTexts = 64
    /// Hops followed from a sampler's positive/negative input to the text nodes behind it.
    static let maxHops = 16

    /// Fields of an API graph, or nil when the object is not one.
    static func prompt(_ value: JSONValue) -> [JSONValue.Member]? {
        guard case .object(let members) = value, !members.isEmpty else { return nil }
        var nodes: [String: JSONValue] = [:]
        var order: [String] = []
        for member in members {
            guard member.value["class_type"]?.stringValue != nil, case .object = member.value["inputs"] ?? .null else { continue }
            if nodes[member.key] == nil { order.append(member.key) }
            nodes[member.key] = member.value
        }
        // Every (or nearly every) member of a real graph is a node.
        guard !nodes.isEmpty, nodes.count * 2 >= members.count else { return nil }
        var out: [JSONValue.Member] = []
        let samplers = order.filter { isSampler(nodes[$0]) }
        if let first = samplers.first, let sampler = nodes[first] {
            let inputs = sampler["inputs"] ?? .null
            let positive = texts(behind: inputs["positive"], nodes: nodes)
            let negative = texts(behind: inputs["negative"], nodes: nodes)
            if !positive.isEmpty { out.append(.init("prompt", FieldBounds.string(positive.joined(separator: "\n")))) }
            if !negative.isEmpty { out.append(.init("negativePrompt", FieldBounds.string(negative.joined(separator: "\n")))) }
            for (key, name) in [("seed", "seed"), ("noise_seed", "seed"), ("steps", "steps"), ("cfg", "cfgScale"),
                                ("sampler_name", "sampler"), ("scheduler", "scheduler"), ("denoise", "denoise")]
            where !out.contains(where: { $0.key == name }) {
                if let value = inputs[key], !isLink(value) { out.append(.init(name, FieldBounds.clip(value))) }
            }
        }
        let models = values(["ckpt_name", "unet_name", "model_name"], in: order, nodes: nodes)
        if let model = models.first { out.append(.init("model", .string(model))) }
        if models.count > 1 { out.append(.init("models", .array(models.map(JSONValue.string)))) }
        let loras = values(["lora_name"], in: order, nodes: nodes)
        if !loras.isEmpty { out.append(.init("loras", .array(loras.map(JSONValue.string)))) }
        if let latent = order.compactMap({ nodes[$0] }).first(where: { $0["class_type"]?.stringValue == "EmptyLatentImage" }),
           let width = latent["inputs"]?["width"]?.intValue, let height = latent["inputs"]?["height"]?.intValue {
            out.append(.init("size", .string("\(width)x\(height)")))
        }
        out.append(.init("nodeTypes", nodeTypeCounts(order.compactMap { nodes[$0]?["class_type"]?.stringValue })))
        out.append(.init("nodeCount", .integer(nodes.count)))
        if samplers.count > 0 {
            out.append(.init("samplers", .array(samplers.prefix(maxSamplers).compactMap { id in
                guard let node = nodes[id], let inputs = node["inputs"] else { return nil }
                var fields: [JSONValue.Member] = [.init("node", .string(id)), .init("classType", node["class_type"] ?? .null)]
                for key in ["seed", "noise_seed", "steps", "cfg", "sampler_name", "scheduler", "denoise"] {
                    if let value = inputs[key], !isLink(value) { fields.append(.init(key, FieldBounds.clip(value))) }
                }
                return .object(fields)
            })))
        }
        return out
    }

    /// Fields of a UI workflow, or nil when the object is not one.
    static func workflow(_ value: JSONValue) -> [JSONValue.Member]? {
        guard let nodes = value["nodes"]?.arrayValue, !nodes.isEmpty,
              value["last_node_id"] != nil || value["links"] != nil else { return nil }
        let types = nodes.compactMap { $0["type"]?.stringValue }
        guard types.count * 2 >= nodes.count else { return nil }
        var out: [JSONValue.Member] = [.init("nodeTypes", nodeTypeCounts(types)), .init("nodeCount", .integer(nodes.count))]
        if let links = value["links"]?.arrayValue { out.append(.init("linkCount", .integer(links.count))) }
        if let version = value["version"], version != .null { out.append(.init("workflowVersion", FieldBounds.clip(version))) }
        return out
    }

    /// InvokeAI ≥ 3 `invokeai_graph`: `{"nodes": {id: {"type": …}} or [...], "edges": […]}`.
    static func invokeGraph(_ value: JSONValue) -> [JSONValue.Member]? {
        var types: [String] = []
        switch value["nodes"] {
        case .object(let members)?: types = members.compactMap { $0.value["type"]?.stringValue }
        case .array(let items)?: types = items.compactMap { $0["type"]?.stringValue }
        default: return nil
        }
        guard !types.isEmpty else { return nil }
        return [.init("nodeTypes", nodeTypeCounts(types)), .init("nodeCount", .integer(types.count))]
    }

    /// InvokeAI ≥ 3 `invokeai_workflow`: `{"nodes": [{"data": {"type": …}}], "edges": […]}`.
    static func invokeWorkflow(_ value: JSONValue) -> [JSONValue.Member]? {
        guard let nodes = value["nodes"]?.arrayValue, !nodes.isEmpty else { return nil }
        let types = nodes.compactMap { $0["data"]?["type"]?.stringValue ?? $0["type"]?.stringValue }
        guard !types.isEmpty else { return nil }
        var out: [JSONValue.Member] = [.init("nodeTypes", nodeTypeCounts(types)), .init("nodeCount", .integer(nodes.count))]
        if let name = value["name"]?.stringValue, !name.isEmpty { out.append(.init("workflowName", FieldBounds.string(name))) }
        return out
    }

    /// Node type → count, sorted by type (bounded).
    static func nodeTypeCounts(_ types: [String]) -> JSONValue {
        var counts: [String: Int] = [:]
        for type in types { counts[type, default: 0] += 1 }
        let sorted = counts.keys.sorted()
        var members = sorted.prefix(maxNodeTypes).map { JSONValue.Member($0, .integer(counts[$0] ?? 0)) }
        if sorted.count > maxNodeTypes { members.append(.init("…", .string("\(sorted.count - maxNodeTypes) more types"))) }
        return .object(members)
    }

    static func isLink(_ value: JSONValue) -> Bool {
        guard let items = value.arrayValue, items.count == 2 else { return false }
        return (items[0].stringValue != nil || items[0].intValue != nil) && items[1].intValue != nil
    }

    private static func isSampler(_ node: JSONValue?) -> Bool {
        guard let node, let type = node["class_type"]?.stringValue, let inputs = node["inputs"] else { return false }
        if type.hasPrefix("KSampler") || type == "SamplerCustom" || type == "SamplerCustomAdvanced" { return true }
        return inputs["steps"] != nil && (inputs["seed"] != nil || inputs["noise_seed"] != nil)
    }

    /// The text inputs reachable from a link, breadth first, each node visited once.
    private static func texts(behind link: JSONValue?, nodes: [String: JSONValue]) -> [String] {
        guard let link, isLink(link), let start = linkTarget(link) else { return [] }
        var queue = [(start, 0)]
        var visited: Set<String> = []
        var found: [String] = []
        var index = 0
        while index < queue.count, found.count < maxTexts {
            let (id, hops) = queue[index]
            index += 1
            guard hops <= maxHops, visited.insert(id).inserted, let inputs = nodes[id]?["inputs"],
                  case .object(let members) = inputs else { continue }
            for key in ["text", "text_g", "text_l", "prompt"] {
                if let text = inputs[key]?.stringValue { found.append(text) }
            }
            for member in members where isLink(member.value) {
                if let next = linkTarget(member.value), ["conditioning", "conditioning_1", "conditioning_2", "conditioning_to",
                                                          "conditioning_from", "positive", "negative", "text"].contains(member.key)
                    || member.key.hasPrefix("conditioning") {
                    queue.append((next, hops + 1))
                }
            }
        }
        return found
    }

    private static func linkTarget(_ link: JSONValue) -> String? {
        guard let items = link.arrayValue, let first = items.first else { return nil }
        return first.stringValue ?? first.intValue.map { String($0) }
    }

    private static func values(_ keys: [String], in order: [String], nodes: [String: JSONValue]) -> [String] {
        var out: [String] = []
        for id in order {
            guard let inputs = nodes[id]?["inputs"] else { continue }
            for key in keys {
                if let value = inputs[key]?.stringValue, !out.contains(value), out.count < maxTexts { out.append(value) }
            }
        }
        return out
    }
}
