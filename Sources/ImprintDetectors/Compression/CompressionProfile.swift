import ImprintImaging
import ImprintMetadata

/// Everything imprint reads about how a file was encoded, in one pass over the parsed
/// container: the facts behind the `compression.*` findings and the eval harness's
/// `compression` cue score.
public struct CompressionProfile: Sendable, Equatable {
    public var format: ImageFormat
    public var quantization: QuantizationAssessment?
    public var subsampling: String?
    public var process: String?
    public var progressive: Bool
    public var arithmetic: Bool
    public var huffman: HuffmanKind?
    public var restartInterval: Int?
    /// APPn segments in file order, by identification (`JFIF`, `EXIF`, `Adobe`, `JUMBF`, …).
    public var appSegments: [String]
    public var signatures: [EncoderSignature]
    public var exif: ExifCompleteness
    public var dimensions: GeneratorDimensions?

    public static func read(_ container: ParsedContainer, metadata: MetadataRecord) -> CompressionProfile {
        let frame = container.jpegFrame
        let isJPEG = container.format == .jpeg
        return CompressionProfile(
            format: container.format,
            quantization: isJPEG ? QuantizationClassifier.assess(container) : nil,
            subsampling: frame.map(ChromaSubsampling.name),
            process: frame?.process,
            progressive: frame?.isProgressive ?? false,
            arithmetic: frame?.process.contains("arithmetic") ?? false,
            huffman: isJPEG ? HuffmanAssessment.kind(container) : nil,
            restartInterval: container.restartInterval,
            appSegments: isJPEG ? container.elements.filter { $0.name.hasPrefix("APP") }.map { $0.identifiedAs ?? $0.name } : [],
            signatures: isJPEG ? EncoderSignatures.match(container) : [],
            exif: ExifCompleteness.assess(metadata),
            dimensions: container.width.flatMap { w in container.height.map { GeneratorDimensions.assess(width: w, height: $0) } })
    }

    /// The generator-consistent cues this profile shows, each one an explainable yes/no:
    /// `library-tables` (IJG or Annex-K-scaled tables, or not a JPEG at all: the way
    /// generators and their pipelines save), `exif-sparse` (under half the camera tags),
    /// `dims-mult64`, `dims-known-generator-size`.
    public var generatorCues: [String] {
        var cues: [String] = []
        if let quantization {
            if quantization.kind != .custom { cues.append("library-tables") }
        } else {
            cues.append("library-tables")
        }
        if exif.fraction < 0.5 { cues.append("exif-sparse") }
        if dimensions?.multipleOf64 == true { cues.append("dims-mult64") }
        if dimensions?.knownSize != nil { cues.append("dims-known-generator-size") }
        return cues
    }

    /// The fraction of the four cues present: a triage score for evaluation, never a
    /// probability. Every cue is also produced by ordinary re-saving, stripping and resizing.
    public var cueScore: Double { Double(generatorCues.count) / 4 }
}
