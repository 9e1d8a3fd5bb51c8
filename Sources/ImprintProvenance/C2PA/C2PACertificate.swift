import Foundation
import SwiftASN1
import X509

/// An X.509 certificate as C2PA needs it, read with swift-asn1.
///
/// Why not `X509.Certificate` alone: swift-certificates refuses RSASSA-PSS public keys
/// (`id-RSASSA-PSS` SPKI) and does not verify PSS certificate signatures, and the
/// reference test chains (and many C2PA signers) use exactly those. So the outer
/// structure is read here; names and extensions are still decoded by swift-certificates
/// (`DistinguishedName`, `ExtendedKeyUsage`, `KeyUsage`, `BasicConstraints`, AKI/SKI).
struct C2PACertificate: Sendable {
    var der: [UInt8]
    /// The exact TBSCertificate bytes (what the issuer signed).
    var tbs: [UInt8]
    /// 1, 2 or 3.
    var version: Int
    var serial: [UInt8]
    var signatureAlgorithm: AlgorithmID
    var signature: [UInt8]
    var issuerDER: [UInt8]
    var subjectDER: [UInt8]
    var issuer: DistinguishedName?
    var subject: DistinguishedName?
    var notBefore: Date
    var notAfter: Date
    /// The whole SubjectPublicKeyInfo, its algorithm, and the key bits.
    var spki: [UInt8]
    var keyAlgorithm: AlgorithmID
    var keyBits: [UInt8]
    var extensions: [Certificate.Extension] = []

    init(der: [UInt8]) throws(DERError) {
        self.der = der
        let root = try DERTree.parse(der)
        let top = root.children
        guard root.isSequence, top.count == 3, top[0].isSequence,
              let sigAlg = AlgorithmID(top[1]), let sig = top[2].bitStringBytes else {
            throw DERError(message: "not a Certificate (SEQUENCE of tbs, algorithm, signature)")
        }
        tbs = Array(top[0].encodedBytes)
        signatureAlgorithm = sigAlg
        signature = Array(sig)
        var fields = top[0].children[...]
        version = 1
        if let first = fields.first, first.isContext(0) {
            guard let v = first.children.first?.smallInteger, (0...2).contains(v) else { throw DERError(message: "bad certificate version") }
            version = v + 1
            fields = fields.dropFirst()
        }
        guard fields.count >= 6 else { throw DERError(message: "TBSCertificate has too few fields") }
        let f = Array(fields)
        guard let serial = f[0].integerBytes, let innerAlg = AlgorithmID(f[1]), f[2].isSequence,
              f[3].isSequence, f[3].children.count == 2,
              let notBefore = f[3].children[0].date, let notAfter = f[3].children[1].date,
              f[4].isSequence, f[5].isSequence, f[5].children.count == 2,
              let keyAlg = AlgorithmID(f[5].children[0]), let keyBits = f[5].children[1].bitStringBytes else {
            throw DERError(message: "TBSCertificate fields malformed")
        }
        guard innerAlg.oid == sigAlg.oid else {
            throw DERError(message: "the inner and outer signature algorithms differ (\(innerAlg.oid) vs \(sigAlg.oid))")
        }
        self.serial = serial
        issuerDER = Array(f[2].encodedBytes)
        subjectDER = Array(f[4].encodedBytes)
        issuer = try? DistinguishedName(derEncoded: f[2])
        subject = try? DistinguishedName(derEncoded: f[4])
        self.notBefore = notBefore
        self.notAfter = notAfter
        spki = Array(f[5].encodedBytes)
        keyAlgorithm = keyAlg
        self.keyBits = Array(keyBits)
        for field in f.dropFirst(6) where field.isContext(3) {
            guard let list = field.children.first, list.isSequence else { throw DERError(message: "extensions malformed") }
            for node in list.children {
                guard let ext = try? Certificate.Extension(derEncoded: node) else { throw DERError(message: "an extension is malformed") }
                extensions.append(ext)
            }
        }
    }

    var isSelfIssued: Bool { issuerDER == subjectDER }

    func extensionValue(_ oid: ASN1ObjectIdentifier) -> Certificate.Extension? { extensions.first { $0.oid == oid } }

    var basicConstraints: BasicConstraints? {
        extensionValue(.X509ExtensionID.basicConstraints).flatMap { try? BasicConstraints($0) }
    }

    var isCA: Bool {
        if case .isCertificateAuthority = basicConstraints { return true }
        return false
    }

    var keyUsage: KeyUsage? { extensionValue(.X509ExtensionID.keyUsage).flatMap { try? KeyUsage($0) } }

    /// The EKU OIDs as dotted strings (nil when the extension is absent or unreadable).
    var extendedKeyUsages: [String]? {
        guard let ext = extensionValue(.X509ExtensionID.extendedKeyUsage), let eku = try? ExtendedKeyUsage(ext) else { return nil }
        return eku.map { ASN1ObjectIdentifier($0).description }
    }

    var subjectKeyIdentifier: [UInt8]? {
        extensionValue(.X509ExtensionID.subjectKeyIdentifier).flatMap { try? SubjectKeyIdentifier($0) }.map { Array($0.keyIdentifier) }
    }

    var authorityKeyIdentifier: [UInt8]? {
        extensionValue(.X509ExtensionID.authorityKeyIdentifier).flatMap { try? AuthorityKeyIdentifier($0) }?.keyIdentifier.map(Array.init)
    }

    func attribute(_ type: ASN1ObjectIdentifier, in name: DistinguishedName?) -> String? {
        guard let name else { return nil }
        for rdn in name {
            for attribute in rdn where attribute.type == type { return attribute.value.description }
        }
        return nil
    }

    var subjectOrganization: String? { attribute(.RDNAttributeType.organizationName, in: subject) }
    var subjectCommonName: String? { attribute(.RDNAttributeType.commonName, in: subject) }
    var subjectDescription: String { subject?.description ?? "(unreadable subject)" }
    var issuerDescription: String { issuer?.description ?? "(unreadable issuer)" }
    var serialHex: String { serial.map { String(format: "%02x", $0) }.joined() }

    func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }

    /// Reads every certificate of a PEM bundle; returns the readable ones and a count of
    /// the others (kept separate so one odd anchor does not void the whole bundle).
    static func fromPEMBundle(_ pem: [UInt8]) -> (certificates: [C2PACertificate], unreadable: Int) {
        let text = String(decoding: pem, as: UTF8.self)
        var certificates: [C2PACertificate] = []
        var unreadable = 0
        let begin = "-----BEGIN CERTIFICATE-----"
        let end = "-----END CERTIFICATE-----"
        var rest = Substring(text)
        while let start = rest.range(of: begin) {
            guard let stop = rest.range(of: end, range: start.upperBound..<rest.endIndex) else {
                unreadable += 1
                break
            }
            let body = rest[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
            if let der = Data(base64Encoded: String(body)), let cert = try? C2PACertificate(der: Array(der)) {
                certificates.append(cert)
            } else {
                unreadable += 1
            }
            rest = rest[stop.upperBound...]
        }
        return (certificates, unreadable)
    }
}
