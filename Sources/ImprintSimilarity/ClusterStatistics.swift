/// Per-cluster statistics of SIMILARITY spec §6.4: medoid, exact diameter (or bounds) and
/// the chaining flag. Kept apart from the partition so its cost (k² popcounts) is visible.
enum ClusterStatistics {
    static func cluster(rows unsortedRows: [Int], codes: PDQCodeArray, fileIDs: [Int64],
                        edges: (count: Int, max: Int), threshold: Int) -> NearDuplicateCluster {
        // Rows are in file-id order, so sorting rows sorts members by file id.
        let rows = unsortedRows.sorted()
        let hashes = rows.map { codes.hash(at: $0) }
        let k = rows.count

        // Medoid: minimum Σ distance, ties to the smallest id (the earliest row).
        let candidates = min(k, NearDuplicateClustering.medoidSampleLimit)
        var best = 0, bestSum = Int.max
        for i in 0..<candidates {
            var sum = 0
            for j in 0..<k { sum += hashes[i].distance(to: hashes[j]) }
            if sum < bestSum { best = i; bestSum = sum }
        }
        let toMedoid = hashes.map { hashes[best].distance(to: $0) }

        var diameter = 0
        let exact = k <= NearDuplicateClustering.exactDiameterLimit
        if exact {
            for i in 0..<k {
                for j in (i + 1)..<k { diameter = max(diameter, hashes[i].distance(to: hashes[j])) }
            }
        } else {
            diameter = 2 * (toMedoid.max() ?? 0)
        }
        return NearDuplicateCluster(number: 0, members: rows.map { fileIDs[$0] }, medoid: fileIDs[rows[best]],
                                    distancesToMedoid: toMedoid, edgeCount: edges.count, maxEdge: edges.max,
                                    diameter: diameter, diameterExact: exact, chained: diameter > 2 * threshold)
    }
}
