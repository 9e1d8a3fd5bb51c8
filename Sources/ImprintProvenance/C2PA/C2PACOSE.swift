import ImprintBytes

/// The COSE algorithms C2PA allows for claim signatures (spec §4, RFC 9053).
enum C2PACOSEAlgorithm: Int64, Sendable {
    case es256 = -7, es384 = -35, es512 = -36
    case ps256 = -37, ps384 = -38, ps512 = -39
    case ed25519 = -8

    var name: String {
        switch self {
        case .es256: return "ES256"
        case .es384: return "ES384"
        case .es512: return "ES512"
        case .ps256: return "PS256"
        case .ps384: return "PS384"
        case .ps512: return "PS512"
        case .ed25519: return "Ed25519"
        }
    }

    /// COSE ECDSA signatures are raw r‖s (P1363), not DER.
    var scheme: C2PASignatureScheme {
        switch self {
        case .es256: return .ecdsa(.sha256, der: false)
        case .es384: return .ecdsa(.sha384, der: false)
        case .es512: return .ecdsa(.sha512, der: false)
        case .ps256: return .rsaPSS(.sha256)
        case .ps384: return .rsaPSS(.sha384)
        case .ps512: return .rsaPSS(.sha512)
        case .ed25519: return .ed25519
        }
    }

    /// Whether the key type fits the algorithm (ES256 needs P-256, and so on).
    func fits(_ key: C2PAPublicKey) -> Bool {
        switch (self, key) {
        case (.es256, .p256), (.es384, .p384), (.es512, .p521), (.ps256, .rsa), (.ps384, .rsa), (.ps512, .rsa),
             (.ed25519, .ed25519): return true
        default: return false
        }
    }
}

/// A `c2pa.signature` COSE_Sign1 (tag 18, `[protected bstr, unprotected map, nil,
/// signature]`, detached payload = the claim bytes).
struct C2PACOSESign1: Sendable {
    static let maxCertificates = 10
    static let maxTokens = 16

    /// The protected header's bstr exactly as encoded in the file (header byte(s)
    /// included): it goes into Sig_structure verbatim, never re-encoded.
    var protectedEncoded: [UInt8]
    var protectedHeader: CBORItem?
    var unprotected: CBORItem?
    var signature: [UInt8]
    var algorithmValue: Int64?
    var algorithm: C2PACOSEAlgorithm?
    /// DER certificates, end-entity first.
    var x5chain: [[UInt8]] = []
    /// Time-stamp tokens and whether they are `sigTst2` (v2 countersignature payload).
    var timeStampTokens: [[UInt8]] = []
    var timeStampV2 = false
    var ocspResponses: [[UInt8]] = []
    /// Structural problems found while reading (reported as the claim signature failing).
    var problems: [String] = []

    struct Invalid: Error, Sendable { var message: String }

    static func read(_ bytes: [UInt8]) throws(Invalid) -> C2PACOSESign1 {
        let root: CBORItem
        do {
            root = try C2PACBOR.decode(bytes, range: 0..<bytes.count)
        } catch {
            throw Invalid(message: "COSE_Sign1 CBOR: \(error.message)")
        }
        if case .tagged(let tag, _) = root.value, tag != 18 { throw Invalid(message: "COSE tag \(tag), not 18 (COSE_Sign1)") }
        guard let parts = root.untagged.array, parts.count == 4 else { throw Invalid(message: "COSE_Sign1 is not a 4-element array") }
        guard let protectedContent = parts[0].byteString else { throw Invalid(message: "protected header is not a byte string") }
        guard let signature = parts[3].byteString else { throw Invalid(message: "signature is not a byte string") }
        guard case .map = parts[1].value else { throw Invalid(message: "unprotected header is not a map") }
        if parts[2].value != .null && parts[2].byteString != [] {
            // C2PA's payload is detached; an attached payload is not what was signed.
            throw Invalid(message: "COSE payload is attached, not nil")
        }
        var sign1 = C2PACOSESign1(protectedEncoded: Array(bytes[parts[0].range]), unprotected: parts[1], signature: signature)
        if !protectedContent.isEmpty {
            do {
                sign1.protectedHeader = try C2PACBOR.decode(protectedContent, range: 0..<protectedContent.count)
            } catch {
                throw Invalid(message: "protected header CBOR: \(error.message)")
            }
        }
        sign1.algorithmValue = sign1.protectedHeader?[intKey: 1]?.integerValue
        sign1.algorithm = sign1.algorithmValue.flatMap(C2PACOSEAlgorithm.init(rawValue:))
        sign1.readCertificates()
        sign1.readUnprotected()
        return sign1
    }

    private mutating func readCertificates() {
        let inProtected = protectedHeader?[intKey: 33]
        let inUnprotected = unprotected?[intKey: 33] ?? unprotected?["x5chain"]
        if inProtected != nil && inUnprotected != nil { problems.append("x5chain in both the protected and unprotected headers") }
        guard let chain = inProtected ?? inUnprotected else { return }
        let items = chain.array ?? [chain]
        if items.count > Self.maxCertificates { problems.append("x5chain holds \(items.count) certificates, more than \(Self.maxCertificates)") }
        for item in items.prefix(Self.maxCertificates) {
            guard let der = item.byteString else {
                problems.append("an x5chain entry is not a byte string")
                continue
            }
            x5chain.append(der)
        }
    }

    private mutating func readUnprotected() {
        guard let unprotected else { return }
        let v1 = unprotected["sigTst"]
        let v2 = unprotected["sigTst2"]
        timeStampV2 = v1 == nil && v2 != nil
        for holder in [v1, v2].compactMap({ $0 }) {
            for token in (holder["tstTokens"]?.array ?? []).prefix(Self.maxTokens) {
                if let value = token["val"]?.byteString { timeStampTokens.append(value) }
            }
        }
        for response in (unprotected["rVals"]?["ocspVals"]?.array ?? []).prefix(Self.maxTokens) {
            if let der = response.byteString { ocspResponses.append(der) }
        }
    }

    /// RFC 9052 Sig_structure `["Signature1", protected, h'', payload]` for a detached payload.
    func toBeSigned(claim: [UInt8]) -> [UInt8] {
        [0x84] + C2PACBOR.text("Signature1") + protectedEncoded + [0x40] + C2PACBOR.byteStringHeader(claim.count) + claim
    }

    /// What a C2PA time stamp covers (spec §5): `["CounterSignature", protected, h'', X]`,
    /// X = the claim bytes (`sigTst`) or the CBOR byte-string encoding of the signature (`sigTst2`).
    func timeStampedContent(claim: [UInt8]) -> [UInt8] {
        let payload = timeStampV2 ? C2PACBOR.byteStringHeader(signature.count) + signature : claim
        return [0x84] + C2PACBOR.text("CounterSignature") + protectedEncoded + [0x40]
            + C2PACBOR.byteStringHeader(payload.count) + payload
    }
}
