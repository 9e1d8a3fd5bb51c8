import ArgumentParser
import ImprintCase
import ImprintReport

struct CustodyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custody",
        abstract: "Print the chain-of-custody log.",
        discussion: "Shows every event with its time, examiner, host, tool version, details and hash. 'imprint verify' checks the chain.")

    @Argument(help: "The case file.")
    var casefile: String

    @Flag(help: "Print the log as one JSON object: {\"events\": [...], \"head\": {...}}.")
    var json = false

    func run() throws {
        let events = try CaseStore.open(at: casefile, readOnly: true).custodyEvents()
        Console.out(json ? CustodyLogText.json(events).serialized() : CustodyLogText.text(events))
    }
}
