/// Multi-index hashing over 256-bit PDQ codes (SIMILARITY spec §3): 16 slots of 16 bits,
/// slot k = word w[k]. By pigeonhole, a code within d of the query has some slot within
/// s = ⌊d/16⌋ of the query's slot, so probing every slot value within s in every slot
/// and verifying the union exactly gives every hit — exact, with no false negatives.
///
/// Buckets are compressed (spec §3.4): per slot `offsets[65_537]` and the rows ordered by
/// slot value, built by a two-pass counting sort — about 96 bytes per hash in total.
/// The index is read-only once built, so concurrent queries share it; each worker brings
/// its own `Searcher` (the dedup stamps).
public struct PDQMultiIndex: Sendable {
    public static let slotCount = 16
    /// `MIH_MAX_D`: beyond this s would be 4 and the probe count explodes; use a scan.
    public static let maximumRadius = 63

    public let codes: PDQCodeArray
    /// 16 × 65_537 bucket starts; slot k's bucket v is `rows[k·N + offsets[k·65537 + v] ..< … + 1]`.
    private let offsets: [UInt32]
    private let rows: [UInt32]

    public init(_ codes: PDQCodeArray) {
        precondition(codes.count < Int(UInt32.max), "the index stores rows as UInt32")
        self.codes = codes
        let n = codes.count
        var offsets = [UInt32](repeating: 0, count: Self.slotCount * 65_537)
        var rows = [UInt32](repeating: 0, count: Self.slotCount * n)
        for slot in 0..<Self.slotCount {
            let base = slot * 65_537
            for row in 0..<n { offsets[base + Int(codes.word(row: row, slot: slot)) + 1] += 1 }
            for value in 0..<65_536 { offsets[base + value + 1] += offsets[base + value] }
            // Fill with a moving cursor per value, restored afterwards, so rows within a
            // bucket stay in ascending order (determinism, and friendlier memory access).
            var cursor = Array(offsets[base..<(base + 65_536)])
            for row in 0..<n {
                let value = Int(codes.word(row: row, slot: slot))
                rows[slot * n + Int(cursor[value])] = UInt32(truncatingIfNeeded: row)
                cursor[value] += 1
            }
        }
        self.offsets = offsets
        self.rows = rows
    }

    public var count: Int { codes.count }

    /// Per-worker dedup state: a generation stamp per row instead of a Set (spec §3.4).
    public struct Searcher {
        var seen: [UInt32]
        var stamp: UInt32 = 0
        public internal(set) var candidatesVerified = 0

        public init(count: Int) { seen = [UInt32](repeating: 0, count: count) }

        mutating func nextStamp() -> UInt32 {
            if stamp == UInt32.max {
                for i in seen.indices { seen[i] = 0 }
                stamp = 0
            }
            stamp += 1
            return stamp
        }
    }

    /// Every row within `radius` of `q` (rows below `minimumRow` skipped before verifying,
    /// which lets clustering look only "forward" and halve its work), in ascending row order.
    public func query(_ q: PDQHash, radius: Int, minimumRow: Int = 0, searcher: inout Searcher) -> [RadiusHit] {
        precondition((0...Self.maximumRadius).contains(radius), "MIH radius must be 0…63")
        let perSlot = radius / Self.slotCount
        let masks = NeighbourMasks.upToWeight(perSlot)
        let stamp = searcher.nextStamp()
        let n = codes.count
        var hits: [RadiusHit] = []
        var verified = 0
        offsets.withUnsafeBufferPointer { offsets in
        rows.withUnsafeBufferPointer { rows in
        codes.limbs.withUnsafeBufferPointer { limbs in
        searcher.seen.withUnsafeMutableBufferPointer { seen in
            for slot in 0..<Self.slotCount {
                let key = q.word(slot)
                let base = slot * 65_537
                for mask in masks {
                    let value = Int(key ^ mask)
                    let start = Int(offsets[base + value]), end = Int(offsets[base + value + 1])
                    var index = slot * n + start
                    let stop = slot * n + end
                    while index < stop {
                        let row = Int(rows[index])
                        index += 1
                        if row < minimumRow || seen[row] == stamp { continue }
                        seen[row] = stamp
                        verified += 1
                        let d = boundedDistance(q.limbs, limbs, row: row, radius: radius)
                        if d <= radius { hits.append(RadiusHit(row: row, distance: d)) }
                    }
                }
            }
        }}}}
        searcher.candidatesVerified += verified
        hits.sort()
        return hits
    }
}

/// Every 16-bit mask of weight ≤ 3 (1 + 16 + 120 + 560 = 697), grouped by weight so a
/// query with per-slot radius s takes the prefix it needs.
enum NeighbourMasks {
    static let byWeight: [UInt16] = (0..<65_536).filter { $0.nonzeroBitCount <= 3 }
        .sorted { ($0.nonzeroBitCount, $0) < ($1.nonzeroBitCount, $1) }.map { UInt16($0) }
    static let prefixCounts = [1, 17, 137, 697]

    static func upToWeight(_ weight: Int) -> ArraySlice<UInt16> {
        byWeight[0..<prefixCounts[min(max(weight, 0), 3)]]
    }
}

/// The automatic choice of spec §4, with the reason so callers can log it.
public enum PDQSearchMethod: String, Sendable {
    case multiIndex = "mih"
    case linear

    /// Linear when s ≥ 3 (d ≥ 48: ~17 % of rows become candidates anyway), when d ≥ 64
    /// (MIH cannot), or for small N where the tables cost more than they save.
    public static func choose(count: Int, radius: Int) -> PDQSearchMethod {
        if radius >= 48 || count < 20_000 { return .linear }
        return .multiIndex
    }
}
