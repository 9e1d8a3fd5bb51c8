import ArgumentParser
import ImprintBytes
import ImprintCase
import ImprintImaging
import ImprintPipeline

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run imprint's per-file analysis without a case (the scriptable interface).",
        discussion: """
            Runs exactly what ingest runs on each file — read once, SHA-256 and MD5, format from \
            magic bytes, every analyzer — and prints the result. Folders are walked recursively \
            without following links. Nothing is recorded and no custody event is written.

            With --json: one JSON object per file per line, in walk order. The schema is \
            documented in docs/analyze-json.md.
            """)

    @Argument(help: "Files or folders to analyse.")
    var paths: [String]

    @Flag(help: "One JSON object per file per line.")
    var json = false

    @Flag(help: "Only read, hash (SHA-256, MD5) and sniff each file: no parsing, metadata or analyzers.")
    var hashOnly = false

    @OptionGroup var limits: AnalysisLimitOptions
    @OptionGroup var provenance: ProvenanceOptions
    @OptionGroup var jobs: JobsOption

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or folder") }
    }

    func run() async throws {
        var targets = AnalyzeTargets(paths: paths)
        let limit = limits.maxInMemoryBytes
        let analysis = FileAnalysis(reader: EvidenceReader(maxInMemoryBytes: limit),
                                    analyzers: hashOnly ? [] : try provenance.analyzers(),
                                    decoder: ImageDecoder(maxPixels: limits.maxPixels), parseContainers: !hashOnly,
                                    timeBudgetSeconds: limits.timeBudgetSeconds)
        let engine = OrderedParallel(jobs: jobs.jobs, maxInFlightCost: max(Ingest.defaultMaxInFlightBytes, limit * 2))
        let asJSON = json
        try await engine.run(&targets, cost: { target in
            if case .entry(let entry, _) = target, entry.stat.kind == .file { return min(Int(clamping: entry.stat.size), limit) }
            return 0
        }, work: { analysis.observe($0) }, sink: { file in
            Console.out(asJSON ? AnalyzeOutput.json(file).serialized() : AnalyzeOutput.text(file))
        })
    }
}

/// The two renderings of one analysed file.
enum AnalyzeOutput {
    static func json(_ file: ObservedFile) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("path", .string(file.pathText)),
            .init("kind", .string(file.stat.kind.rawValue)),
            .init("size", .int(file.stat.size)),
            .init("modified", file.stat.mtimeNs == 0 && file.stat.kind == .unknown ? .null
                  : .string(Timestamp.rfc3339(epochNanoseconds: file.stat.mtimeNs))),
            .init("sha256", file.sha256.map(JSONValue.string) ?? .null),
            .init("md5", file.md5.map(JSONValue.string) ?? .null),
            .init("format", file.format.map(JSONValue.string) ?? .null),
        ]
        if let target = file.linkTarget { members.append(.init("linkTarget", .string(PathBytes.display(target)))) }
        members.append(.init("width", file.width.map(JSONValue.integer) ?? .null))
        members.append(.init("height", file.height.map(JSONValue.integer) ?? .null))
        members.append(.init("hashes", file.perceptualHashes?.json ?? .null))
        members.append(.init("errors", .array(file.errors.map(\.json))))
        members.append(.init("findings", .array(file.findings.map(\.json))))
        if let metadata = file.metadata { members.append(.init("metadata", metadata)) }
        if let structure = file.structure { members.append(.init("structure", structure)) }
        return .object(members)
    }

    static func text(_ file: ObservedFile) -> String {
        var line = file.pathText
        switch file.stat.kind {
        case .file:
            line += "  \(file.format ?? "?")  \(file.stat.size) bytes"
            if let width = file.width, let height = file.height { line += "  \(width)x\(height)" }
            if let sha = file.sha256 { line += "  sha256 \(sha)" }
        case .symlink:
            line += "  symlink -> \(PathBytes.display(file.linkTarget ?? []))"
        default:
            line += "  \(file.stat.kind.rawValue)"
        }
        for error in file.errors { line += "\n    error (\(error.stage), \(error.code)): \(error.message)" }
        for finding in file.findings { line += "\n    [\(finding.strength.rawValue)] \(finding.label): \(finding.summary)" }
        return line
    }
}
