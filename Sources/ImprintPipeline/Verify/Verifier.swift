import ImprintBytes
import ImprintCase
#if canImport(Glibc)
import Glibc
#endif

/// What `imprint verify` found.
public struct VerificationReport: Sendable {
    public var chain: ChainCheck
    public var exhibits: [ExhibitCheck]
    public var evidenceChecked = 0
    public var evidenceMatched = 0
    /// Rows not re-checked: files unreadable at ingest, or `--skip-evidence`.
    public var evidenceSkipped = 0
    /// Report files recorded by `report.generated` events, re-hashed (`ReportFileCheck`).
    public var reportsChecked = 0
    public var reportsMatched = 0
    public var discrepancies: [Discrepancy] = []
    public var event: CustodyEvent?

    public var passed: Bool { discrepancies.isEmpty }

    public var json: JSONValue {
        .object([
            .init("pass", .bool(passed)),
            .init("chain", .object(["events": .integer(chain.events), "headSeq": chain.headSeq.map(JSONValue.int),
                                    "headHash": chain.headHash.map(JSONValue.string),
                                    "intact": .bool(chain.discrepancies.isEmpty)])),
            .init("exhibits", .array(exhibits.map { check in
                .object(["exhibitNumber": .string(check.exhibit.number), "files": .int(check.inventory.files),
                         "merkleRoot": .string(check.inventory.merkleRoot),
                         "recordedMerkleRoot": check.recordedRoot.map(JSONValue.string),
                         "intact": .bool(check.discrepancies.isEmpty)])
            })),
            .init("evidence", .object(["checked": .integer(evidenceChecked), "matched": .integer(evidenceMatched),
                                       "skipped": .integer(evidenceSkipped)])),
            .init("reports", .object(["checked": .integer(reportsChecked), "matched": .integer(reportsMatched)])),
            .init("discrepancyCount", .integer(discrepancies.count)),
            // The event carries the first 1,000; all are in verification_differences,
            // committed to by discrepanciesSha256.
            .init("discrepancies", .array(discrepancies.prefix(1000).map(\.json))),
        ])
    }
}

/// Recomputes the custody chain and each exhibit's Merkle root, re-hashes every recorded
/// evidence file still at its location, names every difference, and records the result
/// as a `verify.result` custody event.
public enum Verifier {
    static let pageSize = 1024

    public static func run(store: CaseStore, actor: Actor, jobs: Int = Ingest.defaultJobs, rehashEvidence: Bool = true,
                           anchors: [CustodyAnchor] = [], progress: ProgressReporter) async throws -> VerificationReport {
        let chain = try store.verifyChain()
        let events = try store.custodyEvents()
        let exhibits = try store.verifyExhibits(events: events)
        var report = VerificationReport(chain: chain, exhibits: exhibits)
        report.discrepancies = chain.discrepancies + anchors.compactMap { $0.check(events) } + exhibits.flatMap(\.discrepancies)
        report.discrepancies += try store.verifyHashSetsAndTags(events: events)
        let reports = ReportFileCheck.check(events: events)
        report.reportsChecked = reports.checked
        report.reportsMatched = reports.matched
        report.discrepancies += reports.discrepancies
        let totalFiles = exhibits.reduce(0) { $0 + Int($1.inventory.files) }
        progress.setTotals(files: totalFiles, bytes: exhibits.reduce(0) { $0 + $1.inventory.bytes })
        var done = 0
        var doneBytes: Int64 = 0

        for check in exhibits {
            let exhibit = check.exhibit
            guard rehashEvidence else {
                report.evidenceSkipped += Int(check.inventory.files)
                continue
            }
            guard case .success(let root) = DirectoryHandle.openRoot(exhibit.rootPath) else {
                report.discrepancies.append(.init(area: "exhibit", code: "root-missing", subject: exhibit.number,
                                                  message: "exhibit \(exhibit.number): evidence folder \(exhibit.rootPathText) is no longer accessible; \(check.inventory.files) files not re-checked"))
                report.evidenceSkipped += Int(check.inventory.files)
                continue
            }
            var rows = EvidenceRowTargets(store: store, exhibitID: exhibit.id, root: root, pageSize: pageSize)
            let engine = OrderedParallel(jobs: jobs, maxInFlightCost: Ingest.defaultMaxInFlightBytes)
            let reader = EvidenceReader(maxInMemoryBytes: 64 << 20)
            try await engine.run(&rows, cost: { target in
                if case .read(_, let entry) = target.action { return min(Int(clamping: entry.stat.size), reader.maxInMemoryBytes) }
                return 0
            }, work: { target in
                Self.check(target, reader: reader, exhibit: exhibit.number)
            }, sink: { outcome in
                done += 1
                doneBytes += max(outcome.row.size, 0)
                switch outcome.result {
                case .matched:
                    report.evidenceChecked += 1
                    report.evidenceMatched += 1
                case .skipped:
                    report.evidenceSkipped += 1
                case .differs(let discrepancy):
                    report.evidenceChecked += 1
                    report.discrepancies.append(discrepancy)
                }
                progress.update(files: done, bytes: doneBytes)
            })
            if let error = rows.error { throw error }
        }
        progress.finish()
        report.event = try store.recordVerification(actor: actor, summary: report.json, discrepancies: report.discrepancies)
        return report
    }

    struct Outcome: Sendable {
        enum Result: Sendable {
            case matched, skipped
            case differs(Discrepancy)
        }
        var row: FileRow
        var result: Result
    }

