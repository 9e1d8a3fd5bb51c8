import Crypto
import GRDB
import ImprintBytes

extension CaseStore {
    /// Every recorded PDQ hash with its quality and file, in file-id order.
    public func pdqHashes() throws -> [StoredPDQHash] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.file_id, h.pdq, h.pdq_quality, f.path_text, e.exhibit_number
                FROM perceptual_hashes h JOIN files f ON f.id = h.file_id JOIN exhibits e ON e.id = f.exhibit_id
                ORDER BY h.file_id
                """).map { row in
                // Damaged rows are passed on as read; the caller's parser rejects bad text.
                StoredPDQHash(fileID: Int64.fromDatabaseValue(row["file_id"]) ?? -1,
                              exhibitNumber: Self.text(row["exhibit_number"]), path: Self.text(row["path_text"]),
                              pdqHex: Self.text(row["pdq"]), quality: Int.fromDatabaseValue(row["pdq_quality"]) ?? -1)
            }
        }
    }

    /// Records a clustering, its clusters, members and exclusions and the `analysis.run`
    /// custody event in one transaction: either all of it is recorded or none.
    @discardableResult
    public func recordClustering(_ clustering: NewClustering, actor: Actor) throws -> (id: Int64, event: CustodyEvent) {
        let membersSHA256 = Hex.encode(SHA256.hash(data: Array(clustering.canonicalMemberList.utf8)))
        let createdAt = Timestamp.nowUTC()
        return try pool.write { db in
            try db.execute(sql: """
                INSERT INTO clusterings (created_at_utc, algorithm, algorithm_version, threshold, search_method,
                                         hashes_considered, excluded_low_quality, cluster_count, members_sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [createdAt, clustering.algorithm, clustering.algorithmVersion, clustering.threshold,
                                 clustering.searchMethod, clustering.hashesConsidered, clustering.excluded.count,
                                 clustering.clusters.count, membersSHA256])
            let id = db.lastInsertedRowID
            for cluster in clustering.clusters {
                try db.execute(sql: """
                    INSERT INTO clusters (clustering_id, cluster_number, cluster_id, size, edge_count, diameter,
                                          diameter_exact, medoid_file_id, max_edge, chained)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, cluster.number, cluster.clusterID, cluster.members.count, cluster.edgeCount,
                                     cluster.diameter, cluster.diameterExact, cluster.medoidFileID, cluster.maxEdge,
                                     cluster.chained])
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO cluster_members (clustering_id, cluster_number, file_id, dist_to_medoid) VALUES (?, ?, ?, ?)
                    """)
                for member in cluster.members {
                    try insert.execute(arguments: [id, cluster.number, member.fileID, member.distanceToMedoid])
                }
            }
            let exclude = try db.cachedStatement(sql: """
                INSERT INTO cluster_exclusions (clustering_id, file_id, quality, reason) VALUES (?, ?, ?, ?)
                """)
            for exclusion in clustering.excluded {
                try exclude.execute(arguments: [id, exclusion.fileID, exclusion.quality, exclusion.reason])
            }
            let clustered = clustering.clusters.reduce(0) { $0 + $1.members.count }
            let event = try appendCustody(db, actor: actor, action: "analysis.run", subject: "clustering \(id)", details: .object([
                "analysis": .string("near-duplicate-clustering"),
                "clusteringId": .int(id),
                "algorithm": .string(clustering.algorithm),
                "algorithmVersion": .string(clustering.algorithmVersion),
                "threshold": .integer(clustering.threshold),
                "searchMethod": .string(clustering.searchMethod),
                "hashesConsidered": .integer(clustering.hashesConsidered),
                "excludedLowQuality": .integer(clustering.excluded.count),
                "clusters": .integer(clustering.clusters.count),
                "clusteredFiles": .integer(clustered),
                "membersSha256": .string(membersSHA256),
            ]))
            return (id, event)
        }
    }

    /// The most recent clustering with its clusters in number order, or nil if none ran.
    public func latestClustering() throws -> StoredClustering? {
        try pool.read { db in
            guard let run = try Row.fetchOne(db, sql: "SELECT * FROM clusterings ORDER BY id DESC LIMIT 1") else { return nil }
            let id = Int64.fromDatabaseValue(run["id"]) ?? -1
            var members: [Int: [StoredClustering.Member]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT m.cluster_number, m.file_id, m.dist_to_medoid, f.path_text, f.sha256, e.exhibit_number
                FROM cluster_members m JOIN files f ON f.id = m.file_id JOIN exhibits e ON e.id = f.exhibit_id
                WHERE m.clustering_id = ? ORDER BY m.cluster_number, m.file_id
                """, arguments: [id]) {
                let member = StoredClustering.Member(
                    fileID: Int64.fromDatabaseValue(row["file_id"]) ?? -1, exhibitNumber: Self.text(row["exhibit_number"]),
                    path: Self.text(row["path_text"]), sha256: String.fromDatabaseValue(row["sha256"]),
                    distanceToMedoid: Int.fromDatabaseValue(row["dist_to_medoid"]) ?? -1)
                members[Int.fromDatabaseValue(row["cluster_number"]) ?? -1, default: []].append(member)
            }
            let clusters = try Row.fetchAll(db, sql: """
                SELECT * FROM clusters WHERE clustering_id = ? ORDER BY cluster_number
                """, arguments: [id]).map { row in
                let number = Int.fromDatabaseValue(row["cluster_number"]) ?? -1
                return StoredClustering.Cluster(
                    number: number, clusterID: Int64.fromDatabaseValue(row["cluster_id"]) ?? -1,
                    size: Int.fromDatabaseValue(row["size"]) ?? -1, edgeCount: Int.fromDatabaseValue(row["edge_count"]) ?? -1,
                    diameter: Int.fromDatabaseValue(row["diameter"]) ?? -1,
                    diameterExact: Bool.fromDatabaseValue(row["diameter_exact"]) ?? false,
                    medoidFileID: Int64.fromDatabaseValue(row["medoid_file_id"]) ?? -1,
                    maxEdge: Int.fromDatabaseValue(row["max_edge"]) ?? -1,
                    chained: Bool.fromDatabaseValue(row["chained"]) ?? false, members: members[number] ?? [])
            }
            return StoredClustering(
                id: id, createdAtUTC: Self.text(run["created_at_utc"]), algorithm: Self.text(run["algorithm"]),
                algorithmVersion: Self.text(run["algorithm_version"]), threshold: Int.fromDatabaseValue(run["threshold"]) ?? -1,
                searchMethod: Self.text(run["search_method"]),
                hashesConsidered: Int.fromDatabaseValue(run["hashes_considered"]) ?? -1,
                excludedLowQuality: Int.fromDatabaseValue(run["excluded_low_quality"]) ?? -1,
                membersSHA256: Self.text(run["members_sha256"]), clusters: clusters)
        }
    }
}
