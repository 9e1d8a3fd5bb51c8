import ArgumentParser
import Foundation
import ImprintBytes
import ImprintCase
import ImprintPipeline

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Record, hash and analyse every file of an evidence folder into a case.",
        discussion: """
            Walks EVIDENCE_DIR recursively without following symbolic links (a link is recorded \
            with its text), opens every regular file read-only once, and records its path, size, \
            mode, times, SHA-256, MD5, sniffed format, findings and any error. Files that cannot \
            be read are recorded with the error and the batch goes on.

            Interrupted (even by SIGKILL)? Run the same command again: it records the rest, each \
            file exactly once. Re-running a completed ingest adds nothing; a file that changed \
            since it was recorded is reported and recorded as an evidence change, and its \
            original record is kept.

            Byte-identical copies of a file (same SHA-256, SHA-1, MD5, size and extension) are \
            each recorded with their own path, times and hashes, but decoded and analysed once: \
            a copy takes the first copy's findings, which a fresh analysis would repeat exactly. \
            --analyse-every-copy turns this off.
            """)

    @Argument(help: "The case file.")
    var casefile: String

    @Argument(help: "The evidence folder (opened read-only, never modified).")
    var evidenceDir: String

    @Option(help: "The exhibit number this folder is registered under, e.g. EX-2026-014.")
    var exhibit: String

    @Option(help: "How the exhibit was obtained (recorded when the exhibit is first registered).")
    var description: String?

    @Flag(help: "Decode and analyse every byte-identical copy again instead of reusing the first copy's results (the records are the same; for timing and testing).")
    var analyseEveryCopy = false

    @OptionGroup var limits: AnalysisLimitOptions
    @OptionGroup var provenance: ProvenanceOptions
    @OptionGroup var jobs: JobsOption
    @OptionGroup var session: SessionOptions

    func validate() throws {
        if exhibit.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--exhibit must not be empty") }
    }

    func run() async throws {
        // Options that can be wrong are checked before the case is opened (and possibly upgraded).
        let analyzers = try provenance.analyzers()
        let store = try CaseStore.open(at: casefile)
        let actor = try session.actor(for: store)
        var request = IngestRequest(evidenceRoot: evidenceDir, exhibitNumber: exhibit, exhibitDescription: description,
                                    jobs: jobs.jobs,
                                    maxInFlightBytes: max(Ingest.defaultMaxInFlightBytes, limits.maxInMemoryBytes * 2),
                                    maxInMemoryBytes: limits.maxInMemoryBytes, maxPixels: limits.maxPixels,
                                    analyzers: analyzers)
        request.timeBudgetSeconds = limits.timeBudgetSeconds
        request.reuseIdenticalContent = !analyseEveryCopy
        var warned = 0
        let progress = ProgressReporter(mode: session.progressMode, label: "ingest \(exhibit)")
        let stop = StopRequest()
        stop.installSignalHandlers()
        let summary = try await Ingest.run(request, store: store, actor: actor, progress: progress, stop: stop) { change in
            warned += 1
            if warned <= 20 {
                Console.err("imprint: WARNING: evidence changed since it was recorded: \(PathBytes.display(change.path)): \(change.description)")
            }
        }
        print(summary)
        if summary.interrupted {
            Console.err("imprint: ingest interrupted; everything recorded so far is kept. Run the same command again to finish.")
            throw ExitCode(ExitStatus.interrupted)
        }
    }

    private func print(_ s: IngestSummary) {
        Console.out("exhibit \(s.exhibit.number): \(s.exhibit.rootPathText)")
        if !s.resumedRuns.isEmpty {
            Console.out("  resumed after interrupted run(s) \(s.resumedRuns.map(String.init).joined(separator: ", "))")
        }
        let rate = s.seconds > 0 ? Double(s.bytesRead) / 1e6 / s.seconds : 0
        Console.out("  this run: \(s.entriesSeen) entries seen, \(s.newlyRecorded) newly recorded, \(s.unchanged) already recorded, "
                    + "\(s.changes.count) changed, \(s.newWithErrors) with errors, \(s.findings) findings")
        if s.reusedAnalyses > 0 {
            Console.out("  \(s.reusedAnalyses) file(s) identical to a file analysed earlier in this run took its analysis")
        }
        Console.out("  read \(s.bytesRead) bytes in \(String(format: "%.2f", s.seconds)) s (\(String(format: "%.1f", rate)) MB/s)")
        if let inventory = s.inventory {
            Console.out("  exhibit now holds \(inventory.files) entries: \(inventory.regularFiles) files (\(inventory.bytes) bytes), "
                        + "\(inventory.links) links, \(inventory.otherEntries) other, \(inventory.unreadable) unreadable")
            Console.out("  Merkle root \(inventory.merkleRoot)")
        }
        if let event = s.completedEvent {
            Console.out("  custody: event \(event.seq) \(event.action), hash \(event.hash)")
        }
        if s.knownChanges > 0 {
            Console.err("imprint: WARNING: \(s.knownChanges) recorded evidence file(s) still differ from their original records "
                        + "(the changes were recorded by an earlier run).")
        }
        if !s.changes.isEmpty {
            Console.err("imprint: WARNING: \(s.changes.count) recorded evidence file(s) changed since they were recorded; "
                        + "the original records are kept and the changes are recorded (see 'imprint verify').")
        }
    }
}
