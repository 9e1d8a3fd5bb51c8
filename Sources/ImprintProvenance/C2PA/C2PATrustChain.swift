import Foundation

/// Builds the signer's path from the certificates it shipped (x5chain, or a TSA's CMS
/// certificates) to an anchor the examiner supplied, checking each link's signature.
///
/// Built here, synchronously, from swift-certificates' pieces rather than with its
/// `Verifier`: that one is `async` (analyzers run synchronously on a bounded task pool,
/// where blocking on a task risks starving the pool) and it cannot verify RSASSA-PSS
/// certificate signatures, which the C2PA reference chains use.
enum C2PATrustChain {
    static let maxPathLength = 10

    struct Outcome {
        /// The certificates from the signer upward, as linked by verified signatures.
        var path: [C2PACertificate] = []
        var anchor: C2PACertificate?
        /// A link that no chain may contain (an issuer or anchor that is not a CA, a path
        /// over the limit): reaching an anchor through it is not trust.
        var brokenLink = false
        var trusted: Bool { anchor != nil && !brokenLink }
        /// Why the chain did not reach an anchor, or what is wrong inside it.
        var problems: [String] = []
        /// Certificates of the path (signer first) not valid at the time used.
        var expired: [String] = []
    }

    static func evaluate(chain: [C2PACertificate], anchors: [C2PACertificate], at time: Date) -> Outcome {
        var outcome = Outcome()
        guard let leaf = chain.first else {
            outcome.problems.append("no certificate")
            return outcome
        }
        var current = leaf
        outcome.path = [leaf]
        var remaining = Array(chain.dropFirst())
        while outcome.path.count <= maxPathLength {
            if anchors.contains(where: { $0.der == current.der }) {
                outcome.anchor = current
                break
            }
            if let anchor = anchors.first(where: { issued(current, by: $0) }) {
                if !anchor.isCA {
                    outcome.problems.append("anchor \(anchor.subjectDescription) is not a CA")
                    outcome.brokenLink = true
                }
                outcome.anchor = anchor
                break
            }
            guard let index = remaining.firstIndex(where: { issued(current, by: $0) }) else {
                if current.isSelfIssued {
                    outcome.problems.append("the chain ends at \(current.subjectDescription), which is not among the supplied anchors")
                } else {
                    outcome.problems.append("no supplied anchor or shipped certificate issued \(current.subjectDescription) (issuer \(current.issuerDescription))")
                }
                break
            }
            let issuer = remaining.remove(at: index)
            if !issuer.isCA {
                outcome.problems.append("\(issuer.subjectDescription) issues certificates but is not a CA")
                outcome.brokenLink = true
            }
            outcome.path.append(issuer)
            current = issuer
        }
        if outcome.path.count > maxPathLength {
            outcome.problems.append("path longer than \(maxPathLength)")
            outcome.brokenLink = true
        }
        for cert in outcome.path where !cert.isValid(at: time) {
            outcome.expired.append(cert.subjectDescription)
        }
        return outcome
    }

    /// Whether `issuer` named and signed `cert` (names compared as encoded, signature checked).
    static func issued(_ cert: C2PACertificate, by issuer: C2PACertificate) -> Bool {
        guard cert.issuerDER == issuer.subjectDER,
              let scheme = C2PASignatureScheme(algorithm: cert.signatureAlgorithm),
              let key = try? C2PAPublicKey(issuer) else { return false }
        return key.verify(cert.signature, over: cert.tbs, scheme: scheme)
    }
}
