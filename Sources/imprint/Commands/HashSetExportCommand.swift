import ArgumentParser
import Foundation
import ImprintCase

extension HashSetExportFormat: ExpressibleByArgument {}

struct HashSetExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the files carrying a tag as a hash list (PDQ, MD5, SHA-1, SHA-256 or VICS).",
        discussion: """
            Deterministic: the same tag state gives the same bytes. md5/sha1/sha256: one \
            distinct lowercase hash per line, sorted. pdq: 'pdq,quality,id' sorted by hash; \
            hashes of quality below 50 and unhashable (all-zero) ones are left out and counted \
            (--include-low-quality keeps the former). vics: Project VIC shape A JSON, one media \
            record per distinct content (MediaID, Category null, MD5, SHA1, MediaSize, \
            DateUpdated = when it was tagged). No file names unless --with-names (names can \
            identify victims); ids are 'imprint-f<file id>'. Files recorded before imprint \
            computed SHA-1 have none: a sha1 export leaves them out and counts them. Writes \
            to --out (never overwriting) or standard output, and records 'hashset.exported' \
            with the output's SHA-256, which 'imprint verify' rebuilds and checks.
            """)

    @Argument(help: "The case file.")
    var casefile: String

    @Option(help: "The tag whose files are exported.")
    var tag: String

    @Option(help: "pdq, md5, sha1, sha256 or vics.")
    var format: HashSetExportFormat

    @Option(help: "Output file (created; an existing file is never overwritten). Default: standard output.")
    var out: String?

    @Flag(help: "Write evidence paths (exhibit/path) instead of opaque ids. Recorded in custody.")
    var withNames = false

    @Flag(help: "PDQ: keep hashes of quality below 50 (their quality shows it).")
    var includeLowQuality = false

    @OptionGroup var session: SessionOptions

    func run() throws {
        let store = try CaseStore.open(at: casefile)
        let options = HashSetExportOptions(format: format, withNames: withNames, includeLowQuality: includeLowQuality)
        let output = try store.buildExport(tag: tag, options: options)
        if output.records == 0 && output.excludedNoValue == 0 && output.excludedLowQuality == 0 {
            // Most likely a mistyped tag: nothing is written or recorded.
            throw ExportRefused(message: "no file carries tag '\(tag)' (see 'imprint tags'); nothing was exported")
        }
        if let out {
            let fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw ExportRefused(message: errno == EEXIST ? "\(out) already exists; imprint never overwrites an export"
                                                             : "cannot create \(out): \(String(cString: strerror(errno)))")
            }
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            do {
                try handle.write(contentsOf: output.bytes)
                try handle.synchronize()
                try handle.close()
            } catch {
                unlink(out)
                throw error
            }
        } else {
            try FileHandle.standardOutput.write(contentsOf: output.bytes)
        }
        let event = try store.recordExport(tag: tag, options: options, output: output,
                                           destination: out ?? "-", actor: try session.actor(for: store))
        let message = "Exported \(output.records) record(s) of tag '\(tag)' as \(format.rawValue) (SHA-256 \(output.sha256)); "
            + "\(output.excludedLowQuality) low-quality PDQ and \(output.excludedNoValue) file(s) without a value left out; custody event \(event.seq)"
        if out == nil { Console.err(message) } else if !session.quiet { Console.out(message) }
    }
}

/// The export's output could not be created; nothing was recorded.
struct ExportRefused: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
