#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImprintBytes
import ImprintCase
import ImprintImaging

/// What `imprint ingest` is asked to do.
public struct IngestRequest: Sendable {
    public var evidenceRoot: String
    public var exhibitNumber: String
    public var exhibitDescription: String?
    public var jobs: Int
    /// Upper bound on bytes of files being read and analysed at once.
    public var maxInFlightBytes: Int
    public var maxInMemoryBytes: Int
    /// Images with more pixels are not decoded (a recorded `pixel-limit` error).
    public var maxPixels: Int
    /// The analyzers to run (their ids, versions and parameters are recorded with the run).
    public var analyzers: [any Analyzer]
    /// Seconds each file's analysis may take after hashing (nil: no budget); `AnalysisDeadline`.
    public var timeBudgetSeconds: Double? = Double(FileAnalysis.defaultTimeBudgetSeconds)
    /// Byte-identical copies (same extension) take the first copy's analysis instead of
    /// being decoded and analysed again (`ContentReuse`); off: every copy is analysed.
    public var reuseIdenticalContent = true

    public init(evidenceRoot: String, exhibitNumber: String, exhibitDescription: String? = nil,
                jobs: Int = Ingest.defaultJobs, maxInFlightBytes: Int = Ingest.defaultMaxInFlightBytes,
                maxInMemoryBytes: Int = EvidenceReader.defaultMaxInMemoryBytes,
                maxPixels: Int = ImageDecoder.defaultMaxPixels, analyzers: [any Analyzer] = AnalyzerRegistry.all) {
        self.evidenceRoot = evidenceRoot
        self.exhibitNumber = exhibitNumber
        self.exhibitDescription = exhibitDescription
        self.jobs = jobs
        self.maxInFlightBytes = maxInFlightBytes
        self.maxInMemoryBytes = maxInMemoryBytes
        self.maxPixels = maxPixels
        self.analyzers = analyzers
    }
}

/// What an ingest did.
public struct IngestSummary: Sendable {
    public var exhibit: Exhibit
    public var runID: Int64
    public var resumedRuns: [Int64]
    public var entriesSeen = 0
    public var newlyRecorded = 0
    public var unchanged = 0
    public var changes: [EvidenceChange] = []
    /// Entries that still differ from their record as an earlier run already recorded.
    public var knownChanges = 0
    public var newWithErrors = 0
    public var findings = 0
    /// New files whose analysis was an earlier identical copy's (`ContentReuse`).
    public var reusedAnalyses = 0
    public var bytesRead: Int64 = 0
    public var seconds = 0.0
    public var inventory: ExhibitInventory?
    /// `ingest.completed`, or `ingest.interrupted` when a stop was requested.
    public var completedEvent: CustodyEvent?
    public var interrupted = false

    public var json: JSONValue {
        .object([
            .init("entriesSeen", .integer(entriesSeen)), .init("newlyRecorded", .integer(newlyRecorded)),
            .init("unchanged", .integer(unchanged)), .init("changed", .integer(changes.count)),
            .init("knownChanges", .integer(knownChanges)),
            .init("changedPaths", .array(changes.prefix(1000).map { .string(PathBytes.display($0.path)) })),
            .init("newWithErrors", .integer(newWithErrors)), .init("findings", .integer(findings)),
            .init("reusedAnalyses", .integer(reusedAnalyses)),
            .init("bytesRead", .int(bytesRead)), .init("interrupted", .bool(interrupted)),
        ])
    }
}

/// Ingest of one evidence folder into a case: walk, read and hash once, analyse, record
/// in batched transactions from a single writer, and commit the exhibit's Merkle root to
/// the custody log. Resumable: a re-run after any interruption finishes the rest.
public enum Ingest {
    public static var defaultJobs: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
    public static let defaultMaxInFlightBytes = 1 << 30
    /// A batch is committed when it holds this many rows, or after `flushInterval`.
    static let batchRows = 512
    static let flushInterval = 1.0

