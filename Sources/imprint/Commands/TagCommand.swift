import ArgumentParser
import ImprintBytes
import ImprintCase

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Tag recorded files (or remove a tag), recorded in custody.",
        discussion: """
            FILE is a path as the case records it (its display form, as 'imprint findings' \
            prints it) or a SHA-256 (every file with that content). All or nothing: an unknown \
            or ambiguous FILE records nothing. Each change is one 'tag_events' row per file and \
            one 'tag.added' or 'tag.removed' custody event; a tag is never deleted, removing it \
            is another event.
            """)

    @Argument(help: "The case file.")
    var casefile: String

    @Argument(help: "Recorded paths or SHA-256 values.")
    var files: [String]

    @Option(help: "The tag name (1–200 characters).")
    var tag: String

    @Option(help: "A note kept with the tag.")
    var note: String?

    @Option(help: "Only files of this exhibit.")
    var exhibit: String?

    @Flag(help: "Remove the tag instead of adding it.")
    var remove = false

    @OptionGroup var session: SessionOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one FILE") }
        do { try CaseStore.validateTagName(tag) } catch { throw ValidationError(String(describing: error)) }
    }

    func run() throws {
        let store = try CaseStore.open(at: casefile)
        let targets = try store.resolveTagTargets(files, exhibit: exhibit)
        let result = try store.recordTagChange(tag: tag, note: note, remove: remove, targets: targets,
                                               actor: try session.actor(for: store))
        let verb = remove ? "Removed tag" : "Tagged"
        if let event = result.event {
            Console.out("\(verb) '\(tag)' on \(result.changed.count) file(s), \(result.unchanged) unchanged; custody event \(event.seq)")
        } else {
            Console.out("Nothing changed: \(result.unchanged) file(s) already \(remove ? "without" : "with") tag '\(tag)'")
        }
    }
}

struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "List the tags of a case and the files carrying them (read-only).",
        discussion: """
            Without --tag: each tag and its file count. With --tag: its files (exhibit, path, \
            SHA-256, when tagged, note). --json prints one object per tagged file per line.
            """)

    @Argument(help: "The case file.")
    var casefile: String

    @Option(help: "List the files carrying this tag.")
    var tag: String?

    @Flag(help: "One JSON object per tagged file per line.")
    var json = false

    func run() throws {
        let store = try CaseStore.open(at: casefile, readOnly: true)
        if json || tag != nil {
            let files = try store.taggedFiles(tag: tag)
            for file in files {
                if json {
                    Console.out(JSONValue.object([
                        "tag": .string(file.tag), "fileId": .int(file.fileID), "exhibit": .string(file.exhibitNumber),
                        "path": .string(file.pathText), "sha256": file.sha256.map(JSONValue.string) ?? .null,
                        "taggedAtUtc": .string(file.taggedAtUTC), "note": file.note.map(JSONValue.string) ?? .null,
                    ]).serialized())
                } else {
                    Console.out("\(file.exhibitNumber)  \(file.pathText)  \(file.sha256 ?? "-")  \(file.taggedAtUTC)"
                                + (file.note.map { "  \($0)" } ?? ""))
                }
            }
            if !json { Console.out("\(files.count) file(s) tagged '\(tag ?? "")'") }
        } else {
            let counts = try store.tagCounts()
            for (name, n) in counts { Console.out("\(name)\t\(n) file(s)") }
            Console.out("\(counts.count) tag(s)")
        }
    }
}
