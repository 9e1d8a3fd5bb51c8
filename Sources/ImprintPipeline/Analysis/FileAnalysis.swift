import ImprintBytes
import ImprintCase
import ImprintImaging
import ImprintMetadata
import ImprintSimilarity

/// Turns one walked entry into an `ObservedFile`: reads and hashes regular files once,
/// sniffs the format, and runs every analyzer on the shared artifact. Links and special
/// files are recorded from their `lstat` alone and never opened.
public struct FileAnalysis: Sendable {
    public var reader: EvidenceReader
    public var analyzers: [any Analyzer]
    public var decoder: ImageDecoder
    public var limits: ContainerLimits
    /// Whether containers are parsed and metadata extracted (off: hashing and sniffing only).
    public var parseContainers: Bool
    /// Seconds one file's analysis may take after it was read and hashed (nil: no budget);
    /// see `AnalysisDeadline`.
    public var timeBudgetSeconds: Double?
    /// Results of contents already analysed in this run, reused for byte-identical copies
    /// with the same extension (nil: every copy is analysed); see `ContentReuse`.
    public var reuse: ContentReuse?

    /// The default per-file analysis budget (`--max-seconds-per-file`).
    public static let defaultTimeBudgetSeconds = 120
    static let perceptualHashKey = "perceptual-hashes"

    /// Whether the shared decode must keep the full-size image: only when an analyzer that
    /// needs pixels may read it whole. With every pixel reader streaming (and the
    /// perceptual hashes streamed), a colour-subsampled JPEG is never held whole.
    static func holdsSharedRaster(for analyzers: [any Analyzer]) -> Bool {
        analyzers.contains { $0.needsPixels && !($0 is any StreamsSharedImage) }
    }

    public init(reader: EvidenceReader = EvidenceReader(), analyzers: [any Analyzer] = AnalyzerRegistry.all,
                decoder: ImageDecoder = ImageDecoder(), limits: ContainerLimits = ContainerLimits(),
                parseContainers: Bool = true, timeBudgetSeconds: Double? = Double(defaultTimeBudgetSeconds),
                reuse: ContentReuse? = nil) {
        self.reader = reader
        self.analyzers = analyzers
        self.decoder = decoder
        self.limits = limits
        self.parseContainers = parseContainers
        self.timeBudgetSeconds = timeBudgetSeconds
        self.reuse = reuse
    }

    /// The `decode-warning` message for the decoder's `count` warnings and first message.
    static func warningMessage(_ warnings: (count: Int, message: String?)) -> String {
        let what = warnings.count == 1 ? "1 problem" : "\(warnings.count) problems"
        return "decoded, but the decoder worked around \(what) in the compressed image data"
            + (warnings.message.map { " (first: \($0))" } ?? "")
            + "; part of the image may be grey or wrong, and so may what was computed from its pixels"
    }

