import ArgumentParser
import ImprintCase

struct HashSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hashset",
        abstract: "Manage known-hash sets in a case.",
        subcommands: [HashSetImportCommand.self])
}

extension HashSetFormat: ExpressibleByArgument {}

struct HashSetImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a hash list (MD5, SHA-1, SHA-256 or PDQ) into a case.",
        discussion: """
            Reads FILE line by line: one hex hash per line (an md5sum-style file name after it \
            is kept as metadata), '#' comments and blank lines skipped, either case. PDQ files \
            are 'hash[,quality][,meta]' or 'hash=…,quality=…,…'. 'auto' tells MD5 (32 hex) from \
            SHA-1 (40); 64 hex characters need --format sha256 or pdq. Invalid lines are counted \
            and sampled, never fatal. Recorded in custody as 'hashset.imported'.
            """)

    @Argument(help: "The case file.")
    var casefile: String

    @Argument(help: "The hash list to import.")
    var file: String

    @Option(help: "Name of the hash set.")
    var name: String

    @Option(help: "auto, md5, sha1, sha256 or pdq.")
    var format: HashSetFormat = .auto

    @OptionGroup var session: SessionOptions

    func validate() throws {
        if name.trimmingWhitespaceForCLI().isEmpty { throw ValidationError("--name must not be empty") }
    }

    func run() throws {
        let store = try CaseStore.open(at: casefile)
        let result = try store.importHashSet(path: file, name: name, format: format, actor: try session.actor(for: store))
        Console.out("Imported hash set \(result.setID) '\(result.name)' (\(result.format.rawValue)): "
                    + "\(result.recordCount) record(s), \(result.invalidLines) invalid line(s), source SHA-256 \(result.sourceSHA256)")
        if result.lowQualityPDQ > 0 {
            Console.out("\(result.lowQualityPDQ) PDQ entr(ies) with quality below 50: kept, never used for near-matching")
        }
        for sample in result.invalidSamples.prefix(session.quiet ? 0 : 20) {
            Console.out("  line \(sample.line): \(sample.reason)")
        }
    }
}

extension String {
    fileprivate func trimmingWhitespaceForCLI() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
