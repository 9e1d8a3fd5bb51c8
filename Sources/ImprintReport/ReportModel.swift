import ImprintBytes
import ImprintCase

/// Everything a report says, gathered once from the case and the run, so every format
/// (HTML, PDF, JSON, CSV, CASE/UCO) renders the same facts. Built by `ReportModelBuilder`;
/// nothing here depends on the clock except `generatedAtUTC`, so the same case and options
/// give the same bytes.
public struct ReportModel: Sendable {
    public var caseInfo: CaseInfo
    /// `<case number>-R<n>`: n counts this case's earlier `report.generated` events + 1.
    public var reportID: String
    /// RFC 3339 UTC; the only clock-dependent value (also recorded in custody).
    public var generatedAtUTC: String
    public var examiner: String
    public var tool: ToolInfo
    public var analyzers: [AnalyzerUse]
    public var trustLists: [TrustListUse]
    public var hashSets: [ReportHashSet]
    public var exhibits: [ExhibitSummary]
    public var files: [ReportFileRow]
    public var findings: [ReportFindingRow]
    public var errors: [ReportErrorRow]
    public var clustering: StoredClustering?
    /// The custody log as it stood when generation began (before this run's own events).
    public var custody: [CustodyEvent]
    public var verification: ReportVerification
    public var imageHandling: ImageHandling
    public var notes: ExaminerNotes?
    /// Recorded metadata JSON of flagged files (those with findings), by file id.
    public var flaggedMetadata: [Int64: String]
    public var thumbnails: [Int64: ReportThumbnail]
    /// Whether the CASE/UCO export names files (`--with-names`).
    public var withNames: Bool

    public init(caseInfo: CaseInfo, reportID: String, generatedAtUTC: String, examiner: String, tool: ToolInfo,
                analyzers: [AnalyzerUse], trustLists: [TrustListUse], hashSets: [ReportHashSet],
                exhibits: [ExhibitSummary], files: [ReportFileRow], findings: [ReportFindingRow],
                errors: [ReportErrorRow], clustering: StoredClustering?, custody: [CustodyEvent],
                verification: ReportVerification, imageHandling: ImageHandling, notes: ExaminerNotes?,
                flaggedMetadata: [Int64: String], thumbnails: [Int64: ReportThumbnail], withNames: Bool) {
        self.caseInfo = caseInfo
        self.reportID = reportID
        self.generatedAtUTC = generatedAtUTC
        self.examiner = examiner
        self.tool = tool
        self.analyzers = analyzers
        self.trustLists = trustLists
        self.hashSets = hashSets
        self.exhibits = exhibits
        self.files = files
        self.findings = findings
        self.errors = errors
        self.clustering = clustering
        self.custody = custody
        self.verification = verification
        self.imageHandling = imageHandling
        self.notes = notes
        self.flaggedMetadata = flaggedMetadata
        self.thumbnails = thumbnails
        self.withNames = withNames
    }

