import ArgumentParser
import ImprintCase

struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "List the findings recorded in a case.",
        discussion: """
            Lists every finding (indicators, never verdicts) with its file, strength, label and \
            summary, in file order. --label keeps those whose label starts with the given text, \
            e.g. --label generator. or --label c2pa.ai-generated. Reads the case only.

            With --json: one JSON object per finding per line: exhibit, path, sha256, runId and \
            the finding fields of docs/analyze-json.md.
            """)

    @Argument(help: "The case file.")
    var casefile: String

    @Option(help: "Only findings whose label starts with this text.")
    var label: String?

    @Flag(help: "One JSON object per finding per line.")
    var json = false

    func run() throws {
        let store = try CaseStore.open(at: casefile, readOnly: true)
        var count = 0
        try store.forEachFinding(labelPrefix: label) { recorded in
            count += 1
            if json {
                Console.out(recorded.json.serialized())
            } else {
                let finding = recorded.finding
                Console.out("\(recorded.exhibitNumber)  \(recorded.path)\n    [\(finding.strength.rawValue)] \(finding.label): \(finding.summary)")
            }
        }
        if !json { Console.out("\(count) finding(s)" + (label.map { " with a label starting \"\($0)\"" } ?? "")) }
    }
}
