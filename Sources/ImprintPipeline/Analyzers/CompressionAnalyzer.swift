import Foundation
import ImprintBytes
import ImprintCase
import ImprintDetectors
import ImprintImaging

/// How the file was encoded (SYNTHETIC-DETECTION §1–3): the JPEG quantisation tables and
/// the quality they imply, subsampling, progressive and Huffman coding, the software traces
/// in the structure, how complete the camera EXIF is, and generator-typical dimensions.
///
/// These describe the last encoder and what survived it. None of them says whether the
/// picture was generated: a library re-save of a photo looks exactly like a generator's
/// output here, and each summary says so.
public struct CompressionAnalyzer: Analyzer {
    public let id = "compression.profile"
    public let version = "1.0.0"
    public let needsPixels = false

    public init() {}

    public var parameters: JSONValue {
        .object(["exifExpectedTags": .array(ExifCompleteness.expectedTags.map(JSONValue.string)),
                 "encoderSignatures": .integer(EncoderSignatures.rules.count),
                 "knownGeneratorSizes": .integer(GeneratorDimensions.knownSizes.count)])
    }

    public func analyze(_ artifact: Artifact) throws -> [Finding] {
        guard artifact.format.isImage else { return [] }
        let profile = CompressionProfile.read(artifact.container, metadata: artifact.metadata)
        var findings: [Finding] = []
        if artifact.format == .jpeg {
            if let quantization = profile.quantization { findings.append(quantizationFinding(quantization, profile)) }
            if let frame = artifact.container.jpegFrame { findings.append(encodingFinding(profile, frame: frame)) }
        }
        findings.append(exifFinding(profile.exif, format: artifact.format))
        if let dimensions = profile.dimensions, dimensions.multipleOf64 || dimensions.knownSize != nil {
            findings.append(dimensionsFinding(dimensions))
        }
        return findings
    }

    private func make(_ label: String, _ strength: Finding.Strength, _ summary: String, _ details: [JSONValue.Member],
                      location: JSONValue? = nil) -> Finding {
        Finding(analyzer: id, analyzerVersion: version, category: .compression, label: label, strength: strength,
                summary: summary, details: .object(details), location: location)
    }

    private static func round1(_ value: Double) -> JSONValue { .double((value * 10).rounded() / 10) }

    private static func estimateJSON(_ estimate: IJGQuantization.Estimate?) -> JSONValue {
        guard let estimate else { return .null }
        return .object([.init("quality", .double(estimate.quality)), .init("scalePercent", .double(estimate.scale)),
                        .init("deviationSum", .integer(estimate.deviationSum)),
                        .init("deviationMax", .integer(estimate.deviationMax)),
                        .init("proportionalToAnnexK", .bool(estimate.proportionalToAnnexK))])
    }

    func quantizationFinding(_ q: QuantizationAssessment, _ profile: CompressionProfile) -> Finding {
        let software = profile.signatures.map(\.software)
        let className: String
        let summary: String
        switch q.kind {
        case .ijg:
            className = "ijg"
            summary = "The quantisation tables are the IJG standard tables at quality \(q.lumaQuality ?? 0), as libjpeg-family encoders (Pillow, OpenCV, ImageMagick, GIMP, web services) write them, and as many cameras do too. Not a sign that the picture is AI-generated or edited, and not proof of a re-save."
        case .ijgSplit:
            className = "ijg-split"
            summary = "The quantisation tables are IJG standard tables at luma quality \(q.lumaQuality ?? 0) and chroma quality \(q.chromaQuality ?? 0) (cjpeg -quality a,b, OpenCV and similar encoders): not a sign that the picture is AI-generated or edited."
        case .annexKScaled:
            className = "annexk-scaled"
            summary = String(format: "The quantisation tables are the standard Annex K tables scaled (about quality %.0f) but rounded or mapped differently from libjpeg: another library encoder or a camera using scaled standard tables. Not a sign of AI generation or of editing.", q.quality ?? 0)
        case .custom where !software.isEmpty:
            className = "software"
            summary = "The quantisation tables are not the standard ones and the file carries traces of \(software.joined(separator: ", ")): saved by that software. Export and re-save are routine; this is not a sign of manipulation or of AI generation."
        case .custom:
            className = "custom"
            summary = String(format: "The quantisation tables are not derived from the standard tables (nearest IJG quality %.0f): typical of camera or phone firmware. Not proof of camera origin: tables are easy to copy.", q.quality ?? 0)
        }
        let details: [JSONValue.Member] = [
            .init("class", .string(className)),
            .init("lumaQuality", q.lumaQuality.map(JSONValue.integer) ?? .null),
            .init("chromaQuality", q.chromaQuality.map(JSONValue.integer) ?? .null),
            .init("estimatedQuality", q.quality.map(Self.round1) ?? .null),
            .init("lumaEstimate", Self.estimateJSON(q.lumaEstimate)),
            .init("chromaEstimate", Self.estimateJSON(q.chromaEstimate)),
            .init("tableCount", .integer(q.tableCount)),
            .init("precisions", .array(q.precisions.map(JSONValue.integer))),
            .init("software", .array(software.map(JSONValue.string))),
        ]
        let location: JSONValue? = q.lumaTableOffset.map { .object([.init("offset", .integer($0)), .init("element", .string("DQT"))]) }
        return make("compression.quantization", .info, summary, details, location: location)
    }

