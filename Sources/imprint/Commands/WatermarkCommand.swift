import ArgumentParser
import Foundation
import ImprintBytes
import ImprintCase
import ImprintDetectors
import ImprintImaging
import ImprintPipeline

struct WatermarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watermark",
        abstract: "Show the Stable Diffusion invisible-watermark decode of images, whatever its outcome.",
        discussion: """
            Decodes the dwtDct watermark of Stable Diffusion 1.x/2.x, SDXL and diffusers for every \
            payload (sd1, sd2, sdxl) and prints, per payload, the best of the variants searched: \
            bits agreeing, channel order, lattice and offset, the false-alarm probability and the \
            tier (none, partial, likely, very_likely). The analyzer run by ingest and analyze \
            reports only 'likely' and above; this command shows the evidence behind a negative \
            too. Files are opened read-only; nothing is recorded. The limit options are \
            those of analyze; --max-seconds-per-file has nothing to cut short here (each file \
            is one decode) and is not applied. See docs/watermarks.md.
            """)

    @Argument(help: "Files or folders to decode.")
    var paths: [String]

    @Flag(help: "One JSON object per file per line.")
    var json = false

    @OptionGroup var limits: AnalysisLimitOptions
    @OptionGroup var jobs: JobsOption

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or folder") }
    }

    func run() async throws {
        var targets = AnalyzeTargets(paths: paths)
        let reader = EvidenceReader(maxInMemoryBytes: limits.maxInMemoryBytes)
        let decoder = ImageDecoder(maxPixels: limits.maxPixels)
        let analyzer = SDWatermarkAnalyzer()
        let engine = OrderedParallel(jobs: jobs.jobs, maxInFlightCost: max(Ingest.defaultMaxInFlightBytes, limits.maxInMemoryBytes * 2))
        let asJSON = json
        try await engine.run(&targets, cost: { target in
            if case .entry(let entry, _) = target, entry.stat.kind == .file { return Int(clamping: entry.stat.size) }
            return 0
        }, work: { target in
            Self.decode(target, reader: reader, decoder: decoder, analyzer: analyzer)
        }, sink: { object in
            Console.out(asJSON ? object.serialized() : Self.text(object))
        })
    }

    static func decode(_ target: AnalyzeTarget, reader: EvidenceReader, decoder: ImageDecoder,
                       analyzer: SDWatermarkAnalyzer) -> JSONValue {
        switch target {
        case let .unreachable(path, error):
            return status(path, "error", reason: error.message)
        case let .entry(entry, displayPath):
            guard entry.stat.kind == .file, entry.error == nil else {
                return status(displayPath, "skipped", reason: entry.error?.message ?? "not a regular file (\(entry.stat.kind.rawValue))")
            }
            let outcome = reader.read(entry)
            guard let bytes = outcome.bytes else {
                return status(displayPath, "error", reason: outcome.errors.first?.message ?? "not read")
            }
            let artifact = Artifact(path: displayPath, name: entry.name, bytes: bytes,
                                    format: FormatSniffer.sniff(outcome.prefix), decoder: decoder)
            let decoded: (width: Int, height: Int, outcome: DwtDctDecodeOutcome)?
            do {
                decoded = try analyzer.decodeAll(artifact)
            } catch {
                return status(displayPath, "error", reason: error.description, sha256: outcome.sha256)
            }
            guard let decoded else {
                return status(displayPath, "unsupported", reason: "only JPEG and PNG pixels are decoded", sha256: outcome.sha256)
            }
            var members: [JSONValue.Member] = [
                .init("path", .string(PathBytes.display(displayPath))),
                .init("sha256", outcome.sha256.map(JSONValue.string) ?? .null),
                .init("width", .integer(decoded.width)),
                .init("height", .integer(decoded.height)),
                .init("variantsPerPayload", .integer(DwtDctVariant.searchSize)),
            ]
            switch decoded.outcome {
            case let .notApplicable(reason):
                members += [.init("status", .string("not_applicable")), .init("reason", .string(reason))]
            case let .decoded(blocks, results):
                members += [.init("status", .string("decoded")), .init("blocks", .integer(blocks)),
                            .init("payloads", .array(results.map(SDWatermarkAnalyzer.json)))]
            }
            return .object(members)
        }
    }

    static func status(_ path: [UInt8], _ status: String, reason: String, sha256: String? = nil) -> JSONValue {
        .object([.init("path", .string(PathBytes.display(path))), .init("sha256", sha256.map(JSONValue.string) ?? .null),
                 .init("status", .string(status)), .init("reason", .string(reason))])
    }

    static func text(_ object: JSONValue) -> String {
        var line = object["path"]?.stringValue ?? "?"
        let status = object["status"]?.stringValue ?? "?"
        guard status == "decoded", let payloads = object["payloads"]?.arrayValue else {
            return line + "  \(status): \(object["reason"]?.stringValue ?? "")"
        }
        for payload in payloads {
            let agreeing = payload["bitsAgreeing"]?.intValue ?? 0, bits = payload["payloadBits"]?.intValue ?? 0
            let p = payload["pFalseAlarm"]?.doubleValue ?? 1
            line += "\n    \(payload["payload"]?.stringValue ?? "?"): \(agreeing)/\(bits) bits  \(payload["tier"]?.stringValue ?? "?")"
                + "  p(false alarm) \(p < 1e-12 ? "<1e-12" : String(format: "%.1e", p))"
                + "  [\(payload["order"]?.stringValue ?? "")/\(payload["lattice"]?.stringValue ?? "")/+\(payload["latticeOffset"]?.intValue ?? 0)]"
                + ((payload["degenerate"]?.boolValue ?? false) ? "  degenerate" : "")
        }
        return line
    }
}
