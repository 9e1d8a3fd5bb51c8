import ArgumentParser
import Foundation
import ImprintCase
import ImprintImaging
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

/// Resource limits of the per-file analysis, shared by ingest and analyze.
struct AnalysisLimitOptions: ParsableArguments {
    @Option(help: "Largest file, in MiB, read whole into memory for analysis; larger files are hashed as a stream.")
    var maxInMemoryMb: Int = EvidenceReader.defaultMaxInMemoryBytes >> 20

    @Option(help: "Largest image, in megapixels, that is decoded; larger ones (decompression bombs) are refused with a recorded error, their dimensions still recorded.")
    var maxMegapixels: Int = ImageDecoder.defaultMaxPixels / 1_000_000

    func validate() throws {
        guard (1...65_536).contains(maxInMemoryMb) else { throw ValidationError("--max-in-memory-mb must be between 1 and 65536") }
        guard (1...100_000).contains(maxMegapixels) else { throw ValidationError("--max-megapixels must be between 1 and 100000") }
    }

    var maxInMemoryBytes: Int { maxInMemoryMb << 20 }
    var maxPixels: Int { maxMegapixels * 1_000_000 }
}
