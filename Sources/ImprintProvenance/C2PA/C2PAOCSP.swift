import Foundation
import SwiftASN1

/// OCSP responses stapled in the COSE `rVals` (spec §5). Only stapled responses are used:
/// imprint never contacts a responder. A response counts when the responder's signature
/// verifies (the issuer itself, or a delegate it issued with the OCSPSigning EKU), its
/// CertID names the signer certificate, and the signing time lies in thisUpdate…nextUpdate.
enum C2PAOCSP {
    struct Outcome {
        /// `signingCredential.ocsp.notRevoked|revoked|unknown`, or `…ocsp.skipped`.
        var code: String
        var explanation: String
    }

    static let basicResponse = "1.3.6.1.5.5.7.48.1.1"
    static let sha1 = "1.3.14.3.2.26"

    static func evaluate(responses: [[UInt8]], signer: C2PACertificate?, issuer: C2PACertificate?, at time: Date) -> Outcome {
        guard !responses.isEmpty else {
            return Outcome(code: C2PACode.ocspSkipped, explanation: "no OCSP response is stapled; imprint never queries a responder")
        }
        guard let signer, let issuer else {
            return Outcome(code: C2PACode.ocspSkipped, explanation: "stapled OCSP response, but the signer's issuer certificate is not in x5chain")
        }
        var reasons: [String] = []
        for der in responses {
            do {
                if let outcome = try check(der, signer: signer, issuer: issuer, at: time) { return outcome }
                reasons.append("the response does not name the signer certificate")
            } catch {
                reasons.append(error.message)
            }
        }
        return Outcome(code: C2PACode.ocspSkipped, explanation: "stapled OCSP not usable: " + reasons.joined(separator: "; "))
    }

    private static func check(_ der: [UInt8], signer: C2PACertificate, issuer: C2PACertificate, at time: Date) throws(DERError) -> Outcome? {
        let root = try DERTree.parse(der)
        let top = root.children
        guard root.isSequence, let status = top.first?.smallInteger else { throw DERError(message: "not an OCSPResponse") }
        guard status == 0 else { throw DERError(message: "OCSP response status \(status) (not successful)") }
        guard top.count >= 2, top[1].isContext(0), let bytesNode = top[1].children.first,
              bytesNode.children.first?.oid == basicResponse,
              let inner = bytesNode.children.dropFirst().first?.octetString else {
            throw DERError(message: "OCSP response is not a BasicOCSPResponse")
        }
        let basic = try DERTree.parse(inner)
        let b = basic.children
        guard basic.isSequence, b.count >= 3, b[0].isSequence, let sigAlg = AlgorithmID(b[1]), let signature = b[2].bitStringBytes else {
            throw DERError(message: "BasicOCSPResponse malformed")
        }
        var shipped: [C2PACertificate] = []
        if b.count > 3, b[3].isContext(0), let list = b[3].children.first {
            for node in list.children.prefix(C2PACOSESign1.maxCertificates) {
                if let cert = try? C2PACertificate(der: Array(node.encodedBytes)) { shipped.append(cert) }
            }
        }
        guard let scheme = C2PASignatureScheme(algorithm: sigAlg) else { throw DERError(message: "OCSP signature algorithm \(sigAlg.oid) not supported") }
        let tbs = Array(b[0].encodedBytes)
        let responders = [issuer] + shipped.filter { delegate in
            delegate.extendedKeyUsages?.contains(C2PAAllowedEKUs.ocspSigning) == true && C2PATrustChain.issued(delegate, by: issuer)
        }
        guard responders.contains(where: { (try? C2PAPublicKey($0))?.verify(Array(signature), over: tbs, scheme: scheme) == true }) else {
            throw DERError(message: "the OCSP responder's signature does not verify against the issuer or a delegate it authorised")
        }
        // ResponseData: [0] version?, responderID, producedAt, responses, [1] extensions?
        var fields = b[0].children[...]
        if fields.first?.isContext(0) == true { fields = fields.dropFirst() }
        guard fields.count >= 3 else { throw DERError(message: "OCSP ResponseData malformed") }
        let singles = Array(fields)[2].children
        for single in singles {
            let s = single.children
            guard single.isSequence, s.count >= 3, s[0].isSequence, s[0].children.count == 4,
                  let hashAlg = AlgorithmID(s[0].children[0]),
                  let nameHash = s[0].children[1].octetString, let keyHash = s[0].children[2].octetString,
                  let serial = s[0].children[3].integerBytes, let thisUpdate = s[2].date else { continue }
            guard serial == signer.serial, certIDMatches(hashAlg.oid, Array(nameHash), Array(keyHash), issuer: issuer) else { continue }
            let nextUpdate = s.dropFirst(3).first(where: { $0.isContext(0) })?.children.first?.date
            guard thisUpdate <= time, nextUpdate.map({ time <= $0 }) ?? true else {
                throw DERError(message: "the signing time \(time) is outside the response's thisUpdate…nextUpdate")
            }
            if s[1].isContext(0) { return Outcome(code: C2PACode.ocspNotRevoked, explanation: "stapled OCSP: good at \(thisUpdate)") }
            if s[1].isContext(1) { return Outcome(code: C2PACode.signingCredentialRevoked, explanation: "stapled OCSP: the signer certificate is revoked") }
            return Outcome(code: C2PACode.ocspUnknown, explanation: "stapled OCSP: the responder does not know the certificate")
        }
        return nil
    }

    /// CertID: hashes of the issuer's name and of its public key bits (RFC 6960 §4.1.1).
    private static func certIDMatches(_ hashOID: String, _ nameHash: [UInt8], _ keyHash: [UInt8], issuer: C2PACertificate) -> Bool {
        if let alg = C2PASignatureScheme.hash(oid: hashOID) {
            return alg.hash(issuer.subjectDER) == nameHash && alg.hash(issuer.keyBits) == keyHash
        }
        if hashOID == sha1 {
            return InsecureSHA1.hash(issuer.subjectDER) == nameHash && InsecureSHA1.hash(issuer.keyBits) == keyHash
        }
        return false
    }
}
