import ArgumentParser
import ImprintCase
import ImprintPipeline
import ImprintSimilarity

struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Group the case's images into near-duplicate clusters by PDQ distance.",
        discussion: """
            Runs a radius query at --threshold for every eligible PDQ hash and joins matches \
            by single linkage (docs/specs/SIMILARITY-INDEX-AND-CLUSTERING.md §6). Hashes with \
            quality below 50, and the all-zero hash, are excluded and listed. A cluster is a \
            near-duplicate group, an indicator of visual similarity, never proof that two \
            files show the same image; single linkage can chain, so every cluster reports its \
            diameter and is flagged "chained" above 2 × threshold. The clustering and an \
            analysis.run custody event are recorded together; 'imprint clusters' lists it.
            """)

    @Argument(help: "The case file.")
    var casefile: String

    @Option(help: "PDQ Hamming distance at or below which two hashes are linked (0–128).")
    var threshold: Int = NearDuplicateClustering.defaultThreshold

    @Option(help: "How many of the largest clusters to print.")
    var top: Int = 10

    @OptionGroup var session: SessionOptions

    func validate() throws {
        guard (0...128).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 128") }
        guard top >= 0 else { throw ValidationError("--top must not be negative") }
    }

    func run() throws {
        let store = try CaseStore.open(at: casefile)
        let stored = try store.pdqHashes()
        var entries: [PDQEntry] = []
        var invalid: [NewClustering.Exclusion] = []
        for row in stored {
            // A stored hash that does not parse (a damaged row) is excluded, not fatal.
            if let hash = PDQHash(hex: row.pdqHex) {
                entries.append(PDQEntry(fileID: row.fileID, hash: hash, quality: row.quality))
            } else {
                invalid.append(NewClustering.Exclusion(fileID: row.fileID, quality: row.quality, reason: "invalid-hash"))
            }
        }
        let result = NearDuplicateClustering.run(entries, threshold: threshold, workers: Ingest.defaultJobs)
        let record = NewClustering(
            algorithm: "pdq", algorithmVersion: NearDuplicateClustering.algorithmVersion, threshold: threshold,
            searchMethod: result.method.rawValue, hashesConsidered: result.hashesConsidered,
            clusters: result.clusters.map { cluster in
                NewClustering.Cluster(number: cluster.number, clusterID: cluster.id, edgeCount: cluster.edgeCount,
                                      diameter: cluster.diameter, diameterExact: cluster.diameterExact,
                                      medoidFileID: cluster.medoid, maxEdge: cluster.maxEdge, chained: cluster.chained,
                                      members: Array(zip(cluster.members, cluster.distancesToMedoid)).map { ($0.0, $0.1) })
            },
            excluded: (result.excluded.map { NewClustering.Exclusion(fileID: $0.fileID, quality: $0.quality, reason: $0.reason.rawValue) }
                       + invalid).sorted { $0.fileID < $1.fileID })
        let (id, _) = try store.recordClustering(record, actor: try session.actor(for: store))
        report(result: result, record: record, id: id, files: Dictionary(stored.map { ($0.fileID, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    private func report(result: NearDuplicateClustering, record: NewClustering, id: Int64, files: [Int64: StoredPDQHash]) {
        let clustered = result.clusters.reduce(0) { $0 + $1.size }
        Console.out("""
            Clustering \(id): \(result.hashesConsidered) eligible PDQ hash(es), threshold \(threshold), \
            search \(result.method.rawValue), \(result.edgeCount) link(s)
            \(result.clusters.count) near-duplicate group(s) covering \(clustered) file(s); \
            \(record.excluded.count) hash(es) excluded
            """)
        for cluster in result.clusters.prefix(top) {
            let bound = cluster.diameterExact ? "" : " (upper bound)"
            Console.out("  #\(cluster.number): \(cluster.size) files, near-duplicate group (single linkage, PDQ ≤ \(threshold), "
                        + "diameter \(cluster.diameter)\(bound))" + (cluster.chained ? " [chained]" : ""))
            for member in cluster.members.prefix(5) {
                Console.out("      \(files[member].map { "\($0.exhibitNumber)  \($0.path)" } ?? "file \(member)")")
            }
            if cluster.size > 5 { Console.out("      … \(cluster.size - 5) more") }
        }
        if result.clusters.count > top { Console.out("  … \(result.clusters.count - top) more group(s); see 'imprint clusters'") }
        if !record.excluded.isEmpty {
            Console.out("Excluded (not clustered):")
            for exclusion in record.excluded {
                let file = files[exclusion.fileID].map { "\($0.exhibitNumber)  \($0.path)" } ?? "file \(exclusion.fileID)"
                Console.out("  \(file)  [\(exclusion.reason), quality \(exclusion.quality)]")
            }
        }
    }
}
