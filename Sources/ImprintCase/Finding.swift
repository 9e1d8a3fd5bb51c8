import ImprintBytes

/// One indicator reported by one analyzer about one file. Every analyzer in imprint
/// speaks in this single shape (like a blackboard artifact in The Sleuth Kit), so the case
/// database, `imprint analyze --json` and the reports treat all detectors alike.
///
/// A finding is an indicator with a strength, never a verdict.
public struct Finding: Sendable, Equatable {
    public enum Category: String, Sendable, CaseIterable {
        case metadata, provenance, watermark, synthetic, compression, similarity, integrity
    }

    /// How much weight the indicator carries, strongest first.
    public enum Strength: String, Sendable, CaseIterable {
        case conclusive, strong, moderate, weak, info
    }

    public var analyzer: String
    public var analyzerVersion: String
    public var category: Category
    /// A stable dotted name, e.g. `c2pa.ai-generated`; scripts and reports key on it.
    public var label: String
    public var strength: Strength
    /// Optional score in [0, 1] (calibrated where the analyzer says so in `details`).
    public var score: Double?
    /// One sentence for people.
    public var summary: String
    /// Structured facts: parameters, thresholds, error rates, extracted values.
    public var details: JSONValue
    /// Where in the file the indicator was seen (byte offset, length, segment, tag), or nil.
    public var location: JSONValue?

    public init(analyzer: String, analyzerVersion: String, category: Category, label: String,
                strength: Strength, score: Double? = nil, summary: String,
                details: JSONValue = .object([]), location: JSONValue? = nil) {
        self.analyzer = analyzer
        self.analyzerVersion = analyzerVersion
        self.category = category
        self.label = label
        self.strength = strength
        self.score = score.map { min(max($0, 0), 1) }
        self.summary = summary
        self.details = details
        self.location = location
    }

    /// The JSON shape documented in docs/analyze-json.md.
    public var json: JSONValue {
        .object([
            .init("analyzer", .string(analyzer)),
            .init("analyzerVersion", .string(analyzerVersion)),
            .init("category", .string(category.rawValue)),
            .init("label", .string(label)),
            .init("strength", .string(strength.rawValue)),
            .init("score", score.map(JSONValue.double) ?? .null),
            .init("summary", .string(summary)),
            .init("details", details),
            .init("location", location ?? .null),
        ])
    }
}
