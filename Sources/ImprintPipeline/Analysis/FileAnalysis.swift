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

    public init(reader: EvidenceReader = EvidenceReader(), analyzers: [any Analyzer] = AnalyzerRegistry.all,
                decoder: ImageDecoder = ImageDecoder(), limits: ContainerLimits = ContainerLimits(),
                parseContainers: Bool = true) {
        self.reader = reader
        self.analyzers = analyzers
        self.decoder = decoder
        self.limits = limits
        self.parseContainers = parseContainers
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
        guard let bytes = outcome.bytes else { return file }

        let artifact = Artifact(path: file.path, name: entry.name, bytes: bytes, format: format, decoder: decoder,
                                limits: limits)
        if format.isImage && parseContainers {
            let container = artifact.container
            file.width = container.width
            file.height = container.height
            file.structure = container.summaryJSON
            for issue in container.issues {
                file.errors.append(RecordedError(stage: "parse", code: issue.code, message: issue.description))
            }
            let metadata = artifact.metadata
            file.metadata = metadata.json
            for issue in metadata.issues {
                file.errors.append(RecordedError(stage: "metadata", code: "metadata-unreadable", message: issue))
            }
            // The one full decode, shared with every pixel analyzer below.
            if ImageDecoder.canDecode(format), let raster = try? artifact.raster() {
                let hashes = PerceptualHashes.compute(raster)
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
            do {
                file.findings += try analyzer.analyze(artifact)
            } catch {
                file.errors.append(RecordedError(stage: "analyze", analyzer: analyzer.id, code: "analyzer-failed",
                                                 message: String(describing: error)))
            }
        }
        for error in artifact.decodeErrors {
            file.errors.append(RecordedError(stage: "decode", code: error.code, message: error.description))
        }
        return file
    }
}
