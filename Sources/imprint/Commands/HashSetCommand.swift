import ArgumentParser
import ImprintCase

struct HashSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hashset",
        abstract: "Manage known-hash sets in a case.",
        subcommands: [HashSetImportCommand.self, HashSetExportCommand.self])
}

extension HashSetFormat: ExpressibleByArgument {}
extension HashSetKind: ExpressibleByArgument {}

struct HashSetImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a hash set (MD5/SHA-1/SHA-256/PDQ list, NSRL RDSv3, Project VIC VICS) into a case.",
        discussion: """
            Text lists are read line by line: one hex hash per line (an md5sum-style file name \
            after it is kept as metadata), '#' comments and blank lines skipped, either case. \
            PDQ files are 'hash[,quality][,meta]' or 'hash=…,quality=…,…'. 'nsrl' reads an NSRL \
            RDSv3 SQLite database read-only (its FILE table; one entry per row, its strongest \
            hash). 'vics' streams a Project VIC VICS JSON file (MD5 and SHA1 of every media \
            record; the other fields, Category raw, kept as metadata; PhotoDNA never stored). \
            'auto' recognises NSRL (SQLite header) and VICS (a JSON object), and tells MD5 (32 \
            hex) from SHA-1 (40) in text lists; 64 hex characters need --format sha256 or pdq. \
            Invalid lines or records are counted and sampled, never fatal; a malformed database \
            or JSON document stops the import and nothing of the set is kept. Recorded in custody \
            as 'hashset.imported'.
            """)

    @Argument(help: "The case file.")
    var casefile: String

    @Argument(help: "The hash set file to import.")
    var file: String

    @Option(help: "Name of the hash set.")
    var name: String

    @Option(help: "auto, md5, sha1, sha256, pdq, nsrl or vics.")
    var format: HashSetFormat = .auto

    @Option(help: "known (e.g. NSRL: matches are 'info', known files to set aside), notable or reference. Default: known for nsrl, notable otherwise.")
    var kind: HashSetKind?

    @OptionGroup var session: SessionOptions

    func validate() throws {
        if name.trimmingWhitespaceForCLI().isEmpty { throw ValidationError("--name must not be empty") }
    }

    func run() throws {
        let store = try CaseStore.open(at: casefile)
        let result = try store.importHashSet(path: file, name: name, format: format, kind: kind,
                                             actor: try session.actor(for: store))
        let unit = result.format == .nsrl ? "row" : result.format == .vics ? "record" : "line"
        Console.out("Imported hash set \(result.setID) '\(result.name)' (\(result.format.rawValue), \(result.kind.rawValue)): "
                    + "\(result.recordCount) record(s), \(result.invalidLines) invalid \(unit)(s), source SHA-256 \(result.sourceSHA256)")
        if result.lowQualityPDQ > 0 {
            Console.out("\(result.lowQualityPDQ) PDQ entr(ies) with quality below 50: kept, never used for near-matching")
        }
        if let dropped = result.sourceInfo["photoDNAValuesNotStored"]?.intValue, dropped > 0 {
            Console.out("\(dropped) PhotoDNA value(s) not stored (imprint neither computes nor compares PhotoDNA)")
        }
        for sample in result.invalidSamples.prefix(session.quiet ? 0 : 20) {
            Console.out("  \(unit) \(sample.line): \(sample.reason)")
        }
    }
}

extension String {
    func trimmingWhitespaceForCLI() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