    static func check(_ target: EvidenceRowTargets.Target, reader: EvidenceReader, exhibit: String) -> Outcome {
        let row = target.row
        func differs(_ code: String, _ message: String) -> Outcome {
            Outcome(row: row, result: .differs(.init(area: "file", code: code, subject: row.pathText,
                                                     message: "file \(row.pathText) (exhibit \(exhibit)): \(message)")))
        }
        switch target.action {
        case .skip:
            return Outcome(row: row, result: .skipped)
        case .missing(let reason):
            return differs("file-missing", reason)
        case .typeChanged(let now):
            return differs("file-type-changed", "recorded as \(row.kind.rawValue), now a \(now.rawValue)")
        case .linkTarget(let now):
            return now == row.linkTarget ? Outcome(row: row, result: .matched)
                : differs("link-changed", "link text changed (recorded \(PathBytes.display(row.linkTarget ?? [])), now \(PathBytes.display(now)))")
        case .exists:
            return Outcome(row: row, result: .matched)
        case .read(_, let entry):
            let outcome = reader.read(entry)
            guard let sha = outcome.sha256 else {
                return differs("file-unreadable", "can no longer be read: \(outcome.errors.first?.message ?? "unknown error")")
            }
            if sha != row.sha256 || outcome.bytesRead != row.size {
                return differs("file-changed", "content changed: recorded SHA-256 \(row.sha256 ?? "none") (\(row.size) bytes), now \(sha) (\(outcome.bytesRead) bytes)")
            }
            if let recorded = row.sha1, outcome.sha1 != recorded {
                // Same SHA-256 and size but another SHA-1: the record's SHA-1 was edited.
                return differs("sha1-differs", "SHA-256 matches but the recorded SHA-1 \(recorded) differs from the file's \(outcome.sha1 ?? "none") (record edited)")
            }
            if outcome.md5 != row.md5 {
                // Same SHA-256 and size but another MD5: the record's MD5 was edited.
                return differs("md5-differs", "SHA-256 matches but the recorded MD5 \(row.md5 ?? "none") differs from the file's \(outcome.md5 ?? "none") (record edited)")
            }
            return Outcome(row: row, result: .matched)
        }
    }
}

/// Pages through an exhibit's file rows and decides, in order and cheaply (one `lstat`),
/// what checking each needs; only content re-hashing runs concurrently.
struct EvidenceRowTargets: IteratorProtocol {
    struct Target: Sendable {
        enum Action: Sendable {
            case read(FileRow, WalkEntry)
            case linkTarget([UInt8])
            case exists
            case missing(String)
            case typeChanged(FileKind)
            case skip
        }
        var row: FileRow
        var action: Action
    }

    let store: CaseStore
    let exhibitID: Int64
    let root: DirectoryHandle
    let pageSize: Int
    private var page: [FileRow] = []
    private var index = 0
    private var lastID: Int64 = 0
    private var exhausted = false
    private var cachedDirectory: (path: [UInt8], result: Result<DirectoryHandle, Errno>)?
    private(set) var error: (any Error)?

    init(store: CaseStore, exhibitID: Int64, root: DirectoryHandle, pageSize: Int) {
        self.store = store
        self.exhibitID = exhibitID
        self.root = root
        self.pageSize = pageSize
    }

    mutating func next() -> Target? {
        if index >= page.count {
            guard !exhausted else { return nil }
            do {
                page = try store.fileRows(exhibitID: exhibitID, after: lastID, limit: pageSize)
            } catch {
                self.error = error
                return nil
            }
            index = 0
            if page.count < pageSize { exhausted = true }
            guard let last = page.last else { return nil }
            lastID = last.id
        }
        let row = page[index]
        index += 1
        return Target(row: row, action: action(for: row))
    }

    private mutating func action(for row: FileRow) -> Target.Action {
        // Unreadable at ingest (nothing to compare) or recorded only because it could not be listed.
        if row.kind == .file && row.sha256 == nil { return .skip }
        if row.kind == .directory || row.kind == .unknown { return .skip }
        let components = row.path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        guard let name = components.last.map(Array.init) else { return .missing("recorded path is empty") }
        let parentPath = components.dropLast().map(Array.init).joined(separator: [UInt8(ascii: "/")]).map { $0 }
        let directory: DirectoryHandle
        if let cached = cachedDirectory, cached.path == parentPath {
            guard case .success(let handle) = cached.result else { return .missing("its folder is gone") }
            directory = handle
        } else {
            let result = parentPath.isEmpty ? .success(root) : root.openBeneath(parentPath)
            cachedDirectory = (parentPath, result)
            switch result {
            case .success(let handle): directory = handle
            case .failure(let error):
                return .missing(error.code == ELOOP || error.code == ENOTDIR
                                ? "a folder on its path was replaced by a link or a file"
                                : "its folder is gone (\(error.text))")
            }
        }
        switch POSIX.lstatAt(directory.fd, name) {
        case .failure(let error):
            return .missing(error.code == ENOENT ? "missing from its recorded location" : "cannot be examined: \(error.text)")
        case .success(let stat):
            guard stat.kind == row.kind else { return .typeChanged(stat.kind) }
            switch stat.kind {
            case .file:
                return .read(row, WalkEntry(directory: directory, name: name, path: row.path, stat: stat,
                                            linkTarget: nil, error: nil))
            case .symlink:
                guard case .success(let target) = POSIX.readLinkAt(directory.fd, name) else {
                    return .missing("link can no longer be read")
                }
                return .linkTarget(target)
            default:
                return .exists
            }
        }
    }
}
