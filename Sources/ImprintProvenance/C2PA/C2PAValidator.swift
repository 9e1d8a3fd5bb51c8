import Crypto
import Foundation
import ImprintBytes
import ImprintImaging

/// Reads and validates a file's C2PA manifest store offline, the way c2pa-rs does
/// (spec docs/specs/C2PA.md). Never performs network I/O: remote manifests, OCSP
/// responders, AIA and TSA URLs are reported, never dereferenced.
///
/// Trust comes only from anchors the examiner supplies (a PEM bundle); without them
/// every signer is `signingCredential.untrusted`, which does not make a manifest invalid.
public struct C2PAValidator: Sendable {
    let context: C2PAValidationContext
    let trust: C2PATrustSummary

    static let maxIngredientDepth = 32
    static let maxIngredientLinks = 10_000

    /// Hashes and claim algorithms already computed: a hostile store may link the same
    /// large manifest from thousands of ingredient assertions.
    struct LinkCache {
        var hashes: [String: [UInt8]] = [:]
        var claimAlgs: [String: String?] = [:]
    }

    /// The anchors and settings this validator uses (for reports and run parameters).
    public var trustSummary: C2PATrustSummary { trust }

    /// - Parameters:
    ///   - trustAnchorsPEM: claim-signing anchors (e.g. the C2PA trust list), PEM.
    ///   - allowedEKUs: the signer EKUs accepted (default: the C2PA profile's list).
    ///   - tsaTrustAnchorsPEM: time-stamp authority anchors, PEM (optional).
    ///   - now: the validation time used when no valid time stamp gives the signing time.
    public init(trustAnchorsPEM: [UInt8]?, allowedEKUs: C2PAAllowedEKUs = .default,
                tsaTrustAnchorsPEM: [UInt8]? = nil, now: Date = Date()) {
        let none: (certificates: [C2PACertificate], unreadable: Int) = ([], 0)
        let anchors = trustAnchorsPEM.map(C2PACertificate.fromPEMBundle) ?? none
        let tsa = tsaTrustAnchorsPEM.map(C2PACertificate.fromPEMBundle) ?? none
        context = C2PAValidationContext(anchors: anchors.certificates, tsaAnchors: tsa.certificates,
                                        allowedEKUs: allowedEKUs, now: now)
        let testRoots = anchors.certificates.contains { $0.subjectDescription.contains("FOR TESTING_ONLY") }
        trust = C2PATrustSummary(anchorCount: anchors.certificates.count,
                                 anchorsSHA256: trustAnchorsPEM.map { Hex.encode(SHA256.hash(data: $0)) },
                                 unreadableAnchors: anchors.unreadable, testAnchorsLoaded: testRoots,
                                 tsaAnchorCount: tsa.certificates.count, allowedEKUs: allowedEKUs.oids, validationTime: now)
    }

