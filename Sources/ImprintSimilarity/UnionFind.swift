/// Disjoint sets with path halving and union by size (SIMILARITY spec §6 stage 3). The
/// resulting partition does not depend on the order edges are added.
public struct UnionFind: Sendable {
    private var parent: [Int32]
    private var size: [Int32]

    public init(count: Int) {
        parent = (0..<count).map { Int32(truncatingIfNeeded: $0) }
        size = [Int32](repeating: 1, count: count)
    }

    public mutating func find(_ x: Int) -> Int {
        var x = x
        while Int(parent[x]) != x {
            parent[x] = parent[Int(parent[x])]
            x = Int(parent[x])
        }
        return x
    }

    public mutating func union(_ a: Int, _ b: Int) {
        var ra = find(a), rb = find(b)
        if ra == rb { return }
        if size[ra] < size[rb] { swap(&ra, &rb) }
        parent[rb] = Int32(truncatingIfNeeded: ra)
        size[ra] += size[rb]
    }

    public mutating func setSize(of x: Int) -> Int { Int(size[find(x)]) }
}
