import Foundation
import ImprintBytes
import ImprintCase
import ImprintDetectors
import ImprintImaging

/// Looks for the invisible watermark Stable Diffusion 1.x/2.x, SDXL and diffusers stamp
/// into every image they write (invisible-watermark's dwtDct method; SD-WATERMARK.md).
///
/// The result is a bit agreement with a false-alarm probability, never a verdict: the
/// embedding code is public, so anyone can mark any image, and a positive says only that
/// the pixels passed through a pipeline with the watermarker enabled. Resizing, cropping
/// off the 8-pixel grid and heavy recompression remove the mark, so its absence says
/// nothing about how an image was made.
public struct SDWatermarkAnalyzer: StreamsSharedImage {
    public let id = "watermark.sd-dwtdct"
    public let version = "1.0.0"
    public let needsPixels = true

    /// The weakest tier reported as a finding (`likely`: corrected false-alarm
    /// probability at most 1e-3).
    public var reportFrom: DwtDctTier = .likely
    let decoder = DwtDctDecoder()

    public init() {}

    /// Measured on ../shared/corpus (docs/watermarks.md).
    static let validation = "../shared/corpus 2026-11: 24 of 24 marked PNG and JPEG q95 files detected with the right payload; 0 detections on the clean watermark sources, camera, pdq and synthetic/real photographs; 80 % resizes lost, as expected"

    public var parameters: JSONValue {
        .object([
            .init("payloads", .array(decoder.payloads.map { .string($0.id) })),
            .init("variantsPerPayload", .integer(DwtDctVariant.searchSize)),
            .init("empiricalInflation", .double(DwtDctScoring.empiricalInflation)),
            .init("reportFrom", .string(reportFrom.rawValue)),
            .init("likelyAt", .double(DwtDctScoring.likelyAt)),
            .init("veryLikelyAt", .double(DwtDctScoring.veryLikelyAt)),
        ])
    }

    /// Every payload's best decode (whatever its tier), or why there is none; what
    /// `imprint watermark` prints. Nil when the file is not a decodable JPEG or PNG.
    public func decodeAll(_ artifact: Artifact) throws(DecodeError) -> (width: Int, height: Int, outcome: DwtDctDecodeOutcome)? {
        guard artifact.format == .jpeg || artifact.format == .png else { return nil }
        // JPEG chroma replicated, not smoothed: each 2x2 block keeps the stored chroma,
        // which the Haar LL band the mark lives in is an average of. When `prepare` had
        // the shared decode stream that image to a collector, the votes are already in.
        if let collector = artifact.streamedReplicatedChroma(key: id) as? DwtDctStripCollector,
           let outcome = decoder.decode(collector) {
            return (collector.width, collector.height, outcome)
        }
        let raster = try artifact.rasterWithReplicatedChroma()
        return (raster.width, raster.height, decoder.decode(raster))
    }

    /// A colour JPEG's replicated-chroma image is read once, here: have the shared decode
    /// hand it over in strips rather than keep a second full-size image.
    public func prepare(_ artifact: Artifact) {
        guard artifact.format == .jpeg else { return }
        let decoder = self.decoder
        artifact.streamReplicatedChroma(key: id) { width, height in decoder.collector(width: width, height: height) }
    }

    public func analyze(_ artifact: Artifact) throws -> [Finding] {
        // Pixels the decoder cannot have are recorded once, as the file's decode error.
        guard let decoded = try? decodeAll(artifact),
              case let .decoded(blocks, results) = decoded.outcome else { return [] }
        // One finding per file: the payload with the lowest false-alarm probability.
        guard let best = results.filter({ $0.tier >= reportFrom }).min(by: { $0.falseAlarm < $1.falseAlarm }) else {
            return []
        }
        let others = results.filter { $0.payload.id != best.payload.id }
        return [finding(best, others: others, width: decoded.width, height: decoded.height, blocks: blocks)]
    }

