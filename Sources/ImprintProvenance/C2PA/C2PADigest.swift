import Crypto
import Foundation

/// The hash algorithms C2PA names in `alg` fields (claim, hashed URIs, bindings).
/// Anything else is `algorithm.unsupported`; imprint never guesses a default.
enum C2PAHashAlgorithm: String, Sendable {
    case sha256, sha384, sha512

    init?(name: String?) {
        guard let name, let alg = C2PAHashAlgorithm(rawValue: name.lowercased()) else { return nil }
        self = alg
    }

    var digestLength: Int {
        switch self {
        case .sha256: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }

    /// The hash of several byte ranges of one buffer, in order, without copying them.
    func hash(_ bytes: [UInt8], ranges: [Range<Int>]) -> [UInt8] {
        switch self {
        case .sha256: return Self.run(SHA256(), bytes, ranges)
        case .sha384: return Self.run(SHA384(), bytes, ranges)
        case .sha512: return Self.run(SHA512(), bytes, ranges)
        }
    }

    func hash(_ bytes: [UInt8]) -> [UInt8] { hash(bytes, ranges: [0..<bytes.count]) }

    private static func run<H: HashFunction>(_ hasher: H, _ bytes: [UInt8], _ ranges: [Range<Int>]) -> [UInt8] {
        var hasher = hasher
        bytes.withUnsafeBytes { raw in
            for range in ranges where range.lowerBound >= 0 && range.upperBound <= raw.count && !range.isEmpty {
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[range]))
            }
        }
        return Array(hasher.finalize())
    }
}