    /// The report, or nil when the file has neither a store nor a provenance pointer.
    public func validate(bytes: [UInt8], container: ParsedContainer, xmpProvenance: String?) -> C2PAReport? {
        let pointer = C2PAProvenancePointer(xmpProvenance)
        guard let located = C2PAStoreLocator.locate(bytes: bytes, container: container) else {
            return pointerOnly(pointer)
        }
        var report = C2PAReport(storePresent: true, trust: trust)
        report.container = located.container
        report.carriers = located.carriers
        report.storeOffset = located.storeOffset
        report.storeLength = located.store.count
        report.provenancePointer = pointer?.text
        report.statuses = located.statuses

        let store: C2PAManifestStore
        do {
            store = try C2PAManifestStore.read(located.store)
        } catch {
            report.statuses.append(C2PAStatus(C2PACode.storeCorrupt, explanation: error.description))
            report.validationState = .invalid
            return report
        }
        report.statuses += store.problems
        guard let active = store.active else {
            report.statuses.append(C2PAStatus(C2PACode.claimMissing, explanation: "the store holds no manifest"))
            report.validationState = .invalid
            return report
        }
        report.activeManifest = active.label
        check(pointer, against: active, &report)

        let validator = C2PAManifestValidator(store: store, storeBytes: located.store, file: bytes,
                                              carriers: located.carriers, context: context)
        var incomplete: [String] = []
        var facts: [C2PAAIDerivation.ManifestFacts] = []
        var summaries: [String: C2PAManifestSummary] = [:]
        var visited: Set<String> = [active.label]

        // The active manifest binds to this file. An update manifest has no binding of its
        // own: its parent's binding is what covers the file.
        let activeResult = validator.validate(active, bindToAsset: !active.isUpdate, role: "active")
        report.statuses += activeResult.statuses
        incomplete += activeResult.incomplete
        summaries[active.label] = activeResult.summary
        facts.append(Self.facts(activeResult, inIngredient: false))

        // Ingredients, breadth first, each manifest once.
        var queue: [(link: C2PAIngredientLink, parent: C2PAManifestBox, rootURI: String, recorded: [String], depth: Int, binds: Bool)] =
            activeResult.ingredients.map { ($0, active, $0.summary.assertionURI, $0.summary.recordedStatuses, 1,
                                            active.isUpdate && $0.relationship == "parentOf") }
        var cache = LinkCache()
        var linksChecked = 0
        while !queue.isEmpty {
            let entry = queue.removeFirst()
            linksChecked += 1
            if linksChecked > Self.maxIngredientLinks {
                report.statuses.append(C2PAStatus(C2PACode.limitExceeded, explanation:
                    "more than \(Self.maxIngredientLinks) ingredient links; the rest were not followed"))
                incomplete.append("ingredient links beyond \(Self.maxIngredientLinks) not checked")
                break
            }
            let outcome = checkLink(entry.link, from: entry.parent, in: store, storeBytes: located.store, cache: &cache)
            report.statuses += outcome.statuses.map { scoped($0, entry.rootURI, entry.recorded) }
            guard let manifest = outcome.manifest, !visited.contains(manifest.label), entry.depth <= Self.maxIngredientDepth else { continue }
            visited.insert(manifest.label)
            let result = validator.validate(manifest, bindToAsset: entry.binds, throughUpdate: entry.binds, role: "ingredient")
            report.statuses += result.statuses.map { scoped($0, entry.rootURI, entry.recorded) }
            if entry.binds { incomplete += result.incomplete }
            summaries[manifest.label] = result.summary
            facts.append(Self.facts(result, inIngredient: true))
            // Never queue more than the cap allows (the cap check above reports the excess).
            let room = max(0, Self.maxIngredientLinks + 1 - linksChecked - queue.count)
            queue += result.ingredients.prefix(room).map { ($0, manifest, entry.rootURI, entry.recorded + $0.summary.recordedStatuses, entry.depth + 1, false) }
        }

        for manifest in store.manifests where summaries[manifest.label] == nil {
            var summary = C2PAManifestSummary(label: manifest.label, kind: manifest.kind, isActive: false, role: "unreferenced")
            summary.assertionLabels = manifest.assertions.compactMap(\.label)
            summaries[manifest.label] = summary
            report.statuses.append(C2PAStatus(C2PACode.manifestUnreferenced, url: C2PAURI.prefix + "/c2pa/\(manifest.label)",
                                              explanation: "no ingredient of the active manifest links this manifest; not validated",
                                              manifest: manifest.label))
        }
        report.manifests = store.manifests.compactMap { summaries[$0.label] }
        report.ai = C2PAAIDerivation.derive(facts)
        report.validationState = Self.state(report.statuses, incomplete: incomplete)
        report.trusted = report.validationState == .valid && activeResult.summary.signature?.trusted == true
        return report
    }

    /// No store: a pointer alone tells that a manifest existed (stripped) or lives elsewhere.
    private func pointerOnly(_ pointer: C2PAProvenancePointer?) -> C2PAReport? {
        guard let pointer else { return nil }
        var report = C2PAReport(storePresent: false, trust: trust)
        report.provenancePointer = pointer.text
        // Nothing could be validated, so nothing is valid.
        report.validationState = .invalid
        switch pointer {
        case .remote(let url):
            report.remoteManifestURL = url
            report.statuses.append(C2PAStatus(C2PACode.manifestInaccessible, url: url,
                                              explanation: "the manifest is remote (\(url)); imprint works offline and never fetches it"))
        case .embedded(let url, _):
            report.orphanPointer = true
            report.statuses.append(C2PAStatus(C2PACode.orphanProvenancePointer, url: url,
                                              explanation: "XMP dcterms:provenance points into a C2PA store that is not in the file: the manifest was stripped"))
        case .other:
            return nil
        }
        return report
    }

    private func check(_ pointer: C2PAProvenancePointer?, against active: C2PAManifestBox, _ report: inout C2PAReport) {
        switch pointer {
        case .embedded(let url, let label?) where label != active.label:
            report.statuses.append(C2PAStatus(C2PACode.provenancePointerMismatch, url: url,
                                              explanation: "XMP dcterms:provenance names manifest '\(label)', the active manifest is '\(active.label)'"))
        case .remote(let url):
            report.remoteManifestURL = url
            report.statuses.append(C2PAStatus(C2PACode.remoteManifestPointer, url: url,
                                              explanation: "XMP also points to a remote manifest (\(url)); the embedded store was validated, the remote one never fetched"))
        default:
            break
        }
    }

