import ImprintBytes
import ImprintCase

/// A detector. Adding one to imprint means one new type conforming to this protocol,
/// registered in `AnalyzerRegistry.all`, with its own tests; nothing else changes.
///
/// An analyzer reports indicators as `Finding`s and never aborts the batch: an error it
/// throws is recorded against the file (stage `analyze`) and the next analyzer runs.
public protocol Analyzer: Sendable {
    /// A stable id, e.g. `integrity.extension`; recorded with every finding and run.
    var id: String { get }
    /// Bumped whenever the analyzer's output for the same input could change.
    var version: String { get }
    /// Whether it needs decoded pixels (so the pipeline decodes only when one does).
    var needsPixels: Bool { get }
    /// Thresholds and settings, recorded in `run_analyzers` and in custody.
    var parameters: JSONValue { get }

    /// Called for every file before any decode, so that the analyzer can ask the artifact
    /// to stream it an image it reads once (`Artifact.streamReplicatedChroma`). Most
    /// analyzers need nothing (the default).
    func prepare(_ artifact: Artifact)

    func analyze(_ artifact: Artifact) throws -> [Finding]
}

/// An analyzer that, for a colour-subsampled JPEG, reads the shared decode only through
/// the strips it asks for in `prepare` (`Artifact.streamSmooth`,
/// `Artifact.streamReplicatedChroma`), never through `Artifact.raster()`. When every
/// analyzer that needs pixels is one, the pipeline lets the shared decode go to the strip
/// consumers only, and the full-size image (36 MB at 12 MP) is never held.
public protocol StreamsSharedImage: Analyzer {}

extension Analyzer {
    public var parameters: JSONValue { .object([]) }

    public func prepare(_ artifact: Artifact) {}

    public var descriptor: AnalyzerDescriptor {
        AnalyzerDescriptor(id: id, version: version, parameters: parameters)
    }
}

/// The analyzers imprint runs, in order.
public enum AnalyzerRegistry {
    /// The analyzers with the examiner's C2PA trust anchors (a PEM bundle and its
    /// SHA-256, recorded with every run) in place of the default C2PA analyzer.
    public static func configured(trustAnchorsPEM: [UInt8]?, trustAnchorsSHA256: String?) -> [any Analyzer] {
        guard let trustAnchorsPEM else { return all }
        return all.map { analyzer in
            analyzer is C2PAAnalyzer
                ? C2PAAnalyzer(trustAnchorsPEM: trustAnchorsPEM, trustAnchorsSHA256: trustAnchorsSHA256) : analyzer
        }
    }

    public static let all: [any Analyzer] = [
        ExtensionMismatchAnalyzer(),
        MetadataConsistencyAnalyzer(),
        ThumbnailConsistencyAnalyzer(),
        C2PAAnalyzer(),
        GeneratorAnalyzer(),
        CompressionAnalyzer(),
        SyntheticAnalyzer(),
        SDWatermarkAnalyzer(),
    ]
}
