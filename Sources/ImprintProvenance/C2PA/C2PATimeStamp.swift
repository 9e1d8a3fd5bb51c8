import Foundation
import SwiftASN1

/// An RFC 3161 time-stamp token from `sigTst`/`sigTst2`, read with swift-asn1 (the CMS
/// types of swift-certificates are internal) and checked offline (spec §5):
/// the message imprint, the CMS `messageDigest`, the TSA's signature over the signed
/// attributes, the TSA certificate's timeStamping EKU and its validity at `genTime`.
struct C2PATimeStamp: Sendable {
    /// `timeStamp.validated`, or the failure code (`mismatch`, `malformed`, `outsideValidity`).
    var code: String
    var explanation: String
    var genTime: Date?
    var tsaSubject: String?
    /// nil when no TSA anchors were supplied.
    var trusted: Bool?

    var isValid: Bool { code == C2PACode.timeStampValidated }

    static let signedData = "1.2.840.113549.1.7.2"
    static let tstInfo = "1.2.840.113549.1.9.16.1.4"
    static let messageDigestAttribute = "1.2.840.113549.1.9.4"
    static let contentTypeAttribute = "1.2.840.113549.1.9.3"

    static func verify(token: [UInt8], covering content: [UInt8], tsaAnchors: [C2PACertificate]) -> C2PATimeStamp {
        do {
            return try check(token, content, tsaAnchors)
        } catch {
            return C2PATimeStamp(code: C2PACode.timeStampMalformed, explanation: "time stamp: \(error.message)")
        }
    }

    private static func check(_ token: [UInt8], _ content: [UInt8], _ anchors: [C2PACertificate]) throws(DERError) -> C2PATimeStamp {
        let root = try DERTree.parse(token)
        let contentInfo = try signedDataContentInfo(root)
        let parts = contentInfo.children
        guard parts.count == 2, parts[0].oid == signedData, parts[1].isContext(0),
              let signed = parts[1].children.first, signed.isSequence else {
            throw DERError(message: "not a CMS SignedData ContentInfo")
        }
        var fields = signed.children[...]
        guard fields.count >= 4 else { throw DERError(message: "SignedData has too few fields") }
        fields = fields.dropFirst(2)  // version, digestAlgorithms
        guard let encap = fields.popFirst(), encap.isSequence, encap.children.first?.oid == tstInfo,
              let wrapper = encap.children.dropFirst().first, wrapper.isContext(0),
              let eContentNode = wrapper.children.first, let eContent = octets(eContentNode) else {
            throw DERError(message: "the encapsulated content is not a TSTInfo")
        }
        var certificates: [C2PACertificate] = []
        var signerInfos: ASN1Node?
        for field in fields {
            if field.isContext(0) {
                for node in field.children.prefix(C2PACOSESign1.maxCertificates) where node.isSequence {
                    if let cert = try? C2PACertificate(der: Array(node.encodedBytes)) { certificates.append(cert) }
                }
            } else if field.identifier == .set {
                signerInfos = field
            }
        }
        guard let infos = signerInfos?.children, infos.count == 1, let signerInfo = infos.first else {
            throw DERError(message: "\(signerInfos?.children.count ?? 0) SignerInfos, expected exactly one")
        }

        // TSTInfo: version, policy, messageImprint, serialNumber, genTime, …
        let tst = try DERTree.parse(eContent)
        let tstFields = tst.children
        guard tst.isSequence, tstFields.count >= 5, tstFields[2].isSequence,
              let imprintAlg = tstFields[2].children.first.flatMap(AlgorithmID.init),
              let imprint = tstFields[2].children.dropFirst().first?.octetString,
              let genTime = tstFields[4].date else {
            throw DERError(message: "TSTInfo fields malformed")
        }
        var result = C2PATimeStamp(code: C2PACode.timeStampValidated, explanation: "", genTime: genTime)
        guard let imprintHash = C2PASignatureScheme.hash(oid: imprintAlg.oid) else {
            throw DERError(message: "message imprint hash \(imprintAlg.oid) is not SHA-2")
        }
        guard imprintHash.hash(content) == Array(imprint) else {
            result.code = C2PACode.timeStampMismatch
            result.explanation = "the time stamp's message imprint does not cover this claim signature"
            return result
        }

        let signer = try checkSigner(signerInfo, eContent: eContent, certificates: certificates)
        result.tsaSubject = signer.subjectDescription
        guard signer.extendedKeyUsages?.contains(C2PAAllowedEKUs.timeStamping) == true else {
            throw DERError(message: "the TSA certificate lacks the timeStamping extended key usage")
        }
        guard signer.isValid(at: genTime) else {
            result.code = C2PACode.timeStampOutsideValidity
            result.explanation = "genTime \(genTime) lies outside the TSA certificate's validity"
            return result
        }
        if !anchors.isEmpty {
            let others = certificates.filter { $0.der != signer.der }
            result.trusted = C2PATrustChain.evaluate(chain: [signer] + others, anchors: anchors, at: genTime).trusted
        }
        result.explanation = "time stamp by \(signer.subjectDescription) at \(genTime), imprint and TSA signature verified"
        return result
    }

