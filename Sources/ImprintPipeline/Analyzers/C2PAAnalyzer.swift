import Crypto
import Foundation
import ImprintBytes
import ImprintCase
import ImprintDetectors
import ImprintProvenance

/// Reads and validates Content Credentials (C2PA) offline and reports what they say:
/// presence and validity, AI generation or modification declared by the generator, a
/// stripped manifest (orphan XMP pointer), a remote manifest, a declared watermark.
///
/// A manifest is evidence of what a C2PA-capable tool wrote. It proves something only
/// when its signature is valid, its hard binding matches this file and its signer chains
/// to an anchor the examiner trusts; test-signed or unsigned manifests are easy to forge.
/// The absence of a manifest says nothing about how an image was made.
public struct C2PAAnalyzer: Analyzer {
    public let id = "provenance.c2pa"
    /// 1.1.0: a declared watermark names its scheme and says it is not checkable offline.
    public let version = "1.1.0"
    public let needsPixels = false

    let validator: C2PAValidator
    let trustAnchorsSHA256: String?

    /// - Parameters:
    ///   - trustAnchorsPEM: the examiner's claim-signing anchors (PEM bundle), or nil: then
    ///     every signer is reported untrusted.
    ///   - trustAnchorsSHA256: the bundle's SHA-256 as the caller recorded it (computed
    ///     here when omitted), so the report names exactly which list was used.
    public init(trustAnchorsPEM: [UInt8]? = nil, trustAnchorsSHA256: String? = nil) {
        validator = C2PAValidator(trustAnchorsPEM: trustAnchorsPEM)
        self.trustAnchorsSHA256 = trustAnchorsSHA256 ?? trustAnchorsPEM.map { Hex.encode(SHA256.hash(data: $0)) }
    }

    public var parameters: JSONValue {
        .object(["trustAnchorsSHA256": trustAnchorsSHA256.map(JSONValue.string) ?? .null,
                 "trustAnchorCount": .integer(validator.trustSummary.anchorCount),
                 "allowedEKUs": .array(validator.trustSummary.allowedEKUs.map(JSONValue.string)),
                 "network": .string("never")])
    }

    public func analyze(_ artifact: Artifact) throws -> [Finding] {
        guard artifact.format.isImage,
              let report = validator.validate(bytes: artifact.bytes, container: artifact.container,
                                              xmpProvenance: artifact.metadata.provenance) else { return [] }
        var findings: [Finding] = []
        if report.storePresent {
            findings.append(present(report))
            findings += ai(report)
            if let watermark = watermark(report) { findings.append(watermark) }
        }
        if report.orphanPointer { findings.append(orphan(report)) }
        if let url = report.remoteManifestURL { findings.append(remote(report, url: url)) }
        return findings
    }

    // MARK: findings

    private func present(_ report: C2PAReport) -> Finding {
        let active = report.active
        let signature = active?.signature
        let state = report.validationState
        let trust = report.trusted ? "trusted (signer chains to a supplied anchor)"
            : signature?.trusted == true ? "signer chains to a supplied anchor, but the manifest is not valid"
            : trustAnchorsSHA256 == nil ? "untrusted (no trust anchors supplied)" : "untrusted (signer not on the supplied trust list)"
        let who = [active?.claimGeneratorInfo.first ?? active?.claimGenerator, signature?.signerOrganization.map { "signed by \($0)" }]
            .compactMap { $0 }.joined(separator: ", ")
        var summary = "Content Credentials (C2PA) present, \(report.manifests.count) manifest(s)\(who.isEmpty ? "" : " — \(who)"): "
        switch state {
        case .valid: summary += "valid, \(trust)."
        case .invalid:
            // The reasons: c2pa-rs failure codes, or imprint's own when only those apply.
            let reasons = report.failureCodes.filter { $0 != "signingCredential.untrusted" } + report.imprintCodes
            summary += "INVALID (\(reasons.joined(separator: ", "))), \(trust)."
        case .incomplete:
            summary += "not fully verified: \(report.imprintCodes.joined(separator: ", ")), \(trust)."
        }
        if report.trust.testAnchorsLoaded { summary += " TEST ANCHORS LOADED." }
        return finding("c2pa.present", .info, summary, details: details(report), location: location(report))
    }

