import Foundation

/// One file's PDQ hash as the clustering sees it.
public struct PDQEntry: Sendable, Hashable {
    public var fileID: Int64
    public var hash: PDQHash
    public var quality: Int

    public init(fileID: Int64, hash: PDQHash, quality: Int) {
        self.fileID = fileID
        self.hash = hash
        self.quality = quality
    }
}

/// A near-duplicate group: single linkage at the threshold (SIMILARITY spec §6). An
/// indicator of visual similarity, never a claim that the images are the same.
public struct NearDuplicateCluster: Sendable, Equatable {
    /// 1-based, in the order of spec §6.5: size descending, then smallest member id.
    public var number: Int
    /// File ids, ascending; the first is the cluster id of spec §6.5.
    public var members: [Int64]
    public var medoid: Int64
    /// Distance of each member (same order as `members`) to the medoid.
    public var distancesToMedoid: [Int]
    public var edgeCount: Int
    public var maxEdge: Int
    /// The maximum pairwise distance when `diameterExact`; otherwise the upper bound
    /// 2 × (max distance to medoid), the lower bound being `distancesToMedoid.max()`.
    public var diameter: Int
    public var diameterExact: Bool
    /// The diameter exceeds 2T: single linkage may have chained unrelated images.
    public var chained: Bool

    public var id: Int64 { members[0] }
    public var size: Int { members.count }
}

public struct ExcludedHash: Sendable, Equatable {
    public enum Reason: String, Sendable { case lowQuality = "low-quality", zeroHash = "zero-hash" }
    public var fileID: Int64
    public var quality: Int
    public var reason: Reason
}

public struct NearDuplicateClustering: Sendable {
    /// Bumped when the partition or the statistics could change for the same input.
    public static let algorithmVersion = "pdq-mih-single-linkage/1"
    public static let defaultThreshold = PDQHash.matchThreshold
    /// Exact diameter up to this size (k² popcounts); bounds beyond (spec §6.4).
    public static let exactDiameterLimit = 5_000
    /// Medoid searched over all members up to this size, over the first this-many beyond.
    public static let medoidSampleLimit = 2_000

    public var threshold: Int
    public var hashesConsidered: Int
    public var method: PDQSearchMethod
    /// Only clusters of two or more files; singletons are not near-duplicate groups.
    public var clusters: [NearDuplicateCluster]
    public var excluded: [ExcludedHash]
    public var edgeCount: Int
    public var candidatesVerified: Int

    /// Clusters `entries` at `threshold`. Ineligible hashes (quality < 50 or all-zero,
    /// spec §1) are listed in `excluded` and never clustered. Deterministic: the result
    /// depends neither on input order nor on `workers`.
    public static func run(_ entries: [PDQEntry], threshold: Int = defaultThreshold, workers: Int = 2) -> NearDuplicateClustering {
        precondition((0...PDQHash.bitCount).contains(threshold), "threshold must be 0…256")
        var eligible: [PDQEntry] = []
        var excluded: [ExcludedHash] = []
        for entry in entries {
            if entry.hash.isZero {
                excluded.append(ExcludedHash(fileID: entry.fileID, quality: entry.quality, reason: .zeroHash))
            } else if entry.quality < PDQHash.minimumMatchQuality {
                excluded.append(ExcludedHash(fileID: entry.fileID, quality: entry.quality, reason: .lowQuality))
            } else {
                eligible.append(entry)
            }
        }
        // Rows in file-id order make everything downstream independent of input order.
        eligible.sort { $0.fileID < $1.fileID }
        excluded.sort { $0.fileID < $1.fileID }
        let codes = PDQCodeArray(eligible.map(\.hash))
        let method = PDQSearchMethod.choose(count: codes.count, radius: threshold)
        let (edges, verified) = ForwardEdges.find(codes, radius: threshold, method: method, workers: workers)

        var sets = UnionFind(count: codes.count)
        for edge in edges { sets.union(Int(edge.a), Int(edge.b)) }
        var groups: [Int: [Int]] = [:]
        for row in 0..<codes.count where sets.setSize(of: row) > 1 {
            groups[sets.find(row), default: []].append(row)
        }
        var edgeStats: [Int: (count: Int, max: Int)] = [:]
        for edge in edges {
            let root = sets.find(Int(edge.a))
            let old = edgeStats[root] ?? (0, 0)
            edgeStats[root] = (old.count + 1, max(old.max, Int(edge.distance)))
        }
        let fileIDs = eligible.map(\.fileID)
        var clusters = groups.map { root, rows in
            ClusterStatistics.cluster(rows: rows, codes: codes, fileIDs: fileIDs,
                                      edges: edgeStats[root] ?? (0, 0), threshold: threshold)
        }
        clusters.sort { ($0.size, -$0.id) > ($1.size, -$1.id) }
        for index in clusters.indices { clusters[index].number = index + 1 }
        return NearDuplicateClustering(threshold: threshold, hashesConsidered: codes.count, method: method,
                                       clusters: clusters, excluded: excluded, edgeCount: edges.count,
                                       candidatesVerified: verified)
    }
}