    /// Files by id.
    public var filesByID: [Int64: ReportFileRow] {
        Dictionary(files.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The ids of files with at least one finding, in report order.
    public var flaggedFileIDs: [Int64] {
        var seen = Set<Int64>()
        return findings.compactMap { seen.insert($0.fileID).inserted ? $0.fileID : nil }
    }

    public var summary: SummaryCounts { SummaryCounts(self) }
}

/// The build that wrote the report.
public struct ToolInfo: Sendable, Equatable {
    public var name: String
    public var version: String
    /// SHA-256 of the running executable: identifies the exact build.
    public var executableSHA256: String?
    public var host: String
    public var operatingSystem: String
    /// Library name → version (libjpeg-turbo, libpng, SQLite, …), sorted by name when shown.
    public var libraries: [String: String]
    public var pdfEngine: String?

    public init(name: String = "imprint", version: String, executableSHA256: String?, host: String,
                operatingSystem: String, libraries: [String: String], pdfEngine: String? = nil) {
        self.name = name
        self.version = version
        self.executableSHA256 = executableSHA256
        self.host = host
        self.operatingSystem = operatingSystem
        self.libraries = libraries
        self.pdfEngine = pdfEngine
    }

    /// "imprint 0.1.0 (build sha256 1a2b3c4d5e6f)".
    public var display: String {
        "\(name) \(version)" + (executableSHA256.map { " (build sha256 \($0.prefix(12)))" } ?? "")
    }
}

/// One analyzer (or case-level analysis) as the custody log records it being run.
public struct AnalyzerUse: Sendable, Equatable {
    public var id: String
    public var version: String
    public var parameters: JSONValue
    /// Custody event seqs of the runs that used it with these parameters.
    public var runEvents: [Int64]

    public init(id: String, version: String, parameters: JSONValue, runEvents: [Int64]) {
        self.id = id
        self.version = version
        self.parameters = parameters
        self.runEvents = runEvents
    }
}

/// A C2PA trust list used by an ingest, by its SHA-256.
public struct TrustListUse: Sendable, Equatable {
    public var sha256: String
    public var anchorCount: Int64?
    public var runEvents: [Int64]
}

/// An exhibit with its recomputed inventory and the root its last ingest committed to.
public struct ExhibitSummary: Sendable, Equatable {
    public var number: String
    public var description: String?
    public var rootPath: String
    public var registeredAtUTC: String
    public var inventory: ExhibitInventory
    public var recordedMerkleRoot: String?
    public var committedBySeq: Int64?
}

/// The `verify` run made at report time.
public struct ReportVerification: Sendable, Equatable {
    public var passed: Bool
    public var chainIntact: Bool
    public var chainEvents: Int
    public var chainHeadSeq: Int64?
    public var chainHeadHash: String?
    public var evidenceChecked: Int
    public var evidenceMatched: Int
    public var evidenceSkipped: Int
    public var reportsChecked: Int
    public var reportsMatched: Int
    public var evidenceRehashed: Bool
    public var discrepancies: [Discrepancy]
    /// The custody event recording it (`verify.result`).
    public var eventSeq: Int64?

    public init(passed: Bool, chainIntact: Bool, chainEvents: Int, chainHeadSeq: Int64?, chainHeadHash: String?,
                evidenceChecked: Int, evidenceMatched: Int, evidenceSkipped: Int, reportsChecked: Int, reportsMatched: Int,
                evidenceRehashed: Bool, discrepancies: [Discrepancy], eventSeq: Int64?) {
        self.passed = passed
        self.chainIntact = chainIntact
        self.chainEvents = chainEvents
        self.chainHeadSeq = chainHeadSeq
        self.chainHeadHash = chainHeadHash
        self.evidenceChecked = evidenceChecked
        self.evidenceMatched = evidenceMatched
        self.evidenceSkipped = evidenceSkipped
        self.reportsChecked = reportsChecked
        self.reportsMatched = reportsMatched
        self.evidenceRehashed = evidenceRehashed
        self.discrepancies = discrepancies
        self.eventSeq = eventSeq
    }

    /// The verification statement of CUSTODY-AND-EXCHANGE.md §6.
    public func statement(at time: String, tool: String) -> String {
        var text = "At \(time) \(tool) verified: custody chain \(chainIntact ? "intact" : "BROKEN") "
            + "(\(chainEvents) events, head \(chainHeadHash ?? "none")); "
        text += evidenceRehashed ? "evidence \(evidenceMatched)/\(evidenceChecked) files match" : "evidence not re-hashed (--skip-evidence)"
        if evidenceSkipped > 0 { text += " (\(evidenceSkipped) not re-checked)" }
        text += "; reports \(reportsMatched)/\(reportsChecked) match"
        text += passed ? "." : "; \(discrepancies.count) difference(s), each named below."
        return text
    }
}

/// How imagery is shown: pixelated by default; clear only by an explicit, logged act.
public struct ImageHandling: Sendable, Equatable {
    public var revealed: Bool
    /// Who asked for clear thumbnails, and the custody event recording it.
    public var revealedBy: String?
    public var revealEventSeq: Int64?
    /// Blocks across the short side of a pixelated thumbnail.
    public var mosaicBlocks: Int
    /// Files shown as thumbnails, and those left out by the cap.
    public var thumbnailLimit: Int
    public var thumbnailsOmitted: Int

    public init(revealed: Bool, revealedBy: String?, revealEventSeq: Int64?, mosaicBlocks: Int, thumbnailLimit: Int,
                thumbnailsOmitted: Int) {
        self.revealed = revealed
        self.revealedBy = revealedBy
        self.revealEventSeq = revealEventSeq
        self.mosaicBlocks = mosaicBlocks
        self.thumbnailLimit = thumbnailLimit
        self.thumbnailsOmitted = thumbnailsOmitted
    }
}

/// A thumbnail as embedded: pixelated, clear (revealed), or a placeholder with the reason.
public struct ReportThumbnail: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case pixelated, clear, placeholder
    }
    public var kind: Kind
    public var mimeType: String
    public var bytes: [UInt8]
    public var width: Int
    public var height: Int
    /// Why there is no image (placeholder only).
    public var reason: String?

    public init(kind: Kind, mimeType: String, bytes: [UInt8], width: Int, height: Int, reason: String? = nil) {
        self.kind = kind
        self.mimeType = mimeType
        self.bytes = bytes
        self.width = width
        self.height = height
        self.reason = reason
    }

    public static func placeholder(_ reason: String) -> ReportThumbnail {
        ReportThumbnail(kind: .placeholder, mimeType: "", bytes: [], width: 0, height: 0, reason: reason)
    }
}

/// The examiner's notes given with `--notes`, shown verbatim (escaped) with their SHA-256.
public struct ExaminerNotes: Sendable, Equatable {
    public var fileName: String
    public var text: String
    public var sha256: String

    public init(fileName: String, text: String, sha256: String) {
        self.fileName = fileName
        self.text = text
        self.sha256 = sha256
    }
}
