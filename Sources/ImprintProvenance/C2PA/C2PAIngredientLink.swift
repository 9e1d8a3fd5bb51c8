import ImprintBytes

/// A `c2pa.ingredient` assertion (v1–v3) and its link to the ingredient's manifest
/// (spec §5): `c2pa_manifest` (v1/v2) or `activeManifest` + `claimSignature` (v3).
struct C2PAIngredientLink: Sendable {
    var summary: C2PAIngredient
    var manifestURI: C2PAHashedURI?
    var claimSignatureURI: C2PAHashedURI?
    var relationship: String? { summary.relationship }

    static func read(_ assertion: C2PAAssertion, manifest: String) -> C2PAIngredientLink? {
        let uri = C2PAURI.prefix + "/c2pa/\(manifest)/c2pa.assertions/\(assertion.label)"
        guard let item = assertion.cbor else {
            if let json = assertion.json {  // early JSON ingredients
                return C2PAIngredientLink(summary: C2PAIngredient(assertionURI: uri, title: json["dc:title"]?.stringValue,
                                                                  format: json["dc:format"]?.stringValue,
                                                                  relationship: json["relationship"]?.stringValue))
            }
            return nil
        }
        var link = C2PAIngredientLink(summary: C2PAIngredient(assertionURI: uri, title: item["dc:title"]?.text,
                                                              format: item["dc:format"]?.text,
                                                              relationship: item["relationship"]?.text))
        link.manifestURI = C2PAHashedURI(item["c2pa_manifest"]) ?? C2PAHashedURI(item["activeManifest"])
        link.claimSignatureURI = C2PAHashedURI(item["claimSignature"])
        link.summary.manifest = link.manifestURI.flatMap { C2PAURI.manifestLabel(of: C2PAURI.absolute($0.url, manifest: manifest)) }
        link.summary.recordedStatuses = recordedCodes(item)
        return link
    }

    /// The codes the ingredient's signer recorded: `validationStatus` (v1/v2) or the
    /// failures and successes of `validationResults` (v3).
    private static func recordedCodes(_ item: CBORItem) -> [String] {
        var codes: [String] = []
        for status in item["validationStatus"]?.array ?? [] {
            if let code = status["code"]?.text { codes.append(code) }
        }
        if let results = item["validationResults"] {
            var groups: [CBORItem] = []
            if let active = results["activeManifest"] { groups.append(active) }
            for delta in results["ingredientDeltas"]?.array ?? [] {
                if let deltas = delta["validationDeltas"] { groups.append(deltas) }
            }
            for group in groups {
                for kind in ["success", "informational", "failure"] {
                    for status in group[kind]?.array ?? [] {
                        if let code = status["code"]?.text { codes.append(code) }
                    }
                }
            }
        }
        return codes
    }
}