/// An edge (a, b, d) with rows a < b.
struct Edge: Sendable {
    var a: UInt32
    var b: UInt32
    var distance: UInt16
}

/// Stage 2 of spec §6: one radius query per eligible row, keeping only hits on later rows
/// so each edge is found once. Rows are split into fixed chunks whose edge lists are
/// concatenated in chunk order, so the worker count cannot change the output.
enum ForwardEdges {
    static func find(_ codes: PDQCodeArray, radius: Int, method: PDQSearchMethod, workers: Int) -> ([Edge], Int) {
        let index = method == .multiIndex ? PDQMultiIndex(codes) : nil
        let n = codes.count
        let chunkSize = 4_096
        let chunkCount = (n + chunkSize - 1) / chunkSize
        let results = ChunkResults(count: chunkCount)
        let next = ChunkCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, chunkCount))) { _ in
            var searcher = PDQMultiIndex.Searcher(count: index == nil ? 0 : n)
            while let chunk = next.take(limit: chunkCount) {
                var edges: [Edge] = []
                for row in (chunk * chunkSize)..<min(n, (chunk + 1) * chunkSize) {
                    let q = codes.hash(at: row)
                    let hits = index?.query(q, radius: radius, minimumRow: row + 1, searcher: &searcher)
                        ?? PDQLinearScan.query(codes, q, radius: radius, minimumRow: row + 1)
                    for hit in hits {
                        edges.append(Edge(a: UInt32(truncatingIfNeeded: row), b: UInt32(truncatingIfNeeded: hit.row),
                                          distance: UInt16(truncatingIfNeeded: hit.distance)))
                    }
                }
                results.store(chunk, edges)
            }
            results.addVerified(searcher.candidatesVerified)
        }
        return (results.all(), results.verified)
    }
}

/// Hands out chunk numbers to workers.
final class ChunkCounter: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because NSLock is the synchronisation.
    private let lock = NSLock()
    private var next = 0

    func take(limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }
}

/// Per-chunk edge lists filled by the workers.
final class ChunkResults: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because NSLock is the synchronisation.
    private let lock = NSLock()
    private var chunks: [[Edge]]
    private(set) var verified = 0

    init(count: Int) { chunks = Array(repeating: [], count: count) }

    func store(_ chunk: Int, _ edges: [Edge]) {
        lock.lock(); defer { lock.unlock() }
        chunks[chunk] = edges
    }

    func addVerified(_ count: Int) {
        lock.lock(); defer { lock.unlock() }
        verified += count
    }

    func all() -> [Edge] {
        lock.lock(); defer { lock.unlock() }
        return chunks.flatMap { $0 }
    }
}
