import ArgumentParser
import Foundation
import ImprintCase
import ImprintPipeline

/// Options shared by commands that work on a case.
struct SessionOptions: ParsableArguments {
    @Option(help: "Examiner performing this action (default: the case's examiner). Recorded in custody.")
    var examiner: String?

    @Flag(name: .shortAndLong, help: "No progress output.")
    var quiet = false

    func actor(for store: CaseStore) throws -> Actor {
        Actor(examiner: try examiner ?? store.caseInfo().examiner)
    }

    var progressMode: ProgressReporter.Mode { quiet ? .silent : .automatic }

    func validate() throws {
        if let examiner, examiner.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--examiner must not be empty")
        }
    }
}

struct JobsOption: ParsableArguments {
    @Option(help: "Files analysed at once; the default is the number of cores.")
    var jobs: Int = Ingest.defaultJobs

    func validate() throws {
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 256") }
    }
}
