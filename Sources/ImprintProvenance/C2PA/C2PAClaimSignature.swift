import Foundation

/// What every manifest validation needs to know about the examiner's setup.
struct C2PAValidationContext: Sendable {
    var anchors: [C2PACertificate]
    var tsaAnchors: [C2PACertificate]
    var allowedEKUs: C2PAAllowedEKUs
    var now: Date
}

/// Validates one claim's COSE_Sign1 (spec §4–5): the signature over the claim bytes with
/// the x5chain leaf key, the time stamp, the certificate profile, validity at the signing
/// time, trust against the supplied anchors, and stapled OCSP.
enum C2PAClaimSignature {
    struct Outcome {
        var statuses: [C2PAStatus] = []
        var summary: C2PASignatureSummary?
        var signatureValid = false
    }

    static func validate(_ box: JUMBFBox, store: [UInt8], claim: C2PAClaim, manifest: C2PAManifestBox,
                         in manifestStore: C2PAManifestStore, context: C2PAValidationContext) -> Outcome {
        let url = C2PAURI.prefix + "/c2pa/\(manifest.label)/\(box.label ?? "c2pa.signature")"
        var outcome = Outcome()
        func add(_ code: String, _ why: String) {
            outcome.statuses.append(C2PAStatus(code, url: url, explanation: why, manifest: manifest.label))
        }

        // The claim must name this signature box.
        if let named = claim.signatureURL {
            if case .found(let target, let label, _) = C2PAURI.resolve(named, in: manifestStore, from: manifest),
               target.range == box.range, label == manifest.label {
                // as expected
            } else {
                add(C2PACode.claimSignatureMissing, "the claim's signature reference '\(named)' does not resolve to this manifest's signature box")
            }
        }
        guard let content = box.content("cbor") else {
            add(C2PACode.claimSignatureMissing, "the signature box has no cbor content")
            return outcome
        }
        let sign1: C2PACOSESign1
        do {
            sign1 = try C2PACOSESign1.read(Array(store[content.payload]))
        } catch {
            add(C2PACode.claimSignatureMismatch, error.message)
            return outcome
        }
        var summary = C2PASignatureSummary(algorithm: sign1.algorithm?.name ?? sign1.algorithmValue.map { "COSE \($0)" } ?? "none",
                                           signatureValid: false, timeBasis: "now")
        for problem in sign1.problems { add(C2PACode.claimSignatureMismatch, problem) }

        var certificates: [C2PACertificate] = []
        for (index, der) in sign1.x5chain.enumerated() {
            do {
                certificates.append(try C2PACertificate(der: der))
            } catch {
                add(C2PACode.signingCredentialInvalid, "x5chain certificate \(index + 1) unreadable: \(error.message)")
                outcome.summary = summary
                return outcome
            }
        }
        guard let leaf = certificates.first else {
            add(C2PACode.signingCredentialInvalid, "the signature carries no signing certificate (x5chain)")
            outcome.summary = summary
            return outcome
        }
        summary.signerSubject = leaf.subjectDescription
        summary.signerIssuer = leaf.issuerDescription
        summary.signerOrganization = leaf.subjectOrganization
        summary.signerCommonName = leaf.subjectCommonName
        summary.serialNumber = leaf.serialHex
        summary.chain = certificates.map(\.subjectDescription)
        summary.notBefore = leaf.notBefore
        summary.notAfter = leaf.notAfter

        // The signature itself.
        if let algorithm = sign1.algorithm {
            do {
                let key = try C2PAPublicKey(leaf)
                if !algorithm.fits(key) {
                    add(C2PACode.claimSignatureMismatch, "\(algorithm.name) signature with a \(key.description) key")
                } else if key.verify(sign1.signature, over: sign1.toBeSigned(claim: claim.bytes), scheme: algorithm.scheme) {
                    add(C2PACode.claimSignatureValidated, "\(algorithm.name) signature over the claim verified with the x5chain leaf key (\(key.description))")
                    outcome.signatureValid = sign1.problems.isEmpty
                } else {
                    add(C2PACode.claimSignatureMismatch, "the \(algorithm.name) signature does not verify over the claim bytes")
                }
            } catch {
                add(C2PACode.signingCredentialInvalid, error.message)
            }
        } else {
            add(C2PACode.algorithmUnsupported, "COSE algorithm \(sign1.algorithmValue.map(String.init) ?? "absent") is not ES256/384/512, PS256/384/512 or Ed25519")
        }
        summary.signatureValid = outcome.signatureValid

        // Time stamp: the signing time when it holds.
        var time = context.now
        if sign1.timeStampTokens.count > 1 {
            add(C2PACode.timeStampMalformed, "\(sign1.timeStampTokens.count) time-stamp tokens; exactly one is allowed")
        } else if let token = sign1.timeStampTokens.first {
            let stamp = C2PATimeStamp.verify(token: token, covering: sign1.timeStampedContent(claim: claim.bytes), tsaAnchors: context.tsaAnchors)
            add(stamp.code, stamp.explanation)
            if stamp.isValid, let genTime = stamp.genTime {
                switch stamp.trusted {
                case true?: add(C2PACode.timeStampTrusted, "the TSA chains to a supplied TSA anchor")
                case false?: add(C2PACode.timeStampUntrusted, "the TSA does not chain to a supplied TSA anchor")
                case nil: add(C2PACode.timeStampUntrusted, "no TSA anchors supplied")
                }
                time = genTime
                summary.timeStamp = genTime
                summary.timeStampValid = true
                summary.timeBasis = "timeStamp"
            }
        }

        // Certificate profile, validity and trust.
        let violations = C2PACertificateProfile.violations(signer: leaf, allowed: context.allowedEKUs)
        if !violations.isEmpty {
            add(C2PACode.signingCredentialInvalid, "the signing certificate breaks the C2PA profile: " + violations.joined(separator: "; "))
        }
        let chain = C2PATrustChain.evaluate(chain: certificates, anchors: context.anchors, at: time)
        let basis = summary.timeBasis == "timeStamp" ? "the time stamp \(time)" : "validation time \(time)"
        if chain.expired.isEmpty {
            add(C2PACode.claimSignatureInsideValidity, "the signing certificate chain is valid at \(basis)")
        } else {
            add(C2PACode.signingCredentialExpired, "not valid at \(basis): \(chain.expired.joined(separator: "; "))")
        }
        if let anchor = chain.anchor {
            add(C2PACode.signingCredentialTrusted, "the chain reaches the supplied anchor \(anchor.subjectDescription)")
            summary.trusted = true
            summary.trustAnchor = anchor.subjectDescription
        } else {
            let why = context.anchors.isEmpty ? "no trust anchors were supplied" : chain.problems.joined(separator: "; ")
            add(C2PACode.signingCredentialUntrusted, "signing certificate untrusted: \(why)")
        }

        let issuer = chain.path.count > 1 ? chain.path[1] : certificates.dropFirst().first { leaf.issuerDER == $0.subjectDER }
        let ocsp = C2PAOCSP.evaluate(responses: sign1.ocspResponses, signer: leaf, issuer: issuer, at: time)
        add(ocsp.code, ocsp.explanation)
        summary.ocsp = ocsp.code
        outcome.summary = summary
        return outcome
    }
}
