import ArgumentParser
import Foundation
import ImprintSimilarity

/// Hidden benchmark mode behind scripts/bench-similarity.sh (SIMILARITY spec §7). It
/// lives in the shipped binary so the numbers are measured on the exact code examiners
/// run; it touches no case and no evidence.
struct BenchSimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-similarity",
        abstract: "Benchmark PDQ clustering and radius queries on synthetic codes.",
        shouldDisplay: false)

    enum Phase: String, ExpressibleByArgument { case cluster, query }

    @Option(help: "cluster: cluster all codes; query: radius queries against them.")
    var phase: Phase = .cluster

    @Option(help: "Total synthetic codes.")
    var count: Int = 1_000_000

    @Option(help: "Planted near-duplicate families (members 2–6, 1–24 bits from their base).")
    var families: Int = 50_000

    @Option(help: "Radius queries (query phase).")
    var queries: Int = 10_000

    @Option(help: "Radius / threshold.")
    var radius: Int = 31

    @Option(help: "Worker threads.")
    var workers: Int = 2

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    func validate() throws {
        guard count > 0, families >= 0, families * 6 <= count else { throw ValidationError("need count ≥ 6 × families") }
        guard (0...PDQMultiIndex.maximumRadius).contains(radius) else { throw ValidationError("--radius must be 0…63") }
        guard (1...64).contains(workers), queries >= 0 else { throw ValidationError("bad --workers or --queries") }
    }

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let (entries, plantedMembers) = SyntheticPDQ.make(count: count, families: families, seed: seed)
        Console.out("generated \(entries.count) codes (\(families) families, \(plantedMembers) planted members) in \(clock.now - start)")
        switch phase {
        case .cluster:
            let t0 = clock.now
            let result = NearDuplicateClustering.run(entries, threshold: radius, workers: workers)
            let elapsed = clock.now - t0
            let clustered = result.clusters.reduce(0) { $0 + $1.size }
            Console.out("""
                cluster: \(elapsed) method \(result.method.rawValue), \(result.edgeCount) edges, \
                \(result.clusters.count) clusters, \(clustered) clustered files, \
                \(result.candidatesVerified) candidates verified \
                (\(result.candidatesVerified / max(1, result.hashesConsidered)) per query)
                """)
        case .query:
            let t0 = clock.now
            let codes = PDQCodeArray(entries.map(\.hash))
            let index = PDQMultiIndex(codes)
            Console.out("index build: \(clock.now - t0)")
            // Half the queries are perturbed stored codes (they have hits), half noise.
            var rng = SplitMix64(state: seed ^ 0xABCD)
            let qs: [PDQHash] = (0..<queries).map { i in
                if i % 2 == 1 { return PDQHash(limbs: SIMD4(rng.next(), rng.next(), rng.next(), rng.next())) }
                return SyntheticPDQ.flip(codes.hash(at: Int(rng.next() % UInt64(codes.count))), 8, &rng)
            }
            let t1 = clock.now
            let totals = BenchQueries.run(index, qs, radius: radius, workers: workers)
            Console.out("queries: \(queries) at radius \(radius) in \(clock.now - t1): \(totals.hits) hits, "
                        + "\(totals.verified / max(1, queries)) candidates verified per query")
        }
    }
}

/// Runs queries on `workers` threads, summing hits and candidates.
enum BenchQueries {
    final class Totals: @unchecked Sendable {
        // Guarded by `lock`; @unchecked because NSLock is the synchronisation.
        private let lock = NSLock()
        private(set) var hits = 0
        private(set) var verified = 0
        func add(hits h: Int, verified v: Int) { lock.lock(); hits += h; verified += v; lock.unlock() }
    }

    static func run(_ index: PDQMultiIndex, _ queries: [PDQHash], radius: Int, workers: Int) -> Totals {
        let totals = Totals()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var searcher = PDQMultiIndex.Searcher(count: index.count)
            var hits = 0
            for i in stride(from: worker, to: queries.count, by: workers) {
                hits += index.query(queries[i], radius: radius, searcher: &searcher).count
            }
            totals.add(hits: hits, verified: searcher.candidatesVerified)
        }
        return totals
    }
}

/// Uniform random codes with planted families; every code has quality 100.
enum SyntheticPDQ {
    static func make(count: Int, families: Int, seed: UInt64) -> ([PDQEntry], Int) {
        var rng = SplitMix64(state: seed)
        var hashes: [PDQHash] = []
        hashes.reserveCapacity(count)
        for _ in 0..<families {
            let base = PDQHash(limbs: SIMD4(rng.next(), rng.next(), rng.next(), rng.next()))
            hashes.append(base)
            for _ in 0..<(1 + Int(rng.next() % 5)) { hashes.append(flip(base, 1 + Int(rng.next() % 24), &rng)) }
        }
        let planted = hashes.count
        while hashes.count < count { hashes.append(PDQHash(limbs: SIMD4(rng.next(), rng.next(), rng.next(), rng.next()))) }
        hashes.shuffle(using: &rng)
        return (hashes.enumerated().map { PDQEntry(fileID: Int64($0.offset + 1), hash: $0.element, quality: 100) }, planted)
    }

    static func flip(_ hash: PDQHash, _ flips: Int, _ rng: inout SplitMix64) -> PDQHash {
        var limbs = hash.limbs
        var done = 0
        while done < flips {
            let bit = Int(rng.next() % 256)
            let mask: UInt64 = 1 << UInt64(bit & 63)
            // Only flip bits not flipped yet, so the distance is exactly `flips`.
            if (limbs[bit >> 6] ^ hash.limbs[bit >> 6]) & mask == 0 { limbs[bit >> 6] ^= mask; done += 1 }
        }
        return PDQHash(limbs: limbs)
    }
}