    public static func run(_ request: IngestRequest, store: CaseStore, actor: Actor, progress: ProgressReporter,
                           stop: StopRequest = StopRequest(),
                           onChange: (EvidenceChange) -> Void = { _ in }) async throws -> IngestSummary {
        let lock = try CaseLock(casePath: store.path)
        defer { withExtendedLifetime(lock) {} }

        let rootBytes = try resolveRoot(request.evidenceRoot)
        try refuseCaseInsideEvidence(casePath: store.path, root: rootBytes)
        let exhibit = try store.registerExhibit(number: request.exhibitNumber, rootPath: rootBytes,
                                                description: request.exhibitDescription, actor: actor)
        // Never build on an altered record: a new ingest.completed would commit to it.
        if let altered = try store.verifyExhibits().first(where: { $0.exhibit.id == exhibit.id })?.discrepancies
            .first(where: { ["merkle-mismatch", "row-count-mismatch", "row-malformed", "merkle-missing", "rows-unaccounted"].contains($0.code) }) {
            throw PipelineError.recordAltered("\(altered.message). Refusing to ingest more into this exhibit; run 'imprint verify' and investigate")
        }
        let root: DirectoryHandle
        switch DirectoryHandle.openRoot(rootBytes) {
        case .success(let handle): root = handle
        case .failure(let error):
            throw PipelineError.evidenceRoot("cannot open evidence folder \(exhibit.rootPathText): \(error.text)")
        }
        let analysis = FileAnalysis(reader: EvidenceReader(maxInMemoryBytes: request.maxInMemoryBytes),
                                    analyzers: request.analyzers, decoder: ImageDecoder(maxPixels: request.maxPixels),
                                    timeBudgetSeconds: request.timeBudgetSeconds,
                                    reuse: request.reuseIdenticalContent ? ContentReuse() : nil)
        let options: JSONValue = .object([
            "jobs": .integer(request.jobs), "maxInFlightBytes": .integer(request.maxInFlightBytes),
            "maxInMemoryBytes": .integer(request.maxInMemoryBytes), "maxPixels": .integer(request.maxPixels),
            "maxSecondsPerFile": request.timeBudgetSeconds.map { .integer(Int($0.rounded(.up))) } ?? .null,
            "reuseIdenticalContent": .bool(request.reuseIdenticalContent),
            "decoders": .object(ImageDecoder.libraryVersions.sorted { $0.key < $1.key }.map { .init($0.key, .string($0.value)) }),
        ])
        let started = try store.beginIngestRun(exhibit: exhibit, actor: actor, options: options,
                                               analyzers: analysis.analyzers.map(\.descriptor))
        var summary = IngestSummary(exhibit: exhibit, runID: started.runID, resumedRuns: started.interruptedRunIDs)
        let clock = Monotonic.now()

        // A quick census first, so progress can show totals and an ETA.
        var census = (files: 0, bytes: Int64(0))
        for entry in EvidenceWalker(root: root) {
            if stop.isRequested { break }
            census.files += 1
            if entry.stat.kind == .file { census.bytes += entry.stat.size }
        }
        progress.setTotals(files: census.files, bytes: census.bytes)

        let alreadyRecorded = try store.fileCount(exhibitID: exhibit.id) > 0
        var plan = IngestPlan(walker: EvidenceWalker(root: root), store: store, exhibitID: exhibit.id,
                              hasRecordedFiles: alreadyRecorded, stop: stop)
        if let rootError = plan.rootError {
            throw PipelineError.evidenceRoot("evidence folder \(exhibit.rootPathText): \(rootError.message)")
        }
        let work = IngestWork(analysis: analysis)
        var pendingFiles: [ObservedFile] = []
        var pendingChanges: [EvidenceChange] = []
        var lastFlush = Monotonic.now()
        var progressBytes: Int64 = 0

        func flush() async throws {
            guard !pendingFiles.isEmpty || !pendingChanges.isEmpty else { return }
            do {
                try await store.record(files: pendingFiles, changes: pendingChanges, runID: started.runID, exhibitID: exhibit.id)
            } catch {
                // The batch's transaction rolled back; every earlier batch is committed.
                throw PipelineError.recordFailed("could not record \(pendingFiles.count + pendingChanges.count) entries in the case "
                    + "(\(error)). Everything recorded before is kept; fix the cause (a full disk?) and run the same command again to finish")
            }
            pendingFiles.removeAll(keepingCapacity: true)
            pendingChanges.removeAll(keepingCapacity: true)
            lastFlush = Monotonic.now()
        }

        let engine = OrderedParallel(jobs: request.jobs, maxInFlightCost: request.maxInFlightBytes)
        try await engine.run(&plan, cost: { item in
            // Bytes held in memory at once: a file streamed past the in-memory limit costs a chunk.
            item.entry.stat.kind == .file && !item.isUnchanged && !item.isKnownChange
                ? min(Int(clamping: item.entry.stat.size), request.maxInMemoryBytes) : 0
        }, work: { work.process($0) }, sink: { result in
            summary.entriesSeen += 1
            switch result {
            case let .recorded(file, bytesRead):
                summary.newlyRecorded += 1
                summary.bytesRead += bytesRead
                summary.findings += file.findings.count
                if !file.errors.isEmpty { summary.newWithErrors += 1 }
                progressBytes += file.stat.kind == .file ? file.stat.size : 0
                pendingFiles.append(file)
            case let .unchanged(size):
                summary.unchanged += 1
                progressBytes += size
            case let .knownChange(size, _):
                summary.knownChanges += 1
                progressBytes += size
            case let .changed(change, bytesRead):
                summary.changes.append(change)
                summary.bytesRead += bytesRead
                progressBytes += change.size ?? 0
                pendingChanges.append(change)
                onChange(change)
            }
            progress.update(files: summary.entriesSeen, bytes: progressBytes)
            if pendingFiles.count + pendingChanges.count >= batchRows || Monotonic.now() - lastFlush >= flushInterval {
                try await flush()
            }
        })
        try await flush()
        if let error = plan.lookupError { throw error }
        progress.finish()

        summary.seconds = Monotonic.now() - clock
        summary.reusedAnalyses = analysis.reuse?.reusedCount ?? 0
        summary.interrupted = plan.stopped
        let (event, inventory) = try store.finishIngestRun(runID: started.runID, exhibit: exhibit, actor: actor,
                                                           completed: !plan.stopped, summary: summary.json)
        summary.completedEvent = event
        summary.inventory = inventory
        return summary
    }

