/// PDQ codes in one contiguous `[UInt64]` with stride 4 (SIMILARITY spec §1), plus the
/// parallel row → caller id array. Contiguity is what makes the linear scan stream and
/// keeps a million codes at 32 MB instead of a million separate allocations.
public struct PDQCodeArray: Sendable {
    public private(set) var limbs: [UInt64] = []
    public private(set) var ids: [UInt32] = []

    public init() {}

    public init(_ hashes: [PDQHash], ids: [UInt32]? = nil) {
        limbs.reserveCapacity(hashes.count * 4)
        for hash in hashes { append(hash, id: 0) }
        self.ids = ids ?? (0..<hashes.count).map { UInt32(truncatingIfNeeded: $0) }
    }

    public var count: Int { ids.count }

    public mutating func append(_ hash: PDQHash, id: UInt32) {
        limbs.append(hash.limbs[0]); limbs.append(hash.limbs[1])
        limbs.append(hash.limbs[2]); limbs.append(hash.limbs[3])
        ids.append(id)
    }

    public func hash(at row: Int) -> PDQHash {
        let base = row * 4
        return PDQHash(limbs: SIMD4(limbs[base], limbs[base + 1], limbs[base + 2], limbs[base + 3]))
    }

    /// Word `slot` (0…15) of row `row`, the MIH bucket key (limb layout of PDQ spec §9).
    @inline(__always)
    func word(row: Int, slot: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: limbs[row * 4 + slot >> 2] >> (UInt64(slot & 3) * 16))
    }
}

/// Distance between a query's limbs and one stored row, with the early exit of spec §1:
/// returns any value > `radius` as soon as the partial sum passes it.
@inline(__always)
func boundedDistance(_ q: SIMD4<UInt64>, _ limbs: UnsafeBufferPointer<UInt64>, row: Int, radius: Int) -> Int {
    let base = row * 4
    var d = (q[0] ^ limbs[base]).nonzeroBitCount + (q[1] ^ limbs[base + 1]).nonzeroBitCount
    if d > radius { return d }
    d += (q[2] ^ limbs[base + 2]).nonzeroBitCount + (q[3] ^ limbs[base + 3]).nonzeroBitCount
    return d
}

/// One hit of a radius query: the row in the code array and the exact distance.
public struct RadiusHit: Sendable, Hashable, Comparable {
    public var row: Int
    public var distance: Int

    public init(row: Int, distance: Int) {
        self.row = row
        self.distance = distance
    }

    public static func < (a: RadiusHit, b: RadiusHit) -> Bool { (a.row, a.distance) < (b.row, b.distance) }
}

/// The linear scan of spec §2: the baseline, the choice for small N or large radii, and
/// always the oracle the multi-index results are tested against.
public enum PDQLinearScan {
    public static func query(_ codes: PDQCodeArray, _ q: PDQHash, radius: Int, minimumRow: Int = 0) -> [RadiusHit] {
        var hits: [RadiusHit] = []
        codes.limbs.withUnsafeBufferPointer { limbs in
            for row in max(0, minimumRow)..<codes.count {
                let d = boundedDistance(q.limbs, limbs, row: row, radius: radius)
                if d <= radius { hits.append(RadiusHit(row: row, distance: d)) }
            }
        }
        return hits
    }
}
