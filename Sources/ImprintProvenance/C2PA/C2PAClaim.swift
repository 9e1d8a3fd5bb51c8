import ImprintBytes

/// A claim, v1 (`c2pa.claim`, with `assertions`) or v2 (`c2pa.claim.v2`, with
/// `created_assertions`), read from its `cbor` box. `bytes` is the box payload exactly as
/// stored: the COSE signature's detached payload.
struct C2PAClaim: Sendable {
    var version: Int
    var item: CBORItem
    /// The claim's CBOR bytes, as read (the signed payload).
    var bytes: [UInt8]
    var generator: String?
    var generatorInfo: [String] = []
    var title: String?
    var format: String?
    var instanceID: String?
    var signatureURL: String?
    var alg: String?
    /// v1 `assertions`, or v2 `created_assertions` followed by `gathered_assertions`.
    var assertions: [C2PAHashedURI] = []
    var redacted: [String] = []

    static let v1Required = ["claim_generator", "signature", "assertions", "dc:format", "instanceID"]
    static let v1Optional: Set<String> = ["claim_generator_hints", "claim_generator_info", "dc:title",
                                          "redacted_assertions", "alg", "alg_soft", "metadata"]
    static let v2Required = ["instanceID", "claim_generator_info", "signature", "created_assertions"]
    static let v2Optional: Set<String> = ["gathered_assertions", "dc:title", "redacted_assertions", "alg",
                                          "alg_soft", "metadata"]

    /// Reads the claim and reports every rule it breaks as statuses (spec §3).
    static func read(_ box: JUMBFBox, store: [UInt8], manifest: String) -> (C2PAClaim?, [C2PAStatus]) {
        let url = C2PAURI.prefix + "/c2pa/\(manifest)/\(box.label ?? "c2pa.claim")"
        func status(_ code: String, _ why: String) -> C2PAStatus {
            C2PAStatus(code, url: url, explanation: why, manifest: manifest)
        }
        guard let content = box.content("cbor") else {
            return (nil, [status(C2PACode.claimCBORInvalid, "the claim box has no cbor content box")])
        }
        let bytes = Array(store[content.payload])
        let item: CBORItem
        do {
            item = try C2PACBOR.decode(bytes, range: 0..<bytes.count)
        } catch {
            return (nil, [status(C2PACode.claimCBORInvalid, "claim CBOR: \(error.message)")])
        }
        guard case .map = item.value else {
            return (nil, [status(C2PACode.claimCBORInvalid, "the claim is not a CBOR map")])
        }
        let keys = C2PACBOR.textKeys(item)
        let isV2 = item["created_assertions"] != nil && item["assertions"] == nil
        var claim = C2PAClaim(version: isV2 ? 2 : 1, item: item, bytes: bytes)
        var statuses: [C2PAStatus] = []

        let labelVersion = C2PALabel.version(box.label ?? "")
        if C2PALabel.base(box.label ?? "") != "c2pa.claim" || labelVersion != claim.version {
            statuses.append(status(C2PACode.claimMalformed,
                                   "claim labelled '\(box.label ?? "")' holds a v\(claim.version) claim"))
        }
        let required = isV2 ? v2Required : v1Required
        let missing = required.filter { item[$0] == nil }
        if !missing.isEmpty {
            statuses.append(status(C2PACode.claimRequiredMissing, "the v\(claim.version) claim lacks \(missing.joined(separator: ", "))"))
        }
        let known = Set(required).union(isV2 ? v2Optional : v1Optional)
        let unknown = keys.filter { !known.contains($0) }
        if !unknown.isEmpty {
            if isV2 {
                // The v2 rule for extra keys is not confirmed against c2pa-rs: logged only.
                statuses.append(C2PAStatus(C2PACode.claimUnknownKeys, url: url,
                                           explanation: "claim v2 has keys outside the schema: \(unknown.joined(separator: ", "))", manifest: manifest))
            } else {
                statuses.append(status(C2PACode.claimMalformed, "claim v1 has unknown keys: \(unknown.joined(separator: ", "))"))
            }
        }

        claim.generator = item["claim_generator"]?.text
        claim.generatorInfo = generatorInfo(item["claim_generator_info"])
        claim.title = item["dc:title"]?.text
        claim.format = item["dc:format"]?.text
        claim.instanceID = item["instanceID"]?.text
        claim.signatureURL = item["signature"]?.text
        claim.alg = item["alg"]?.text
        claim.redacted = item["redacted_assertions"]?.array?.compactMap(\.text) ?? []
        let lists = isV2 ? ["created_assertions", "gathered_assertions"] : ["assertions"]
        for key in lists {
            guard let list = item[key] else { continue }
            guard let entries = list.array else {
                statuses.append(status(C2PACode.claimMalformed, "'\(key)' is not an array"))
                continue
            }
            for entry in entries {
                guard let uri = C2PAHashedURI(entry) else {
                    statuses.append(status(C2PACode.claimMalformed, "an entry of '\(key)' is not a hashed URI {url, hash}"))
                    continue
                }
                claim.assertions.append(uri)
            }
        }
        return (claim, statuses)
    }

    /// `name version` of each generator-info map (v1 allows an array, v2 one map).
    private static func generatorInfo(_ item: CBORItem?) -> [String] {
        guard let item else { return [] }
        let maps = item.array ?? [item]
        return maps.compactMap { map in
            guard let name = map["name"]?.text else { return nil }
            return [name, map["version"]?.text].compactMap { $0 }.joined(separator: " ")
        }
    }
}
