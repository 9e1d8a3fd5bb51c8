import ImprintBytes

/// Validates one manifest (spec §3–5): its claim, every hashed URI of the claim, the
/// assertions it did not declare, its hard binding (only for the manifest bound to this
/// file), its signature, and the links of its ingredients to their manifests.
struct C2PAManifestValidator {
    var store: C2PAManifestStore
    var storeBytes: [UInt8]
    var file: [UInt8]
    var carriers: [C2PACarrier]
    var context: C2PAValidationContext

    struct Result {
        var summary: C2PAManifestSummary
        var statuses: [C2PAStatus] = []
        var ingredients: [C2PAIngredientLink] = []
        /// Reasons the result cannot be called valid although nothing failed.
        var incomplete: [String] = []
        var actions: [C2PAAction] = []
        var signals: [String] = []
        var softBindings: [String] = []
        var signatureValid = false
    }

    /// - Parameters:
    ///   - bindToAsset: check the hard binding against this file (the active manifest, or
    ///     the parent of an active update manifest); ingredients bind to their own assets.
    ///   - throughUpdate: the binding is reached through an update manifest.
    func validate(_ manifest: C2PAManifestBox, bindToAsset: Bool, throughUpdate: Bool = false, role: String) -> Result {
        var result = Result(summary: C2PAManifestSummary(label: manifest.label, kind: manifest.kind,
                                                         isActive: role == "active", role: role))
        let base = C2PAURI.prefix + "/c2pa/\(manifest.label)"
        func add(_ code: String, _ url: String?, _ why: String) {
            result.statuses.append(C2PAStatus(code, url: url, explanation: why, manifest: manifest.label))
        }
        if manifest.label.hasPrefix("adobetest:") {
            // Pre-1.0 manifests follow no published schema; c2pa-rs stops here too.
            add(C2PACode.prerelease, base, "a pre-1.0 (adobetest:) manifest; not validated further")
            return result
        }
        if manifest.isCompressed {
            // Brotli-compressed manifests are not decompressed yet: reported, never passed.
            add(C2PACode.compressedManifestUnsupported, base, "compressed (c2cm) manifest; imprint does not decompress it yet")
            result.incomplete.append("compressed manifest \(manifest.label) not read")
            return result
        }
        guard let claimBox = manifest.claims.first else {
            add(C2PACode.claimMissing, base, "the manifest has no claim box")
            return result
        }
        if manifest.claims.count > 1 { add(C2PACode.claimMultiple, base, "\(manifest.claims.count) claim boxes") }
        let (claimRead, claimStatuses) = C2PAClaim.read(claimBox, store: storeBytes, manifest: manifest.label)
        result.statuses += claimStatuses
        guard let claim = claimRead else { return result }
        result.summary.claimVersion = claim.version
        result.summary.claimGenerator = claim.generator
        result.summary.claimGeneratorInfo = claim.generatorInfo
        result.summary.title = claim.title
        result.summary.format = claim.format
        result.summary.instanceID = claim.instanceID

        let assertionBoxes = manifest.assertions
        if assertionBoxes.count > C2PAManifestStore.maxAssertions {
            add(C2PACode.limitExceeded, base, "\(assertionBoxes.count) assertions, more than \(C2PAManifestStore.maxAssertions); the rest ignored")
        }
        let assertions = assertionBoxes.prefix(C2PAManifestStore.maxAssertions).map { C2PAAssertion.read($0, store: storeBytes) }
        result.summary.assertionLabels = assertions.map(\.label)
        let referenced = checkHashedURIs(claim, manifest, &result)

        for assertion in assertions where !referenced.contains(assertion.box.range.lowerBound) {
            add(C2PACode.assertionUndeclared, base + "/c2pa.assertions/\(assertion.label)",
                "assertion '\(assertion.label)' is in the store but not referenced by the claim")
        }
        let used = assertions.filter { referenced.contains($0.box.range.lowerBound) }
        for assertion in used {
            guard let error = assertion.decodeError else { continue }
            add(assertion.contentType == "json" ? C2PACode.assertionJSONInvalid : C2PACode.assertionCBORInvalid,
                base + "/c2pa.assertions/\(assertion.label)", "assertion '\(assertion.label)': \(error)")
        }

        checkHardBinding(claim, manifest, used, bindToAsset: bindToAsset, throughUpdate: throughUpdate, &result)
        readContent(used, manifest, &result)

        if let signatureBox = manifest.signatures.first {
            let signature = C2PAClaimSignature.validate(signatureBox, store: storeBytes, claim: claim, manifest: manifest,
                                                        in: store, context: context)
            result.statuses += signature.statuses
            result.summary.signature = signature.summary
            result.signatureValid = signature.signatureValid
        } else {
            add(C2PACode.claimSignatureMissing, base, "the manifest has no signature box")
        }
        return result
    }

