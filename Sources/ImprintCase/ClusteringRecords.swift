import ImprintBytes

/// A PDQ hash as stored in `perceptual_hashes`, text as recorded (parsing belongs to
/// ImprintSimilarity, which this layer does not depend on).
public struct StoredPDQHash: Sendable, Equatable {
    public var fileID: Int64
    public var exhibitNumber: String
    public var path: String
    public var pdqHex: String
    public var quality: Int
}

/// A clustering to record: what ran, with which parameters, and the resulting groups.
public struct NewClustering: Sendable {
    public struct Cluster: Sendable {
        public var number: Int
        public var clusterID: Int64
        public var edgeCount: Int
        public var diameter: Int
        public var diameterExact: Bool
        public var medoidFileID: Int64
        public var maxEdge: Int
        public var chained: Bool
        /// (file id, distance to medoid), file ids ascending.
        public var members: [(fileID: Int64, distanceToMedoid: Int)]

        public init(number: Int, clusterID: Int64, edgeCount: Int, diameter: Int, diameterExact: Bool,
                    medoidFileID: Int64, maxEdge: Int, chained: Bool, members: [(fileID: Int64, distanceToMedoid: Int)]) {
            self.number = number; self.clusterID = clusterID; self.edgeCount = edgeCount
            self.diameter = diameter; self.diameterExact = diameterExact; self.medoidFileID = medoidFileID
            self.maxEdge = maxEdge; self.chained = chained; self.members = members
        }
    }

    public struct Exclusion: Sendable {
        public var fileID: Int64
        public var quality: Int
        public var reason: String
        public init(fileID: Int64, quality: Int, reason: String) {
            self.fileID = fileID; self.quality = quality; self.reason = reason
        }
    }

    public var algorithm: String
    public var algorithmVersion: String
    public var threshold: Int
    public var searchMethod: String
    public var hashesConsidered: Int
    public var clusters: [Cluster]
    public var excluded: [Exclusion]

    public init(algorithm: String, algorithmVersion: String, threshold: Int, searchMethod: String,
                hashesConsidered: Int, clusters: [Cluster], excluded: [Exclusion]) {
        self.algorithm = algorithm; self.algorithmVersion = algorithmVersion; self.threshold = threshold
        self.searchMethod = searchMethod; self.hashesConsidered = hashesConsidered
        self.clusters = clusters; self.excluded = excluded
    }

    /// The canonical member list the custody event commits to: one line
    /// "cluster_number<TAB>file_id" per member, clusters in number order, members ascending.
    public var canonicalMemberList: String {
        var out = ""
        for cluster in clusters.sorted(by: { $0.number < $1.number }) {
            for member in cluster.members.map(\.fileID).sorted() { out += "\(cluster.number)\t\(member)\n" }
        }
        return out
    }
}

/// A recorded clustering read back for listing, with member paths and digests.
public struct StoredClustering: Sendable {
    public struct Member: Sendable {
        public var fileID: Int64
        public var exhibitNumber: String
        public var path: String
        public var sha256: String?
        public var distanceToMedoid: Int
    }

    public struct Cluster: Sendable {
        public var number: Int
        public var clusterID: Int64
        public var size: Int
        public var edgeCount: Int
        public var diameter: Int
        public var diameterExact: Bool
        public var medoidFileID: Int64
        public var maxEdge: Int
        public var chained: Bool
        public var members: [Member]
    }

    public var id: Int64
    public var createdAtUTC: String
    public var algorithm: String
    public var algorithmVersion: String
    public var threshold: Int
    public var searchMethod: String
    public var hashesConsidered: Int
    public var excludedLowQuality: Int
    public var membersSHA256: String
    public var clusters: [Cluster]
}