    /// A case file inside the evidence folder would be recorded as evidence while it is
    /// being written, and would put imprint's own writes under the evidence root.
    static func refuseCaseInsideEvidence(casePath: String, root: [UInt8]) throws {
        let caseFolder = casePath.contains("/") ? String(casePath[..<(casePath.lastIndex(of: "/") ?? casePath.endIndex)]) : "."
        guard let resolved = realpath(caseFolder.isEmpty ? "/" : caseFolder, nil) else { return }
        defer { free(resolved) }
        let folder = Array(UnsafeBufferPointer(start: UnsafeRawPointer(resolved).assumingMemoryBound(to: UInt8.self),
                                               count: strlen(resolved)))
        if folder == root || folder.starts(with: root + [UInt8(ascii: "/")]) || root == [UInt8(ascii: "/")] {
            throw PipelineError.evidenceRoot("the case file \(casePath) lies inside the evidence folder; keep case files outside the evidence")
        }
    }

    /// The evidence root as an absolute, canonical path (links in the examiner's own
    /// path resolved once, here; nothing below the root is ever followed).
    static func resolveRoot(_ path: String) throws -> [UInt8] {
        guard let resolved = realpath(path, nil) else {
            throw PipelineError.evidenceRoot("evidence folder \(path): \(POSIX.errorText(errno))")
        }
        defer { free(resolved) }
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(resolved).assumingMemoryBound(to: UInt8.self),
                                              count: strlen(resolved)))
        var st = stat()
        guard stat(resolved, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
            throw PipelineError.evidenceRoot("evidence folder \(path) is not a directory")
        }
        return bytes
    }
}