    func encodingFinding(_ profile: CompressionProfile, frame: JPEGFrame) -> Finding {
        var facts: [String] = [profile.subsampling ?? "?"]
        facts.append(profile.progressive ? "progressive" : (profile.process ?? "?"))
        if let huffman = profile.huffman { facts.append("\(huffman.rawValue) Huffman tables") }
        if let interval = profile.restartInterval { facts.append("restart interval \(interval)") }
        let summary = "JPEG encoding: \(facts.joined(separator: ", ")). These are encoder settings (cameras mostly write 4:2:2 or 4:2:0 baseline; optimised or progressive coding usually comes from software, lossless tools such as jpegtran included); they say nothing about whether the picture is real."
        let details: [JSONValue.Member] = [
            .init("subsampling", profile.subsampling.map(JSONValue.string) ?? .null),
            .init("process", profile.process.map(JSONValue.string) ?? .null),
            .init("progressive", .bool(profile.progressive)),
            .init("arithmetic", .bool(profile.arithmetic)),
            .init("huffman", profile.huffman.map { .string($0.rawValue) } ?? .null),
            .init("restartInterval", profile.restartInterval.map(JSONValue.integer) ?? .null),
            .init("appSegments", .array(profile.appSegments.map(JSONValue.string))),
            .init("software", .array(profile.signatures.map { .object([.init("name", .string($0.software)), .init("note", .string($0.note))]) })),
        ]
        return make("compression.encoding", .info, summary, details,
                    location: .object([.init("offset", .integer(frame.offset)), .init("element", .string(frame.marker))]))
    }

    func exifFinding(_ exif: ExifCompleteness, format: ImageFormat) -> Finding {
        let percent = Int((exif.fraction * 100).rounded())
        let summary: String
        if exif.present.isEmpty {
            summary = "No camera EXIF (none of the \(ExifCompleteness.expectedTags.count) tags a camera writes). Platforms, messengers and most libraries strip EXIF, so this is a weak cue and not a sign of AI generation on its own."
        } else if exif.missing.isEmpty {
            summary = "Complete camera EXIF (all \(ExifCompleteness.expectedTags.count) expected tags). EXIF is easy to copy onto any image, so this is not proof of camera origin."
        } else {
            summary = "Partial camera EXIF (\(percent) % of the expected tags; missing \(exif.missing.joined(separator: ", "))). Editors and platforms drop tags routinely; neither presence nor absence proves origin."
        }
        return make("compression.exif-completeness", exif.fraction < 0.5 && format == .jpeg ? .weak : .info, summary, [
            .init("fraction", .double(exif.fraction)),
            .init("present", .array(exif.present.map(JSONValue.string))),
            .init("missing", .array(exif.missing.map(JSONValue.string))),
        ])
    }

    func dimensionsFinding(_ d: GeneratorDimensions) -> Finding {
        let summary: String
        if let known = d.knownSize {
            summary = "The image is \(d.width)×\(d.height), a size generators emit natively (\(known.generators)). Cameras and resizers produce such sizes too: a weak cue, meaningful only together with others."
        } else {
            summary = "Both sides of the image (\(d.width)×\(d.height)) are multiples of 64, as latent-diffusion generators produce. Many crops and resizes are too: a weak cue, meaningful only together with others."
        }
        return make("compression.generator-dimensions", d.knownSize != nil ? .weak : .info, summary, [
            .init("width", .integer(d.width)), .init("height", .integer(d.height)),
            .init("multipleOf64", .bool(d.multipleOf64)),
            .init("aspect", .double((d.aspect * 1000).rounded() / 1000)),
            .init("knownSize", d.knownSize.map { .string($0.generators) } ?? .null),
        ])
    }
}