    /// Checks an ingredient's link hashes and finds the linked manifest (spec §5).
    ///
    /// The rules, as c2pa-rs applies them (checked on its fixtures, not in the spec):
    /// - the manifest link names the manifest by label (v3 `activeManifest` may point at
    ///   its claim box); its hash is the §3 rule over the manifest superbox (payload);
    /// - a pre-1.3 link hashes the claim's CBOR bytes instead (legacy_ingredient_hash.jpg);
    /// - the v3 `claimSignature` hash matched the whole signature box, header included,
    ///   on update_manifest.jpg; the payload-only form is accepted too (unconfirmed).
    private func checkLink(_ link: C2PAIngredientLink, from parent: C2PAManifestBox, in store: C2PAManifestStore,
                           storeBytes: [UInt8], cache: inout LinkCache) -> (statuses: [C2PAStatus], manifest: C2PAManifestBox?) {
        func hash(_ alg: C2PAHashAlgorithm, _ range: Range<Int>) -> [UInt8] {
            let key = "\(range.lowerBound)-\(range.upperBound)/\(alg.rawValue)"
            if let known = cache.hashes[key] { return known }
            let value = alg.hash(storeBytes, ranges: [range])
            cache.hashes[key] = value
            return value
        }
        let parentAlg: String?
        if let known = cache.claimAlgs[parent.label] {
            parentAlg = known
        } else {
            parentAlg = claimAlg(parent, storeBytes)
            cache.claimAlgs[parent.label] = .some(parentAlg)
        }
        let url = link.summary.assertionURI
        func status(_ code: String, _ why: String) -> C2PAStatus {
            C2PAStatus(code, url: url, explanation: why, manifest: parent.label)
        }
        guard let manifestURI = link.manifestURI else {
            return ([status(C2PACode.ingredientUnknownProvenance, "\(link.summary.title ?? "ingredient"): ingredient does not have provenance")], nil)
        }
        guard let label = C2PAURI.manifestLabel(of: C2PAURI.absolute(manifestURI.url, manifest: parent.label)),
              let manifest = store.manifest(label) else {
            return ([status(C2PACode.ingredientManifestMissing, "the ingredient's manifest '\(manifestURI.url)' is not in the store")], nil)
        }
        var statuses: [C2PAStatus] = []
        if let alg = C2PAHashAlgorithm(name: manifestURI.alg ?? parentAlg) {
            if hash(alg, manifest.box.payload) == manifestURI.hash {
                statuses.append(status(C2PACode.ingredientManifestValidated, "the ingredient's manifest hash matches"))
            } else if let claimBytes = claimRange(manifest), hash(alg, claimBytes) == manifestURI.hash {
                statuses.append(status(C2PACode.ingredientManifestValidated, "the ingredient's claim matches its pre-1.3 (claim-only) link hash"))
            } else {
                statuses.append(status(C2PACode.ingredientManifestMismatch, "the ingredient's manifest differs from the hash recorded when it was used"))
            }
        } else {
            statuses.append(status(C2PACode.algorithmUnsupported, "no usable hash algorithm for the ingredient link"))
        }
        if let signatureURI = link.claimSignatureURI {
            if case .found(let signature, _, _) = C2PAURI.resolve(signatureURI.url, in: store, from: parent),
               let alg = C2PAHashAlgorithm(name: signatureURI.alg ?? parentAlg) {
                let matches = hash(alg, signature.range) == signatureURI.hash || hash(alg, signature.payload) == signatureURI.hash
                statuses.append(status(matches ? C2PACode.ingredientClaimSignatureValidated : C2PACode.ingredientClaimSignatureMismatch,
                                       matches ? "the ingredient's claim signature hash matches"
                                           : "the ingredient's claim signature differs from the one recorded"))
            } else {
                statuses.append(status(C2PACode.ingredientClaimSignatureMissing, "the ingredient's claim signature '\(signatureURI.url)' is not in the store"))
            }
        }
        return (statuses, manifest)
    }

    private func claimRange(_ manifest: C2PAManifestBox) -> Range<Int>? {
        manifest.claims.first?.content("cbor")?.payload
    }

    private func claimAlg(_ manifest: C2PAManifestBox, _ storeBytes: [UInt8]) -> String? {
        guard let box = manifest.claims.first, let content = box.content("cbor"),
              let item = try? C2PACBOR.decode(storeBytes, range: content.payload) else { return nil }
        return item["alg"]?.text
    }

    /// An ingredient's outcome, tagged with the ingredient assertion it belongs to; a
    /// failure the ingredient's signer already recorded does not count again (c2pa-rs).
    private func scoped(_ status: C2PAStatus, _ ingredientURI: String, _ recorded: [String]) -> C2PAStatus {
        var status = status
        status.ingredientURI = ingredientURI
        if status.kind == .failure && recorded.contains(status.code) { status.recordedBySigner = true }
        return status
    }

    /// c2pa-rs: invalid on any failure except an untrusted signer; imprint: incomplete when a
    /// binding or manifest could not be checked.
    static func state(_ statuses: [C2PAStatus], incomplete: [String]) -> C2PAReport.ValidationState {
        let failures = statuses.filter {
            $0.kind == .failure && !$0.recordedBySigner && $0.code != C2PACode.signingCredentialUntrusted
        }
        if !failures.isEmpty { return .invalid }
        return incomplete.isEmpty ? .valid : .incomplete
    }

    private static func facts(_ result: C2PAManifestValidator.Result, inIngredient: Bool) -> C2PAAIDerivation.ManifestFacts {
        C2PAAIDerivation.ManifestFacts(label: result.summary.label, inIngredient: inIngredient, actions: result.actions,
                                       generatorNames: result.summary.claimGeneratorInfo + [result.summary.claimGenerator].compactMap { $0 },
                                       softwareAgents: result.summary.softwareAgents, signals: result.signals,
                                       softBindings: result.softBindings)
    }
}