    public func observe(_ entry: WalkEntry, displayPath: [UInt8]? = nil) -> ObservedFile {
        var file = ObservedFile(path: displayPath ?? entry.path, stat: entry.stat, linkTarget: entry.linkTarget)
        if let error = entry.error { file.errors.append(error) }
        guard entry.stat.kind == .file, entry.error == nil else { return file }

        let outcome = reader.read(entry)
        file.errors += outcome.errors
        file.sha256 = outcome.sha256
        file.md5 = outcome.md5
        file.sha1 = outcome.sha1
        guard outcome.sha256 != nil else { return file }
        let format = FormatSniffer.sniff(outcome.prefix)
        file.format = format.rawValue
        guard let bytes = outcome.bytes, let sha256 = outcome.sha256 else { return file }

        let key = ContentReuse.Key(sha256: sha256, sha1: outcome.sha1, md5: outcome.md5, size: Int64(bytes.count),
                                   fileExtension: Artifact.fileExtension(of: entry.name))
        if let reuse, let earlier = reuse.result(for: key) {
            file.apply(earlier)
            return file
        }
        let readErrors = file.errors.count

        // The budget starts once the file is read and hashed: hashing is never skipped.
        let deadline = AnalysisDeadline(budgetSeconds: timeBudgetSeconds)
        let artifact = Artifact(path: file.path, name: entry.name, bytes: bytes, format: format, decoder: decoder,
                                limits: limits, deadline: deadline)
        let hashesStreamed = format.isImage && parseContainers && ImageDecoder.canDecode(format)
        if hashesStreamed {
            // The perceptual hashes read every pixel: from the decode's strips while they
            // are in cache, rather than from the finished raster (`PerceptualHashStream`).
            artifact.streamSmooth(key: Self.perceptualHashKey) { width, height in PerceptualHashStream(width: width, height: height) }
        }
        for analyzer in analyzers { analyzer.prepare(artifact) }
        artifact.holdsSharedRaster = Self.holdsSharedRaster(for: analyzers)
        var overrun = BudgetOverrun()
        if format.isImage && parseContainers {
            if overrun.skips("container parsing", deadline) == false {
                let container = artifact.container
                file.width = container.width
                file.height = container.height
                file.structure = container.summaryJSON
                for issue in container.issues {
                    file.errors.append(RecordedError(stage: "parse", code: issue.code, message: issue.description))
                }
            }
            if overrun.skips("metadata extraction", deadline) == false {
                let metadata = artifact.metadata
                file.metadata = metadata.json
                for issue in metadata.issues {
                    file.errors.append(RecordedError(stage: "metadata", code: "metadata-unreadable", message: issue))
                }
            }
            // The one full decode, shared with every pixel analyzer below.
            if ImageDecoder.canDecode(format), overrun.skips("decoding and perceptual hashes", deadline) == false,
               (try? artifact.decodeShared()) != nil,
               let hashes = (artifact.streamedSmooth(key: Self.perceptualHashKey) as? PerceptualHashStream)?.hashes()
                   ?? (try? artifact.raster()).map({ PerceptualHashes.compute($0) }) {
                file.perceptualHashes = PerceptualHashRecord(pdq: hashes.pdq, pdqQuality: hashes.pdqQuality,
                                                             phash: hashes.phash, dhash: hashes.dhash)
                // PDQDihedral.allCases order, original first: the 7 others are the stored variants.
                if hashes.pdqDihedral.count == PDQDihedral.allCases.count,
                   PDQDihedral.allCases.dropFirst().map(\.rawValue) == PDQVariantColumns.names {
                    file.perceptualHashes?.pdqVariants = hashes.pdqDihedral.dropFirst().map(\.hex)
                }
            }
        }
        for analyzer in analyzers {
            if overrun.skips("analyzer \(analyzer.id)", deadline, analyzer: analyzer.id) { continue }
            do {
                file.findings += try analyzer.analyze(artifact)
            } catch let stopped as AnalysisBudgetExceeded {
                // The analyzer checked the deadline itself and stopped part-way.
                overrun.stoppedInside(analyzer.id, stopped)
            } catch {
                file.errors.append(RecordedError(stage: "analyze", analyzer: analyzer.id, code: "analyzer-failed",
                                                 message: String(describing: error)))
            }
        }
        if let error = overrun.recordedError(deadline) { file.errors.append(error) }
        for error in artifact.decodeErrors {
            file.errors.append(RecordedError(stage: "decode", code: error.code, message: error.description))
        }
        // Damaged compressed data that the decoder worked around (a truncated file, corrupt
        // entropy-coded data): the image decoded, but part of it may be grey or wrong, and
        // so may the hashes and findings made from it.
        if let warnings = artifact.sharedDecodeWarnings, warnings.count > 0 {
            file.errors.append(RecordedError(stage: "decode", code: "decode-warning", message: Self.warningMessage(warnings)))
        }
        // Only what the bytes alone decide is kept for copies: not a result the time budget
        // cut short, nor one that ran out of memory.
        if let reuse, !deadline.isExpired, !file.errors.contains(where: { $0.code == "time-budget" || $0.code == "out-of-memory" }) {
            reuse.store(ContentReuse.Result(width: file.width, height: file.height, structure: file.structure,
                                            metadata: file.metadata, perceptualHashes: file.perceptualHashes,
                                            errors: Array(file.errors[readErrors...]), findings: file.findings),
                        for: key)
        }
        return file
    }
}

/// The steps of one file's analysis that the time budget skipped, for one `time-budget` error.
struct BudgetOverrun {
    /// The step that was running (or about to run) when the budget ran out.
    private(set) var during: String?
    private(set) var analyzer: String?
    private(set) var skipped: [String] = []

    /// True (and the step is listed as skipped) when the budget is already spent.
    mutating func skips(_ step: String, _ deadline: AnalysisDeadline, analyzer id: String? = nil) -> Bool {
        guard deadline.isExpired else {
            during = step
            analyzer = id
            return false
        }
        skipped.append(step)
        return true
    }

    mutating func stoppedInside(_ id: String, _ stopped: AnalysisBudgetExceeded) {
        during = "analyzer \(id) (stopped itself before \(stopped.step))"
        analyzer = id
        skipped.append("the rest of analyzer \(id)")
    }

    /// The error when the budget ran out, even if the last step overran and nothing was
    /// left to skip: an overrun is always on record.
    func recordedError(_ deadline: AnalysisDeadline) -> RecordedError? {
        guard let budget = deadline.budgetSeconds, !skipped.isEmpty || deadline.isExpired else { return nil }
        let spent = AnalysisBudgetExceeded.seconds(deadline.elapsedSeconds)
        let what = skipped.isEmpty ? "nothing was left to skip" : "skipped: \(skipped.joined(separator: ", "))"
        return RecordedError(stage: "analyze", analyzer: analyzer, code: "time-budget",
                             message: "the analysis time budget of \(AnalysisBudgetExceeded.seconds(budget)) s per file ran out "
                                + "during \(during ?? "reading"); \(what) (\(spent) s in all)")
    }
}

extension ObservedFile {
    /// Takes an earlier copy's content-derived results (`ContentReuse`).
    fileprivate mutating func apply(_ earlier: ContentReuse.Result) {
        width = earlier.width
        height = earlier.height
        structure = earlier.structure
        metadata = earlier.metadata
        perceptualHashes = earlier.perceptualHashes
        errors += earlier.errors
        findings = earlier.findings
    }
}
