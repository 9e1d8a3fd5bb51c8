import XCTest
@testable import ImprintSimilarity

/// The deterministic generator, so failures reproduce.
typealias SeededGenerator = SplitMix64

enum PlantedCodes {
    static func random(_ rng: inout SeededGenerator) -> PDQHash {
        PDQHash(limbs: SIMD4(rng.next(), rng.next(), rng.next(), rng.next()))
    }

    /// `hash` with exactly `flips` distinct bits flipped.
    static func flip(_ hash: PDQHash, _ flips: Int, _ rng: inout SeededGenerator) -> PDQHash {
        var bits = Set<Int>()
        while bits.count < flips { bits.insert(Int(rng.next() % 256)) }
        var limbs = hash.limbs
        for bit in bits { limbs[bit >> 6] ^= 1 << UInt64(bit & 63) }
        return PDQHash(limbs: limbs)
    }

    /// Random codes plus families of near-duplicates at controlled distances, some
    /// sitting exactly on the slot boundaries (15/16, 31/32, 47/48) the pigeonhole uses.
    static func haystack(seed: UInt64, randomCount: Int, families: Int) -> [PDQHash] {
        var rng = SeededGenerator(state: seed)
        var out = (0..<randomCount).map { _ in random(&rng) }
        let distances = [0, 1, 2, 7, 15, 16, 17, 30, 31, 32, 33, 46, 47, 48, 62, 63, 64]
        for family in 0..<families {
            let base = random(&rng)
            out.append(base)
            for member in 0..<4 { out.append(flip(base, distances[(family + member * 5) % distances.count], &rng)) }
            // Flips concentrated in one word stress a single slot.
            var limbs = base.limbs
            limbs[0] ^= UInt64(rng.next() & 0xFFFF)
            out.append(PDQHash(limbs: limbs))
        }
        var shuffled = out
        shuffled.shuffle(using: &rng)
        return shuffled
    }
}

final class MultiIndexTests: XCTestCase {
    func testMultiIndexEqualsBruteForceOnPlantedFamilies() {
        let hashes = PlantedCodes.haystack(seed: 7, randomCount: 3_000, families: 200)
        let codes = PDQCodeArray(hashes)
        let index = PDQMultiIndex(codes)
        var searcher = PDQMultiIndex.Searcher(count: codes.count)
        var rng = SeededGenerator(state: 99)
        // Queries: stored codes (their families), perturbed stored codes, and pure noise.
        var queries = (0..<150).map { hashes[$0 * 7 % hashes.count] }
        queries += (0..<100).map { PlantedCodes.flip(hashes[$0 * 13 % hashes.count], $0 % 40, &rng) }
        queries += (0..<20).map { _ in PlantedCodes.random(&rng) }
        var nonTrivial = 0
        for radius in [0, 1, 15, 16, 31, 32, 47, 63] {
            for q in queries {
                let expected = PDQLinearScan.query(codes, q, radius: radius)
                let actual = index.query(q, radius: radius, searcher: &searcher)
                XCTAssertEqual(actual, expected, "radius \(radius), query \(q.hex)")
                if expected.count > 1 { nonTrivial += 1 }
            }
        }
        XCTAssertGreaterThan(nonTrivial, 200, "the planted families must actually produce multi-hit queries")
    }

    func testMinimumRowSkipsEarlierRowsInBothPaths() {
        let hashes = PlantedCodes.haystack(seed: 3, randomCount: 500, families: 50)
        let codes = PDQCodeArray(hashes)
        let index = PDQMultiIndex(codes)
        var searcher = PDQMultiIndex.Searcher(count: codes.count)
        for row in stride(from: 0, to: codes.count, by: 11) {
            let q = codes.hash(at: row)
            XCTAssertEqual(index.query(q, radius: 31, minimumRow: row + 1, searcher: &searcher),
                           PDQLinearScan.query(codes, q, radius: 31, minimumRow: row + 1))
        }
    }

    func testNeighbourMaskCountsMatchTheSpecTable() {
        XCTAssertEqual(NeighbourMasks.upToWeight(0).count, 1)
        XCTAssertEqual(NeighbourMasks.upToWeight(1).count, 17)
        XCTAssertEqual(NeighbourMasks.upToWeight(2).count, 137)
        XCTAssertEqual(NeighbourMasks.upToWeight(3).count, 697)
        XCTAssertTrue(NeighbourMasks.upToWeight(3).allSatisfy { $0.nonzeroBitCount <= 3 })
    }

    func testEmptyIndexAndMethodChoice() {
        let index = PDQMultiIndex(PDQCodeArray())
        var searcher = PDQMultiIndex.Searcher(count: 0)
        XCTAssertEqual(index.query(.zero, radius: 31, searcher: &searcher), [])
        XCTAssertEqual(PDQSearchMethod.choose(count: 1_000_000, radius: 31), .multiIndex)
        XCTAssertEqual(PDQSearchMethod.choose(count: 1_000_000, radius: 48), .linear)
        XCTAssertEqual(PDQSearchMethod.choose(count: 100, radius: 31), .linear)
    }
}