    /// Checks each hashed URI of the claim; returns the start offsets of the assertion
    /// boxes it references (to find undeclared ones).
    private func checkHashedURIs(_ claim: C2PAClaim, _ manifest: C2PAManifestBox, _ result: inout Result) -> Set<Int> {
        var referenced: Set<Int> = []
        var reportedAlg = false
        // A hostile claim can list the same large assertion thousands of times: each
        // (box, algorithm) is hashed once.
        var hashes: [String: [UInt8]] = [:]
        if claim.assertions.count > C2PAManifestStore.maxAssertions {
            result.statuses.append(C2PAStatus(C2PACode.limitExceeded, url: C2PAURI.prefix + "/c2pa/\(manifest.label)",
                                              explanation: "the claim lists \(claim.assertions.count) assertions; only the first \(C2PAManifestStore.maxAssertions) are checked",
                                              manifest: manifest.label))
        }
        // The usual reference is `c2pa.assertions/<label>` in this manifest: looked up in a
        // table, so a claim of many assertions costs linear, not quadratic, time.
        let assertionPrefix = C2PAURI.prefix + "/c2pa/\(manifest.label)/c2pa.assertions/"
        var byLabel: [String: JUMBFBox] = [:]
        if manifest.assertionStore?.label == "c2pa.assertions" {
            for box in manifest.assertions {
                if let label = box.label, byLabel[label] == nil { byLabel[label] = box }
            }
        }
        for uri in claim.assertions.prefix(C2PAManifestStore.maxAssertions) {
            let absolute = C2PAURI.absolute(uri.url, manifest: manifest.label)
            func add(_ code: String, _ why: String) {
                result.statuses.append(C2PAStatus(code, url: absolute, explanation: why, manifest: manifest.label))
            }
            let resolution: C2PAURI.Resolution
            if absolute.hasPrefix(assertionPrefix), let box = byLabel[String(absolute.dropFirst(assertionPrefix.count))] {
                resolution = .found(box, manifest: manifest.label, inReferringManifest: true)
            } else {
                resolution = C2PAURI.resolve(uri.url, in: store, from: manifest)
            }
            switch resolution {
            case .notJUMBF:
                add(C2PACode.assertionInaccessible, "'\(uri.url)' is not in this file (remote assertions are never fetched)")
                continue
            case .notFound:
                if claim.redacted.contains(where: { $0 == uri.url || C2PAURI.absolute($0, manifest: manifest.label) == absolute }) { continue }
                add(C2PACode.assertionMissing, "the claim references '\(uri.url)', which is not in the store")
                continue
            case .found(let box, _, let inManifest):
                guard inManifest else {
                    add(C2PACode.assertionOutsideManifest, "'\(uri.url)' lies in another manifest")
                    continue
                }
                referenced.insert(box.range.lowerBound)
                guard let alg = C2PAHashAlgorithm(name: uri.alg ?? claim.alg) else {
                    if !reportedAlg || uri.alg != nil {
                        add(C2PACode.algorithmUnsupported, uri.alg.map { "hash algorithm '\($0)' is not supported" }
                            ?? "the claim has no 'alg' and the hashed URI names none; imprint does not assume a default")
                        reportedAlg = true
                    }
                    continue
                }
                let key = "\(box.range.lowerBound)/\(alg.rawValue)"
                let computed = hashes[key] ?? alg.hash(storeBytes, ranges: [box.payload])
                hashes[key] = computed
                if computed == uri.hash {
                    add(C2PACode.hashedURIMatch, "hashed uri matched: \(uri.url)")
                } else {
                    add(C2PACode.hashedURIMismatch, "the \(alg.rawValue) of '\(uri.url)' differs from the hash the claim signed")
                }
            }
        }
        return referenced
    }

