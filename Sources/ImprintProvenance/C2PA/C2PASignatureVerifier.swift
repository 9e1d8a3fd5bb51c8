import Crypto
import Foundation
import _CryptoExtras
import SwiftASN1

/// A public key from a certificate, in swift-crypto's types. Only the safe initialisers
/// are used: RSA keys under 2048 bits are refused (and the credential reported invalid).
enum C2PAPublicKey {
    case p256(P256.Signing.PublicKey)
    case p384(P384.Signing.PublicKey)
    case p521(P521.Signing.PublicKey)
    case rsa(_RSA.Signing.PublicKey)
    case ed25519(Curve25519.Signing.PublicKey)

    static let ecPublicKey = "1.2.840.10045.2.1"
    static let rsaEncryption = "1.2.840.113549.1.1.1"
    static let rsassaPSS = "1.2.840.113549.1.1.10"
    static let ed25519OID = "1.3.101.112"

    init(_ certificate: C2PACertificate) throws(DERError) {
        do {
            switch certificate.keyAlgorithm.oid {
            case Self.ecPublicKey:
                switch certificate.keyAlgorithm.parameters?.oid {
                case "1.2.840.10045.3.1.7": self = .p256(try P256.Signing.PublicKey(derRepresentation: certificate.spki))
                case "1.3.132.0.34": self = .p384(try P384.Signing.PublicKey(derRepresentation: certificate.spki))
                case "1.3.132.0.35": self = .p521(try P521.Signing.PublicKey(derRepresentation: certificate.spki))
                case let curve: throw DERError(message: "EC curve \(curve ?? "unnamed") is not P-256, P-384 or P-521")
                }
            case Self.rsaEncryption, Self.rsassaPSS:
                // swift-crypto strips RSASSA-PSS SPKI parameters itself; under 2048 bits it throws.
                self = .rsa(try _RSA.Signing.PublicKey(derRepresentation: certificate.spki))
            case Self.ed25519OID:
                self = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: certificate.keyBits))
            default:
                throw DERError(message: "public key algorithm \(certificate.keyAlgorithm.oid) is not allowed for C2PA")
            }
        } catch let error as DERError {
            throw error
        } catch {
            throw DERError(message: "public key unreadable or too weak: \(error)")
        }
    }

    var description: String {
        switch self {
        case .p256: return "EC P-256"
        case .p384: return "EC P-384"
        case .p521: return "EC P-521"
        case .rsa(let key): return "RSA \(key.keySizeInBits)"
        case .ed25519: return "Ed25519"
        }
    }

    /// Verifies `signature` over `data` under `scheme`. Any mismatch of key and scheme, or
    /// a signature of the wrong length or encoding, is simply `false`.
    func verify(_ signature: [UInt8], over data: [UInt8], scheme: C2PASignatureScheme) -> Bool {
        switch (self, scheme) {
        case (.p256(let key), .ecdsa(let hash, let der)):
            guard let sig = try? (der ? P256.Signing.ECDSASignature(derRepresentation: signature)
                                      : P256.Signing.ECDSASignature(rawRepresentation: signature)) else { return false }
            return Self.withDigest(hash, data) { key.isValidSignature(sig, for: $0) }
        case (.p384(let key), .ecdsa(let hash, let der)):
            guard let sig = try? (der ? P384.Signing.ECDSASignature(derRepresentation: signature)
                                      : P384.Signing.ECDSASignature(rawRepresentation: signature)) else { return false }
            return Self.withDigest(hash, data) { key.isValidSignature(sig, for: $0) }
        case (.p521(let key), .ecdsa(let hash, let der)):
            guard let sig = try? (der ? P521.Signing.ECDSASignature(derRepresentation: signature)
                                      : P521.Signing.ECDSASignature(rawRepresentation: signature)) else { return false }
            return Self.withDigest(hash, data) { key.isValidSignature(sig, for: $0) }
        case (.rsa(let key), .rsaPSS(let hash)):
            // swift-crypto's PSS: MGF1 with the same hash, salt length = digest length,
            // exactly what COSE PS256/384/512 (RFC 8230) and the C2PA profile require.
            let sig = _RSA.Signing.RSASignature(rawRepresentation: signature)
            return Self.withDigest(hash, data) { key.isValidSignature(sig, for: $0, padding: .PSS) }
        case (.rsa(let key), .rsaPKCS1(let hash)):
            let sig = _RSA.Signing.RSASignature(rawRepresentation: signature)
            return Self.withDigest(hash, data) { key.isValidSignature(sig, for: $0, padding: .insecurePKCS1v1_5) }
        case (.ed25519(let key), .ed25519):
            return key.isValidSignature(signature, for: data)
        default:
            return false
        }
    }

    private static func withDigest(_ hash: C2PAHashAlgorithm, _ data: [UInt8], _ check: (any Digest) -> Bool) -> Bool {
        switch hash {
        case .sha256: return check(SHA256.hash(data: data))
        case .sha384: return check(SHA384.hash(data: data))
        case .sha512: return check(SHA512.hash(data: data))
        }
    }
}

