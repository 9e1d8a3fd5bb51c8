import Crypto
import ImprintBytes

/// The Merkle tree hash of RFC 6962 §2.1 over an exhibit's files, so that one 32-byte
/// root in the custody log commits to every (path, size, SHA-256) the exhibit holds.
///
/// leaf = SHA-256(0x00 ‖ enc(path) ‖ enc(size) ‖ sha256), node = SHA-256(0x01 ‖ L ‖ R),
/// the leaves sorted by path bytes, split at the largest power of two below n.
/// The root of zero leaves is SHA-256 of the empty string (RFC 6962).
public enum MerkleTree {
    public struct Leaf: Sendable {
        public var path: [UInt8]
        public var size: Int64
        public var sha256: [UInt8]
        public init(path: [UInt8], size: Int64, sha256: [UInt8]) {
            self.path = path
            self.size = size
            self.sha256 = sha256
        }
    }

    public static func leafHash(_ leaf: Leaf) -> [UInt8] {
        var bytes: [UInt8] = [0x00]
        CanonicalEncoding.append(leaf.path, to: &bytes)
        CanonicalEncoding.append(leaf.size, to: &bytes)
        bytes.append(contentsOf: leaf.sha256)
        return Array(SHA256.hash(data: bytes))
    }

    /// The root over `leaves`, which are sorted here by path bytes.
    public static func root(_ leaves: [Leaf]) -> [UInt8] {
        let sorted = leaves.sorted { $0.path.lexicographicallyPrecedes($1.path) }
        return root(ofLeafHashes: sorted.map(leafHash))
    }

    /// RFC 6962 MTH over already-hashed leaves, in order. Iterative-recursive split keeps
    /// the stack depth at log2(n).
    public static func root(ofLeafHashes hashes: [[UInt8]]) -> [UInt8] {
        if hashes.isEmpty { return Array(SHA256.hash(data: [UInt8]())) }
        return subtreeRoot(hashes[...])
    }

    private static func subtreeRoot(_ hashes: ArraySlice<[UInt8]>) -> [UInt8] {
        if hashes.count == 1, let only = hashes.first { return only }
        var split = 1
        while split * 2 < hashes.count { split *= 2 }
        let middle = hashes.startIndex + split
        let left = subtreeRoot(hashes[hashes.startIndex..<middle])
        let right = subtreeRoot(hashes[middle...])
        var bytes: [UInt8] = [0x01]
        bytes.append(contentsOf: left)
        bytes.append(contentsOf: right)
        return Array(SHA256.hash(data: bytes))
    }
}