    private func checkHardBinding(_ claim: C2PAClaim, _ manifest: C2PAManifestBox, _ used: [C2PAAssertion],
                                  bindToAsset: Bool, throughUpdate: Bool, _ result: inout Result) {
        let base = C2PAURI.prefix + "/c2pa/\(manifest.label)"
        let bindings = used.filter { C2PAHardBinding(base: $0.base) != nil }
        if manifest.isUpdate {
            if !bindings.isEmpty {
                result.statuses.append(C2PAStatus(C2PACode.manifestUpdateInvalid, url: base,
                                                  explanation: "an update manifest carries a hard binding", manifest: manifest.label))
            }
            return
        }
        guard let binding = bindings.first, let kind = C2PAHardBinding(base: binding.base) else {
            result.statuses.append(C2PAStatus(C2PACode.hardBindingsMissing, url: base,
                                              explanation: "the claim references no hard binding assertion", manifest: manifest.label))
            return
        }
        result.summary.hardBinding = binding.label
        if bindings.count > 1 {
            result.statuses.append(C2PAStatus(C2PACode.multipleHardBindings, url: base,
                                              explanation: "\(bindings.count) hard bindings: \(bindings.map(\.label).joined(separator: ", "))",
                                              manifest: manifest.label))
            return
        }
        guard bindToAsset else { return }  // an ingredient's binding is to its own asset, not this file
        switch kind {
        case .data:
            let outcome = C2PADataHash.verify(binding, claimAlg: claim.alg, file: file, carriers: carriers, manifest: manifest.label,
                                                 throughUpdate: throughUpdate)
            result.statuses += outcome.statuses
            result.summary.hardBindingVerified = outcome.verified
            if !outcome.verified && !outcome.statuses.contains(where: { $0.kind == .failure }) {
                result.incomplete.append("data hash not checked")
            }
        case .boxes, .bmff, .collection:
            result.statuses.append(C2PAStatus(C2PACode.bindingNotImplemented, url: base + "/c2pa.assertions/\(binding.label)",
                                              explanation: "\(binding.label) is recognised but imprint does not verify it yet: the file's bytes are NOT checked against the manifest",
                                              manifest: manifest.label))
            result.incomplete.append("\(binding.label) not verified")
        }
    }

    /// Actions, ingredients and soft bindings of the declared assertions.
    private func readContent(_ used: [C2PAAssertion], _ manifest: C2PAManifestBox, _ result: inout Result) {
        let base = C2PAURI.prefix + "/c2pa/\(manifest.label)"
        for assertion in used {
            switch assertion.base {
            case "c2pa.actions":
                guard let item = assertion.cbor else { continue }
                let parsed = C2PAActions.parse(item, manifest: manifest.label)
                result.actions += parsed.actions
                result.signals += parsed.signals
                for agent in parsed.softwareAgents where !result.summary.softwareAgents.contains(agent) {
                    result.summary.softwareAgents.append(agent)
                }
                for problem in parsed.malformed {
                    result.statuses.append(C2PAStatus(C2PACode.actionMalformed, url: base + "/c2pa.assertions/\(assertion.label)",
                                                      explanation: problem, manifest: manifest.label))
                }
            case "c2pa.ingredient":
                if let link = C2PAIngredientLink.read(assertion, manifest: manifest.label) {
                    result.ingredients.append(link)
                    result.summary.ingredients.append(link.summary)
                }
            case "c2pa.soft-binding":
                if let alg = assertion.cbor?["alg"]?.text { result.softBindings.append(alg) }
            default:
                break
            }
        }
        result.summary.actions = result.actions
        let parents = result.ingredients.filter { $0.relationship == "parentOf" }.count
        if parents > 1 {
            result.statuses.append(C2PAStatus(C2PACode.manifestMultipleParents, url: base,
                                              explanation: "\(parents) ingredients are parentOf", manifest: manifest.label))
        }
        if manifest.isUpdate && parents != 1 {
            result.statuses.append(C2PAStatus(C2PACode.manifestUpdateWrongParents, url: base,
                                              explanation: "an update manifest needs exactly one parentOf ingredient, it has \(parents)",
                                              manifest: manifest.label))
        }
    }
}
