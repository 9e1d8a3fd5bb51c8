import XCTest
@testable import ImprintSimilarity

final class ClusteringTests: XCTestCase {
    private func entry(_ id: Int64, _ hash: PDQHash, quality: Int = 100) -> PDQEntry {
        PDQEntry(fileID: id, hash: hash, quality: quality)
    }

    /// Bits [from, from+count) set.
    private func bits(_ from: Int, _ count: Int, on base: PDQHash) -> PDQHash {
        var limbs = base.limbs
        for k in from..<(from + count) { limbs[k >> 6] ^= 1 << UInt64(k & 63) }
        return PDQHash(limbs: limbs)
    }

    func testUnionFindPartition() {
        var sets = UnionFind(count: 6)
        sets.union(0, 1); sets.union(3, 4); sets.union(1, 4)
        XCTAssertEqual(sets.find(0), sets.find(3))
        XCTAssertNotEqual(sets.find(0), sets.find(2))
        XCTAssertEqual(sets.setSize(of: 4), 4)
        XCTAssertEqual(sets.setSize(of: 5), 1)
    }

    /// Spec §8 chain fixture: d(A,B) = d(B,C) = 30, d(A,C) = 60 → one cluster, diameter
    /// 60, not flagged; a 4-chain of diameter 90 is flagged chained.
    func testChainFixturesDiameterAndChainedFlag() {
        var rng = SeededGenerator(state: 5)
        let a = PlantedCodes.random(&rng)
        let b = bits(0, 30, on: a), c = bits(30, 30, on: b)
        let threeChain = NearDuplicateClustering.run([entry(10, a), entry(11, b), entry(12, c)])
        XCTAssertEqual(threeChain.clusters.count, 1)
        XCTAssertEqual(threeChain.clusters[0].members, [10, 11, 12])
        XCTAssertEqual(threeChain.clusters[0].diameter, 60)
        XCTAssertTrue(threeChain.clusters[0].diameterExact)
        XCTAssertFalse(threeChain.clusters[0].chained)
        XCTAssertEqual(threeChain.clusters[0].medoid, 11)
        XCTAssertEqual(threeChain.clusters[0].edgeCount, 2)
        XCTAssertEqual(threeChain.clusters[0].maxEdge, 30)

        let d = bits(60, 30, on: c)
        let fourChain = NearDuplicateClustering.run([entry(1, a), entry(2, b), entry(3, c), entry(4, d)])
        XCTAssertEqual(fourChain.clusters.count, 1)
        XCTAssertEqual(fourChain.clusters[0].diameter, 90)
        XCTAssertTrue(fourChain.clusters[0].chained)
    }

    func testLowQualityAndZeroHashesAreExcludedNeverClustered() {
        var rng = SeededGenerator(state: 8)
        let a = PlantedCodes.random(&rng)
        let result = NearDuplicateClustering.run([
            entry(1, a), entry(2, bits(0, 3, on: a)), entry(3, bits(5, 2, on: a), quality: 49),
            entry(4, .zero), entry(5, .zero), entry(6, a, quality: 50),
        ])
        XCTAssertEqual(result.clusters.map(\.members), [[1, 2, 6]])
        XCTAssertEqual(result.excluded.map(\.fileID), [3, 4, 5])
        XCTAssertEqual(result.excluded.map(\.reason), [.lowQuality, .zeroHash, .zeroHash])
        XCTAssertEqual(result.hashesConsidered, 3)
    }

    /// Families planted far apart come back as exactly those clusters, ordered by size
    /// then smallest id, identically under shuffled input and any worker count, and with
    /// the large-N multi-index path agreeing with the small-N linear path.
    func testPlantedFamiliesDeterministicAcrossOrderWorkersAndMethod() {
        var rng = SeededGenerator(state: 21)
        var entries: [PDQEntry] = []
        var id: Int64 = 1
        var expected: [[Int64]] = []
        for family in 0..<300 {
            let base = PlantedCodes.random(&rng)
            var members: [Int64] = []
            for member in 0..<(2 + family % 4) {
                entries.append(entry(id, member == 0 ? base : PlantedCodes.flip(base, 1 + (member * 7) % 15, &rng)))
                members.append(id); id += 1
            }
            expected.append(members)
        }
        for _ in 0..<21_000 { entries.append(entry(id, PlantedCodes.random(&rng))); id += 1 }
        expected.sort { ($0.count, -$0[0]) > ($1.count, -$1[0]) }

        let big = NearDuplicateClustering.run(entries, workers: 2)
        XCTAssertEqual(big.method, .multiIndex)
        XCTAssertEqual(big.clusters.map(\.members), expected)
        XCTAssertEqual(big.clusters.map(\.number), Array(1...expected.count))
        var shuffled = entries
        shuffled.shuffle(using: &rng)
        XCTAssertEqual(NearDuplicateClustering.run(shuffled, workers: 1).clusters, big.clusters)

        // The same families without most of the noise go down the linear path.
        let small = NearDuplicateClustering.run(Array(entries.prefix(2_000)), workers: 3)
        XCTAssertEqual(small.method, .linear)
        XCTAssertEqual(small.clusters, big.clusters.filter { $0.members.allSatisfy { $0 <= 2_000 } }
            .enumerated().map { var c = $0.element; c.number = $0.offset + 1; return c })
    }
}