    /// A bare ContentInfo, or one inside a TimeStampResp (status 0 granted / 1 with mods).
    private static func signedDataContentInfo(_ root: ASN1Node) throws(DERError) -> ASN1Node {
        let parts = root.children
        guard root.isSequence, let first = parts.first else { throw DERError(message: "not a time-stamp token") }
        if first.oid == signedData { return root }
        guard first.isSequence, let status = first.children.first?.smallInteger else {
            throw DERError(message: "neither a TimeStampResp nor a ContentInfo")
        }
        guard status == 0 || status == 1 else { throw DERError(message: "TimeStampResp status \(status) (not granted)") }
        guard parts.count >= 2 else { throw DERError(message: "TimeStampResp without a token") }
        return parts[1]
    }

    /// Checks the SignerInfo: the messageDigest over the TSTInfo and the TSA's signature
    /// over the DER of the signed attributes (their [0] tag read as SET, RFC 5652 §5.4).
    private static func checkSigner(_ info: ASN1Node, eContent: [UInt8], certificates: [C2PACertificate]) throws(DERError) -> C2PACertificate {
        let f = info.children
        guard info.isSequence, f.count >= 5, let digestAlg = f[2].isSequence ? AlgorithmID(f[2]) : nil,
              let digest = C2PASignatureScheme.hash(oid: digestAlg.oid) else {
            throw DERError(message: "SignerInfo malformed or its digest is not SHA-2")
        }
        var index = 3
        var signedAttributes: ASN1Node?
        if f[3].isContext(0) {
            signedAttributes = f[3]
            index = 4
        }
        guard f.count > index + 1, let sigAlg = AlgorithmID(f[index]), let signature = f[index + 1].octetString else {
            throw DERError(message: "SignerInfo signature fields malformed")
        }
        guard let signer = certificates.first(where: { identifies(f[1], $0) }) else {
            throw DERError(message: "the TSA certificate is not in the token")
        }
        var signedBytes = eContent
        if let attributes = signedAttributes {
            var messageDigest: ArraySlice<UInt8>?
            for attribute in attributes.children where attribute.children.first?.oid == messageDigestAttribute {
                messageDigest = attribute.children.dropFirst().first?.children.first?.octetString
            }
            guard let messageDigest, digest.hash(eContent) == Array(messageDigest) else {
                throw DERError(message: "the CMS messageDigest does not match the TSTInfo")
            }
            signedBytes = Array(attributes.encodedBytes)
            signedBytes[0] = 0x31
        }
        guard let scheme = C2PASignatureScheme(algorithm: sigAlg, digest: digest) else {
            throw DERError(message: "TSA signature algorithm \(sigAlg.oid) not supported")
        }
        let key = try C2PAPublicKey(signer)
        guard key.verify(Array(signature), over: signedBytes, scheme: scheme) else {
            throw DERError(message: "the TSA signature does not verify")
        }
        return signer
    }

    /// SignerIdentifier: IssuerAndSerialNumber, or [0] SubjectKeyIdentifier.
    private static func identifies(_ sid: ASN1Node, _ cert: C2PACertificate) -> Bool {
        if sid.isContext(0), let ski = sid.primitiveBytes { return cert.subjectKeyIdentifier == Array(ski) }
        let parts = sid.children
        guard sid.isSequence, parts.count == 2, let serial = parts[1].integerBytes else { return false }
        return Array(parts[0].encodedBytes) == cert.issuerDER && serial == cert.serial
    }

    /// An OCTET STRING's bytes, primitive or (BER) constructed from segments.
    private static func octets(_ node: ASN1Node) -> [UInt8]? {
        guard node.identifier == .octetString else { return nil }
        if let bytes = node.primitiveBytes { return Array(bytes) }
        var out: [UInt8] = []
        for part in node.children {
            guard let bytes = part.primitiveBytes else { return nil }
            out += bytes
        }
        return out
    }
}