    private func ai(_ report: C2PAReport) -> [Finding] {
        var findings: [Finding] = []
        let (strength, caveat) = weight(report)
        let signals = report.ai.supportingSignals
        if report.ai.isAIGenerated {
            let onlyIngredient = report.ai.generated.allSatisfy(\.inIngredient)
            let agents = Set(report.ai.generated.compactMap(\.softwareAgent)).sorted()
            let what = onlyIngredient
                ? "A manifest in the chain says an ingredient was created by a generative AI model (trainedAlgorithmicMedia): this image is derived from AI-generated content"
                : "The manifest says the image was created by a generative AI model (trainedAlgorithmicMedia)"
            findings.append(finding("c2pa.ai-generated", strength,
                                    what + (agents.isEmpty ? "" : " (\(agents.joined(separator: ", ")))") + ". " + caveat,
                                    details: aiDetails(report, hits: report.ai.generated, derived: onlyIngredient, signals: signals),
                                    location: location(report)))
        }
        if report.ai.isAIModified {
            let agents = Set(report.ai.modified.compactMap(\.softwareAgent)).sorted()
            findings.append(finding("c2pa.ai-edited", strength,
                                    "The manifest says the image was edited with generative AI (\(Set(report.ai.modified.map(\.digitalSourceType)).sorted().joined(separator: ", ")))"
                                        + (agents.isEmpty ? "" : " by \(agents.joined(separator: ", "))") + ". " + caveat,
                                    details: aiDetails(report, hits: report.ai.modified, derived: report.ai.modified.allSatisfy(\.inIngredient), signals: signals),
                                    location: location(report)))
        }
        return findings
    }

    /// How much a declaration weighs: a valid manifest from a trusted signer bound to this
    /// file is strong; without trust it is what some tool wrote; an invalid one is weak.
    private func weight(_ report: C2PAReport) -> (Finding.Strength, String) {
        switch (report.validationState, report.trusted) {
        case (.valid, true):
            return (.strong, "The manifest is valid, bound to this file and signed by a trusted signer; it still records what the generator declared, not an independent analysis.")
        case (.valid, false):
            return (.moderate, "The manifest is valid and bound to this file but its signer is not trusted: evidence of what a C2PA-capable tool wrote, not proof (test-signed or self-signed manifests are easy to forge).")
        case (.incomplete, _):
            return (.weak, "The binding of the manifest to this file was not verified: evidence of what a C2PA-capable tool wrote, not proof.")
        case (.invalid, _):
            return (.weak, "The manifest is INVALID (\(report.failureCodes.filter { $0 != "signingCredential.untrusted" }.joined(separator: ", "))): it is still evidence of what a C2PA-capable tool once wrote, not proof of anything about these pixels.")
        }
    }

    private func orphan(_ report: C2PAReport) -> Finding {
        finding("c2pa.orphan-pointer", .moderate,
                "XMP dcterms:provenance points to a C2PA manifest (\(report.provenancePointer ?? "")) that is not in the file: its Content Credentials were most likely stripped by a later save or edit (or the XMP was copied from another file); what they said cannot be read here.",
                details: .object(["pointer": report.provenancePointer.map(JSONValue.string),
                                  "statusCodes": .array(report.imprintCodes.map(JSONValue.string))]),
                location: .object(["element": .string("XMP dcterms:provenance")]))
    }

    private func remote(_ report: C2PAReport, url: String) -> Finding {
        finding("c2pa.remote-manifest", .info,
                "The file points to a remote C2PA manifest (\(url)); imprint works offline and did not fetch it (manifest.inaccessible). Its content is unknown.",
                details: .object(["url": .string(url), "embeddedStore": .bool(report.storePresent),
                                  "statusCodes": .array((report.failureCodes + report.imprintCodes).map(JSONValue.string))]),
                location: .object(["element": .string("XMP dcterms:provenance")]))
    }

    private func watermark(_ report: C2PAReport) -> Finding? {
        guard !report.ai.softBindings.isEmpty || report.ai.watermarkedActions > 0 else { return nil }
        var schemes: [JSONValue] = report.ai.softBindings.map { algorithm in
            let row = DeclaredWatermarkScheme.matching(algorithm: algorithm)
            return .object(["algorithm": .string(algorithm), "scheme": .string(row?.scheme ?? "unknown"),
                            "status": .string("not_checkable_offline"),
                            "reason": .string(row?.reason ?? DeclaredWatermarkScheme.unknownReason)])
        }
        if schemes.isEmpty {
            schemes = [.object(["algorithm": .null, "scheme": .string("unnamed"), "status": .string("not_checkable_offline"),
                                "reason": .string(DeclaredWatermarkScheme.unnamedReason)])]
        }
        let names = report.ai.softBindings.map { algorithm in
            DeclaredWatermarkScheme.matching(algorithm: algorithm).map { "\($0.scheme), \(algorithm)" } ?? algorithm
        }
        let declared = names.isEmpty ? "a watermark (c2pa.watermarked action, scheme not named)" : "a watermark or soft binding (\(names.joined(separator: "; ")))"
        return finding("c2pa.watermark-declared", .info,
                       "The manifest declares \(declared). It is not checkable offline: \(DeclaredWatermarkScheme.absenceNote)",
                       details: .object(["status": .string("not_checkable_offline"),
                                         "schemes": .array(schemes),
                                         "softBindings": .array(report.ai.softBindings.map(JSONValue.string)),
                                         "watermarkedActions": .integer(report.ai.watermarkedActions),
                                         "absenceNote": .string(DeclaredWatermarkScheme.absenceNote)]),
                       location: location(report))
    }