    private func finding(_ result: DwtDctPayloadResult, others: [DwtDctPayloadResult], width: Int, height: Int, blocks: Int) -> Finding {
        let strength: Finding.Strength = result.tier == .veryLikely ? .strong : .moderate
        let summary = String(format: "The Stable Diffusion invisible watermark (dwtDct, payload %@: %@) decodes with %d of %d bits agreeing (%@ channel order, %@ lattice, offset %d); the chance of this agreement in an unmarked image is about %@. The embedding code is public, so this shows the pixels passed through a watermarking pipeline, not which model or who made them.",
                             result.payload.id, result.payload.writer, result.agreeing, result.payload.length,
                             result.variant.order.rawValue, result.variant.lattice.rawValue, result.variant.offset,
                             Self.probabilityText(result.falseAlarm))
        // The payload's decode (the same keys `imprint watermark --json` prints), then the context.
        let details: JSONValue = .object([.init("scheme", .string("sd-dwtdct"))] + Self.members(result) + [
            .init("variantsSearched", .integer(DwtDctVariant.searchSize)),
            .init("empiricalInflation", .double(DwtDctScoring.empiricalInflation)),
            .init("canonicalVariant", .bool(result.variant.isCanonical)),
            .init("blocks", .integer(blocks)),
            .init("imageWidth", .integer(width)),
            .init("imageHeight", .integer(height)),
            .init("otherPayloads", .array(others.map { other in
                .object(["payload": .string(other.payload.id), "bitsAgreeing": .integer(other.agreeing),
                         "payloadBits": .integer(other.payload.length), "pFalseAlarm": .double(other.falseAlarm),
                         "tier": .string(other.tier.rawValue)])
            })),
            .init("caveats", .array([
                .string("The embedding code is public: anyone can watermark any image."),
                .string("A positive shows the image passed through an SD-family pipeline with the watermarker enabled; it does not identify the model beyond the payload."),
                .string("Resizing, cropping off the 8-pixel grid, screenshots and platform re-encodes remove the mark: its absence is not evidence of a camera origin."),
            ])),
            .init("validation", .string(Self.validation)),
        ])
        return Finding(analyzer: id, analyzerVersion: version, category: .watermark, label: "watermark.sd-dwtdct",
                       strength: strength, score: 1 - result.falseAlarm, summary: summary, details: details,
                       location: .object(["element": .string("pixels: chroma (U) Haar LL band, 8 x 8 blocks"),
                                          "width": .integer(width), "height": .integer(height)]))
    }

    /// One payload's decode as JSON (`imprint watermark --json`).
    public static func json(_ result: DwtDctPayloadResult) -> JSONValue { .object(members(result)) }

    /// The keys of one payload's decode, shared by `json(_:)` and the finding's details.
    static func members(_ result: DwtDctPayloadResult) -> [JSONValue.Member] {
        [
            .init("payload", .string(result.payload.id)),
            .init("bitsAgreeing", .integer(result.agreeing)),
            .init("payloadBits", .integer(result.payload.length)),
            .init("agreement", .double((result.agreement * 10_000).rounded() / 10_000)),
            .init("pFalseAlarm", .double(result.falseAlarm)),
            .init("binomialTail", .double(result.binomialTail)),
            .init("tier", .string(result.tier.rawValue)),
            .init("order", .string(result.variant.order.rawValue)),
            .init("lattice", .string(result.variant.lattice.rawValue)),
            .init("latticeOffset", .integer(result.variant.offset)),
            .init("degenerate", .bool(result.degenerate)),
            .init("margin", .double((result.margin * 10_000).rounded() / 10_000)),
            .init("votesPerBit", .object(["min": .integer(result.minVotesPerBit), "max": .integer(result.maxVotesPerBit)])),
            .init("decodedBits", .string(result.decodedBits.map { $0 ? "1" : "0" }.joined())),
        ]
    }

    static func probabilityText(_ p: Double) -> String {
        p < 1e-12 ? "below 1e-12" : String(format: "%.1e", p)
    }
}
