import ArgumentParser
import ImprintBytes
import ImprintCase

struct ClustersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters",
        abstract: "List the latest near-duplicate clustering recorded in a case.",
        discussion: """
            Lists each cluster (number, size, diameter) with its members' paths and SHA-256, \
            from the latest 'imprint cluster' run. Reads the case only. Clusters are \
            indicators of visual similarity, never proof of the same image.

            With --json: one JSON object describing the clustering and all its clusters \
            (null when no clustering has been recorded).
            """)

    @Argument(help: "The case file.")
    var casefile: String

    @Flag(help: "Print the clustering as one JSON object.")
    var json = false

    func run() throws {
        let store = try CaseStore.open(at: casefile, readOnly: true)
        guard let clustering = try store.latestClustering() else {
            Console.out(json ? "null" : "No clustering recorded; run 'imprint cluster \(casefile)'.")
            return
        }
        if json {
            Console.out(Self.json(clustering).serialized())
            return
        }
        Console.out("""
            Clustering \(clustering.id) at \(clustering.createdAtUTC): \(clustering.algorithm) \
            \(clustering.algorithmVersion), threshold \(clustering.threshold), \
            \(clustering.hashesConsidered) hash(es) considered, \(clustering.excludedLowQuality) excluded
            """)
        for cluster in clustering.clusters {
            let bound = cluster.diameterExact ? "" : " (upper bound)"
            Console.out("#\(cluster.number)  size \(cluster.size)  diameter \(cluster.diameter)\(bound)"
                        + (cluster.chained ? "  [chained]" : ""))
            for member in cluster.members {
                Console.out("    \(member.sha256 ?? "-")  \(member.exhibitNumber)  \(member.path)")
            }
        }
        Console.out("\(clustering.clusters.count) near-duplicate group(s) (single linkage, PDQ ≤ \(clustering.threshold))")
    }

    static func json(_ clustering: StoredClustering) -> JSONValue {
        .object([
            "clusteringId": .int(clustering.id),
            "createdAtUtc": .string(clustering.createdAtUTC),
            "algorithm": .string(clustering.algorithm),
            "algorithmVersion": .string(clustering.algorithmVersion),
            "threshold": .integer(clustering.threshold),
            "searchMethod": .string(clustering.searchMethod),
            "hashesConsidered": .integer(clustering.hashesConsidered),
            "excludedLowQuality": .integer(clustering.excludedLowQuality),
            "membersSha256": .string(clustering.membersSHA256),
            "clusters": .array(clustering.clusters.map { cluster in
                .object([
                    "number": .integer(cluster.number),
                    "clusterId": .int(cluster.clusterID),
                    "size": .integer(cluster.size),
                    "diameter": .integer(cluster.diameter),
                    "diameterExact": .bool(cluster.diameterExact),
                    "chained": .bool(cluster.chained),
                    "medoidFileId": .int(cluster.medoidFileID),
                    "maxEdge": .integer(cluster.maxEdge),
                    "edgeCount": .integer(cluster.edgeCount),
                    "members": .array(cluster.members.map { member in
                        .object([
                            "fileId": .int(member.fileID),
                            "exhibit": .string(member.exhibitNumber),
                            "path": .string(member.path),
                            "sha256": member.sha256.map(JSONValue.string) ?? .null,
                            "distToMedoid": .integer(member.distanceToMedoid),
                        ])
                    }),
                ])
            }),
        ])
    }
}
