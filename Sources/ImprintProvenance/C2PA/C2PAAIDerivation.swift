/// Derives AI indicators from the manifests reached from the active one (spec §6).
/// The rule looks only at what the manifests declare; whether to believe them depends on
/// signature, binding and trust, which the caller reports beside each indicator.
enum C2PAAIDerivation {
    /// Names that, in a software agent or claim generator, suggest an AI tool. A supporting
    /// signal only: never decisive alone (a tool's name says nothing about one output).
    static let aiToolNames = ["firefly", "dall-e", "dall·e", "openai", "midjourney", "stable diffusion", "stability",
                              "imagen", "gemini", "copilot", "bing image creator", "chatgpt", "sora", "flux",
                              "ideogram", "leonardo", "runway", "generative"]

    struct ManifestFacts {
        var label: String
        var inIngredient: Bool
        var actions: [C2PAAction]
        var generatorNames: [String]
        var softwareAgents: [String]
        var signals: [String]
        var softBindings: [String]
    }

    static func derive(_ manifests: [ManifestFacts]) -> C2PAAIIndicators {
        var ai = C2PAAIIndicators()
        for manifest in manifests {
            for action in manifest.actions {
                if action.action == "c2pa.watermarked" { ai.watermarkedActions += 1 }
                guard let type = action.digitalSourceType else { continue }
                let short = C2PADigitalSourceType.shortName(type)
                if !ai.digitalSourceTypes.contains(short) { ai.digitalSourceTypes.append(short) }
                let hit = C2PAAIIndicators.Hit(manifest: manifest.label, action: action.action, digitalSourceType: short,
                                               softwareAgent: action.softwareAgent, inIngredient: manifest.inIngredient)
                if C2PADigitalSourceType.isAIGenerated(type) {
                    if action.action == "c2pa.created" { ai.generated.append(hit) } else { ai.modified.append(hit) }
                } else if C2PADigitalSourceType.isAIComposite(type) {
                    ai.modified.append(hit)
                }
            }
            for name in manifest.generatorNames + manifest.softwareAgents {
                let lower = name.lowercased()
                if aiToolNames.contains(where: lower.contains), !ai.supportingSignals.contains(name) {
                    ai.supportingSignals.append(name)
                }
            }
            for signal in manifest.signals where !ai.supportingSignals.contains(signal) { ai.supportingSignals.append(signal) }
            for alg in manifest.softBindings where !ai.softBindings.contains(alg) { ai.softBindings.append(alg) }
        }
        return ai
    }
}
