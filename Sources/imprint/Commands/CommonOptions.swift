import ArgumentParser
import Crypto
import Foundation
import ImprintBytes
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

    @Option(help: "Seconds each file's analysis may take after it is hashed; when spent, the remaining steps are skipped with a recorded 'time-budget' error and the batch goes on (0: no budget).")
    var maxSecondsPerFile: Int = FileAnalysis.defaultTimeBudgetSeconds

    func validate() throws {
        guard (0...86_400).contains(maxSecondsPerFile) else { throw ValidationError("--max-seconds-per-file must be between 0 and 86400") }
        guard (1...65_536).contains(maxInMemoryMb) else { throw ValidationError("--max-in-memory-mb must be between 1 and 65536") }
        guard (1...100_000).contains(maxMegapixels) else { throw ValidationError("--max-megapixels must be between 1 and 100000") }
    }

    var maxInMemoryBytes: Int { maxInMemoryMb << 20 }
    var maxPixels: Int { maxMegapixels * 1_000_000 }
    var timeBudgetSeconds: Double? { maxSecondsPerFile == 0 ? nil : Double(maxSecondsPerFile) }
}

/// What the provenance analyzers are given: the examiner's trust anchors.
struct ProvenanceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A PEM bundle of trust anchors for C2PA signatures, e.g. the official C2PA trust list. Without it every C2PA signer is reported as untrusted (signingCredential.untrusted); its SHA-256 is recorded with the run.", valueName: "pem-file"))
    var trustAnchors: String?

    /// The analyzers to run, configured with the trust anchors if any.
    func analyzers() throws -> [any Analyzer] {
        guard let trustAnchors else { return AnalyzerRegistry.all }
        guard let data = FileManager.default.contents(atPath: trustAnchors), !data.isEmpty else {
            throw ValidationError("cannot read the trust anchors file \(trustAnchors)")
        }
        let bytes = [UInt8](data)
        guard String(decoding: bytes, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            throw ValidationError("\(trustAnchors) holds no PEM certificate")
        }
        return AnalyzerRegistry.configured(trustAnchorsPEM: bytes, trustAnchorsSHA256: Hex.encode(SHA256.hash(data: bytes)))
    }
}