/// How a signature is formed.
enum C2PASignatureScheme: Sendable, Equatable {
    /// ECDSA with `hash`; `der` for X.509/CMS signatures, raw r‖s (IEEE P1363) for COSE.
    case ecdsa(C2PAHashAlgorithm, der: Bool)
    case rsaPSS(C2PAHashAlgorithm)
    case rsaPKCS1(C2PAHashAlgorithm)
    case ed25519

    static let sha256OID = "2.16.840.1.101.3.4.2.1"
    static let sha384OID = "2.16.840.1.101.3.4.2.2"
    static let sha512OID = "2.16.840.1.101.3.4.2.3"

    static func hash(oid: String?) -> C2PAHashAlgorithm? {
        switch oid {
        case sha256OID: return .sha256
        case sha384OID: return .sha384
        case sha512OID: return .sha512
        default: return nil
        }
    }

    /// The scheme of an X.509/CMS/OCSP signature AlgorithmIdentifier; nil when C2PA does
    /// not allow it (SHA-1, MD5, PSS with other salt lengths, …).
    /// `digest` is the CMS SignerInfo digest algorithm, for a bare `rsaEncryption`.
    init?(algorithm: AlgorithmID, digest: C2PAHashAlgorithm? = nil) {
        switch algorithm.oid {
        case "1.2.840.10045.4.3.2": self = .ecdsa(.sha256, der: true)
        case "1.2.840.10045.4.3.3": self = .ecdsa(.sha384, der: true)
        case "1.2.840.10045.4.3.4": self = .ecdsa(.sha512, der: true)
        case "1.2.840.113549.1.1.11": self = .rsaPKCS1(.sha256)
        case "1.2.840.113549.1.1.12": self = .rsaPKCS1(.sha384)
        case "1.2.840.113549.1.1.13": self = .rsaPKCS1(.sha512)
        case C2PAPublicKey.rsaEncryption:
            guard let digest else { return nil }
            self = .rsaPKCS1(digest)
        case "1.2.840.10045.2.1":  // CMS signers sometimes name the key type; the digest decides
            guard let digest else { return nil }
            self = .ecdsa(digest, der: true)
        case C2PAPublicKey.ed25519OID: self = .ed25519
        case C2PAPublicKey.rsassaPSS:
            guard let params = algorithm.parameters, let pss = Self.pss(params) else { return nil }
            self = .rsaPSS(pss)
        default: return nil
        }
    }

    /// RSASSA-PSS-params: the hash (SHA-1 by default, not allowed), MGF1 with the same
    /// hash, and a salt as long as the digest (what swift-crypto verifies).
    private static func pss(_ params: ASN1Node) -> C2PAHashAlgorithm? {
        var hash: C2PAHashAlgorithm?
        var salt = 20
        for field in params.children {
            if field.isContext(0) { hash = Self.hash(oid: field.children.first.flatMap(AlgorithmID.init)?.oid) }
            if field.isContext(2), let value = field.children.first?.smallInteger { salt = value }
        }
        guard let hash, salt == hash.digestLength else { return nil }
        return hash
    }
}
