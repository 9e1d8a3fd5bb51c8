import SwiftASN1
import X509

/// The C2PA claim-signer certificate profile (C2PA §14.5, spec §5). Any violation makes
/// the credential `signingCredential.invalid`; each is named for the report.
enum C2PACertificateProfile {
    /// Extensions a validator understands, so they may be critical.
    static let handledCritical: Set<String> = [
        "2.5.29.19",  // basicConstraints
        "2.5.29.15",  // keyUsage
        "2.5.29.37",  // extKeyUsage
        "2.5.29.17",  // subjectAltName
        "2.5.29.35",  // authorityKeyIdentifier
        "2.5.29.14",  // subjectKeyIdentifier
        "2.5.29.32",  // certificatePolicies
        "2.5.29.30",  // nameConstraints
        "2.5.29.36",  // policyConstraints
    ]

    static func violations(signer cert: C2PACertificate, allowed: C2PAAllowedEKUs) -> [String] {
        var problems: [String] = []
        if cert.version != 3 { problems.append("X.509 v\(cert.version), not v3") }
        if C2PASignatureScheme(algorithm: cert.signatureAlgorithm) == nil {
            problems.append("certificate signed with \(cert.signatureAlgorithm.oid), not RSA-SHA2, ECDSA-SHA2, RSASSA-PSS or Ed25519")
        }
        do {
            _ = try C2PAPublicKey(cert)
        } catch {
            problems.append(error.message)
        }
        if cert.isCA && cert.isSelfIssued { problems.append("a self-signed CA certificate signs the claim") }
        if cert.authorityKeyIdentifier == nil && !cert.isSelfIssued { problems.append("no authority key identifier") }
        if cert.isCA && cert.subjectKeyIdentifier == nil { problems.append("a CA certificate without a subject key identifier") }
        if let usage = cert.keyUsage {
            if !(usage.digitalSignature || usage.nonRepudiation) {
                problems.append("key usage allows neither digitalSignature nor nonRepudiation")
            }
            if usage.keyCertSign && !cert.isCA { problems.append("keyCertSign on a certificate that is not a CA") }
        } else {
            problems.append("no key usage extension")
        }
        let critical = cert.extensions.filter { $0.critical && !handledCritical.contains($0.oid.description) }
        if !critical.isEmpty {
            problems.append("unhandled critical extension(s) \(critical.map(\.oid.description).joined(separator: ", "))")
        }
        problems += ekuViolations(cert.extendedKeyUsages, allowed: allowed)
        return problems
    }

    static func ekuViolations(_ ekus: [String]?, allowed: C2PAAllowedEKUs) -> [String] {
        guard let ekus, !ekus.isEmpty else { return ["no extended key usage"] }
        var problems: [String] = []
        if ekus.contains(C2PAAllowedEKUs.anyExtendedKeyUsage) { problems.append("extended key usage 'any'") }
        if !ekus.contains(where: allowed.oids.contains) {
            problems.append("extended key usages \(ekus.joined(separator: ", ")) include none of the allowed \(allowed.oids.joined(separator: ", "))")
        }
        for special in [C2PAAllowedEKUs.timeStamping, C2PAAllowedEKUs.ocspSigning] where ekus.contains(special) && ekus.count > 1 {
            problems.append("\(special) must be the only extended key usage when present")
        }
        return problems
    }
}
