import ImprintBytes
import ImprintCase

/// The report's summary counts, each as (files, findings). Groups are defined by label and
/// category so that analyzers added later are counted without changes here.
public struct SummaryCounts: Sendable, Equatable {
    public struct Count: Sendable, Equatable {
        public var files: Int
        public var findings: Int
    }

    public struct Line: Sendable, Equatable {
        public var key: String
        public var title: String
        public var count: Count
    }

    public var filesRecorded: Int
    public var bytesRecorded: Int64
    public var filesWithFindings: Int
    public var lines: [Line]
    public var clusters: Int
    public var clusteredFiles: Int
    public var filesWithErrors: Int
    public var errors: Int

    /// Labels of AI generation or editing declared in C2PA or in metadata.
    static let aiDeclaredLabels: Set<String> = ["c2pa.ai-generated", "c2pa.ai-edited", "metadata.ai-declared",
                                                "metadata.digital-source-type"]

    public init(_ model: ReportModel) {
        filesRecorded = model.files.count
        bytesRecorded = model.files.reduce(0) { $0 + max($1.size, 0) }
        filesWithFindings = Set(model.findings.map(\.fileID)).count
        func count(_ keep: (Finding) -> Bool) -> Count {
            let matching = model.findings.filter { keep($0.finding) }
            return Count(files: Set(matching.map(\.fileID)).count, findings: matching.count)
        }
        lines = [
            Line(key: "ai-declared", title: "AI generation or editing declared (C2PA or metadata)",
                 count: count { Self.aiDeclaredLabels.contains($0.label) }),
            Line(key: "generator", title: "Generator metadata (AI tool fingerprints)",
                 count: count { $0.label.hasPrefix("generator.") }),
            Line(key: "watermark", title: "Watermarks (decoded or declared)",
                 count: count { $0.category == .watermark || $0.label == "c2pa.watermark-declared" }),
            Line(key: "synthetic", title: "Synthetic-artifact scores at or above threshold",
                 count: count(Self.syntheticAboveThreshold)),
            Line(key: "hashset", title: "Known hash-set matches (exact and PDQ near)",
                 count: count { $0.label.hasPrefix("hashset.") }),
            Line(key: "c2pa", title: "Content Credentials (C2PA) present",
                 count: count { $0.label == "c2pa.present" }),
            Line(key: "integrity", title: "Integrity and metadata-consistency indicators",
                 count: count { ($0.category == .integrity || $0.category == .metadata) && $0.label != "metadata.ai-declared"
                     && $0.label != "metadata.digital-source-type" }),
        ]
        clusters = model.clustering?.clusters.count ?? 0
        clusteredFiles = model.clustering?.clusters.reduce(0) { $0 + $1.members.count } ?? 0
        filesWithErrors = Set(model.errors.map(\.fileID)).count
        errors = model.errors.count
    }

    /// A synthetic-category finding counts when its score reaches the threshold it carries in
    /// `details.threshold`; without a threshold, any non-`info` synthetic finding counts.
    static func syntheticAboveThreshold(_ finding: Finding) -> Bool {
        guard finding.category == .synthetic else { return false }
        if let threshold = finding.details["threshold"]?.doubleValue, let score = finding.score {
            return score >= threshold
        }
        return finding.strength != .info
    }
}