    // MARK: details

    private func details(_ report: C2PAReport) -> JSONValue {
        let active = report.active
        let signature = active?.signature
        return .object([
            "validationState": .string(report.validationState.rawValue),
            "statusCodes": .array(report.failureCodes.map(JSONValue.string)),
            "successCodes": .array(report.successCodes.map(JSONValue.string)),
            "informationalCodes": .array(report.informationalCodes.map(JSONValue.string)),
            "imprintCodes": .array(report.imprintCodes.map(JSONValue.string)),
            "manifestCount": .integer(report.manifests.count),
            "activeManifest": report.activeManifest.map(JSONValue.string),
            "claimGenerator": (active?.claimGenerator ?? active?.claimGeneratorInfo.first).map(JSONValue.string),
            "claimGeneratorInfo": .array((active?.claimGeneratorInfo ?? []).map(JSONValue.string)),
            "softwareAgents": .array(report.manifests.flatMap(\.softwareAgents).map(JSONValue.string)),
            "digitalSourceTypes": .array(report.ai.digitalSourceTypes.map(JSONValue.string)),
            "signerSubject": signature?.signerSubject.map(JSONValue.string),
            "signerIssuer": signature?.signerIssuer.map(JSONValue.string),
            "signerOrganization": signature?.signerOrganization.map(JSONValue.string),
            "algorithm": signature.map { .string($0.algorithm) },
            "signatureValid": signature.map { .bool($0.signatureValid) },
            "trusted": .bool(report.trusted),
            "trustAnchor": signature?.trustAnchor.map(JSONValue.string),
            "trustListSHA256": trustAnchorsSHA256.map(JSONValue.string),
            "testAnchorsLoaded": .bool(report.trust.testAnchorsLoaded),
            "timeStamp": signature?.timeStamp.map { .string(ISO8601DateFormatter().string(from: $0)) },
            "timeBasis": signature.map { .string($0.timeBasis) },
            "ocsp": signature?.ocsp.map(JSONValue.string),
            "hardBinding": active?.hardBinding.map(JSONValue.string),
            "hardBindingVerified": .bool(active?.hardBindingVerified ?? false),
            "container": report.container.map(JSONValue.string),
            "manifests": .array(report.manifests.map { manifest in
                .object(["label": .string(manifest.label), "role": .string(manifest.role),
                         "claimVersion": manifest.claimVersion.map { .integer($0) },
                         "title": manifest.title.map(JSONValue.string),
                         "ingredients": .array(manifest.ingredients.map { ingredient in
                             .object(["title": ingredient.title.map(JSONValue.string),
                                      "relationship": ingredient.relationship.map(JSONValue.string),
                                      "manifest": ingredient.manifest.map(JSONValue.string),
                                      "recordedStatuses": .array(ingredient.recordedStatuses.map(JSONValue.string))])
                         })])
            }),
        ])
    }

    private func aiDetails(_ report: C2PAReport, hits: [C2PAAIIndicators.Hit], derived: Bool, signals: [String]) -> JSONValue {
        .object([
            "validationState": .string(report.validationState.rawValue),
            "trusted": .bool(report.trusted),
            "statusCodes": .array(report.failureCodes.map(JSONValue.string)),
            "derivedFromIngredient": .bool(derived),
            "declarations": .array(hits.map { hit in
                .object(["manifest": .string(hit.manifest), "action": .string(hit.action),
                         "digitalSourceType": .string(hit.digitalSourceType),
                         "softwareAgent": hit.softwareAgent.map(JSONValue.string), "inIngredient": .bool(hit.inIngredient)])
            }),
            "supportingSignals": .array(signals.map(JSONValue.string)),
            "trustListSHA256": trustAnchorsSHA256.map(JSONValue.string),
        ])
    }

    private func location(_ report: C2PAReport) -> JSONValue? {
        guard let first = report.carriers.first else {
            return report.storeOffset.map { .object(["offset": .integer($0), "length": .integer(report.storeLength ?? 0)]) }
        }
        let end = report.carriers.map { $0.offset + $0.length }.max() ?? first.offset + first.length
        return .object([
            "offset": .integer(first.offset),
            "length": .integer(end - first.offset),
            "element": report.container.map(JSONValue.string),
            "storeOffset": report.storeOffset.map { .integer($0) },
            "storeLength": report.storeLength.map { .integer($0) },
            "carriers": .array(report.carriers.map { .object(["element": .string($0.element), "offset": .integer($0.offset), "length": .integer($0.length)]) }),
        ])
    }

    private func finding(_ label: String, _ strength: Finding.Strength, _ summary: String, details: JSONValue,
                         location: JSONValue?) -> Finding {
        Finding(analyzer: id, analyzerVersion: version, category: .provenance, label: label, strength: strength,
                summary: summary, details: details, location: location)
    }
}
