import ArgumentParser
import ImprintBytes
import ImprintCase
import ImprintPipeline

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that neither the record nor the evidence has changed.",
        discussion: """
            Recomputes every custody event hash and link, recomputes each exhibit's Merkle root \
            from the file rows and compares it with the root its last completed ingest recorded, \
            and re-hashes every evidence file still at its recorded location. Every difference is \
            named (event N altered, file X changed, file Y missing). The result is appended to the \
            custody log as a verify.result event.

            Exit status 0 when everything holds, 1 when anything differs.
            """)

    @Argument(help: "The case file.")
    var casefile: String

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @Flag(help: "Check the custody chain and Merkle roots only; do not re-hash evidence files.")
    var skipEvidence = false

    @Option(name: .customLong("expect-event"),
            help: ArgumentHelp("An event hash kept outside the case, as SEQ:HASH (repeatable): the log must still hold event SEQ with that hash. Catches a log cut short or rewritten to its end, which the chain alone cannot show.",
                               valueName: "seq:hash"))
    var expectedEvents: [String] = []

    @OptionGroup var jobs: JobsOption
    @OptionGroup var session: SessionOptions

    func validate() throws {
        for text in expectedEvents where CustodyAnchor(parsing: text) == nil {
            throw ValidationError("--expect-event \(text): give SEQ:HASH, an event number and its 64-digit hash")
        }
    }

    func run() async throws {
        let store = try CaseStore.open(at: casefile)
        let actor = try session.actor(for: store)
        let progress = ProgressReporter(mode: json ? .silent : session.progressMode, label: "verify")
        let report = try await Verifier.run(store: store, actor: actor, jobs: jobs.jobs, rehashEvidence: !skipEvidence,
                                            anchors: expectedEvents.compactMap(CustodyAnchor.init(parsing:)), progress: progress)
        if json {
            // Exactly what the verify.result event recorded (including discrepanciesSha256).
            let recorded = report.event.flatMap { try? JSONParser.parse($0.detailsJSON) } ?? report.json
            Console.out(recorded.serialized())
        } else {
            for discrepancy in report.discrepancies { Console.out("DIFFERS: \(discrepancy.message)") }
            let chainState = report.chain.discrepancies.isEmpty ? "intact" : "BROKEN"
            Console.out("custody chain \(chainState): \(report.chain.events) events, head \(report.chain.headHash ?? "none")")
            for exhibit in report.exhibits {
                let state = exhibit.discrepancies.isEmpty ? "matches" : "DIFFERS"
                Console.out("exhibit \(exhibit.exhibit.number): \(exhibit.inventory.files) entries, Merkle root \(exhibit.inventory.merkleRoot) \(state)")
            }
            Console.out("evidence: \(report.evidenceMatched)/\(report.evidenceChecked) files match"
                        + (report.evidenceSkipped > 0 ? " (\(report.evidenceSkipped) not re-checked)" : ""))
            if report.reportsChecked > 0 {
                Console.out("reports: \(report.reportsMatched)/\(report.reportsChecked) recorded report files match")
            }
            if let event = report.event {
                Console.out("recorded as custody event \(event.seq) (verify.result), hash \(event.hash)")
            }
            Console.out(report.passed ? "VERIFIED: everything holds" : "VERIFICATION FAILED: \(report.discrepancies.count) difference(s)")
        }
        if !report.passed { throw ExitCode(ExitStatus.discrepancies) }
    }
}
