import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import ImprintCase

/// The `imprint` command line.
struct Imprint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imprint",
        abstract: "Forensic analysis of image evidence: provenance, generator traces, hashes and a verifiable chain of custody.",
        discussion: """
            Evidence is only ever opened read-only. Every action on a case is appended to a \
            hash-chained custody log that 'imprint verify' recomputes.

            Exit codes: 0 success; 1 verification found differences; 2 usage error; \
            3 runtime error (the message says what failed); 130 ingest \
            interrupted by Ctrl-C (what was recorded is kept; run it again to finish).
            """,
        version: ImprintBuild.toolVersion,
        subcommands: [CaseCommand.self, IngestCommand.self, VerifyCommand.self, CustodyCommand.self,
                      FindingsCommand.self, AnalyzeCommand.self, ClusterCommand.self, ClustersCommand.self, HashSetCommand.self, MatchCommand.self,
                      TagCommand.self, TagsCommand.self, WatermarkCommand.self, ReportCommand.self, EvalCommand.self,
                      BenchSimilarityCommand.self])
}

/// Exit codes documented in docs/cli.md.
enum ExitStatus {
    static let success: Int32 = 0
    static let discrepancies: Int32 = 1
    static let usage: Int32 = 2
    static let runtime: Int32 = 3
    /// An ingest stopped by SIGINT/SIGTERM after committing the files in progress.
    static let interrupted: Int32 = 130
}

@main
enum Entry {
    static func main() async {
        // Past a file-size limit (RLIMIT_FSIZE) a write must fail with EFBIG, which the case
        // store reports as an error after rolling back, rather than kill the process.
        signal(SIGXFSZ, SIG_IGN)
        MemoryTuning.keepLargeBuffersForReuse()
        let command: any ParsableCommand
        do {
            command = try Imprint.parseAsRoot()
        } catch {
            let code = Imprint.exitCode(for: error)
            let message = Imprint.fullMessage(for: error)
            if code == .success {
                Console.out(message)
                exit(ExitStatus.success)
            }
            Console.err(message)
            exit(ExitStatus.usage)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
            exit(ExitStatus.success)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            // ArgumentParser reports help and validation failures raised while running
            // (e.g. `--help` on a subcommand) as errors too; everything else is a runtime
            // error, printed as one clear line, never a stack trace.
            switch Imprint.exitCode(for: error) {
            case .success:
                Console.out(Imprint.fullMessage(for: error))
                exit(ExitStatus.success)
            case .validationFailure:
                Console.err(Imprint.fullMessage(for: error))
                exit(ExitStatus.usage)
            default:
                Console.err("imprint: error: \(String(describing: error))")
                exit(ExitStatus.runtime)
            }
        }
    }
}
