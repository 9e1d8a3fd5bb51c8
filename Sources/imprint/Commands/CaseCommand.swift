import ArgumentParser
import Foundation
import ImprintCase

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Create a case file or show what it holds.",
        subcommands: [Create.self, Info.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new case file (a SQLite database with a custody log).",
            discussion: "Refuses to overwrite an existing file. The file is created readable by its owner only.")

        @Argument(help: "Path of the case file to create, e.g. casefiles/2026-014.imprint.")
        var casefile: String

        @Option(help: "The case number, as the agency assigns it.")
        var caseNumber: String

        @Option(help: "Name of the examiner responsible for the case (recorded in every custody event).")
        var examiner: String

        @Option(help: "The examining agency or laboratory.")
        var agency: String?

        @Option(help: "A short case title.")
        var title: String?

        @Option(help: "The legal authority for the examination, e.g. 'warrant 2026-SW-0142'.")
        var authorization: String?

        func validate() throws {
            if caseNumber.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--case-number must not be empty") }
            if examiner.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--examiner must not be empty") }
        }

        func run() throws {
            let store = try CaseStore.create(
                at: casefile,
                case: NewCase(caseNumber: caseNumber, examiner: examiner, title: title, agency: agency,
                              authorization: authorization),
                actor: Actor(examiner: examiner))
            let head = try store.custodyEvents().last
            Console.out("created case \(caseNumber) in \(casefile)")
            if let head { Console.out("custody: event \(head.seq) case.created, hash \(head.hash)") }
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the case, its exhibits and the custody chain head.")

        @Argument(help: "The case file.")
        var casefile: String

        func run() throws {
            let store = try CaseStore.open(at: casefile, readOnly: true)
            let info = try store.caseInfo()
            Console.out("case \(info.caseNumber)" + (info.title.map { " — \($0)" } ?? ""))
            Console.out("  examiner: \(info.examiner)" + (info.agency.map { ", \($0)" } ?? ""))
            if let authorization = info.authorization { Console.out("  authorization: \(authorization)") }
            Console.out("  created: \(info.createdAtUTC) by \(info.toolVersion)  (case id \(info.caseUUID))")
            for exhibit in try store.exhibits() {
                let inventory = try store.inventory(exhibitID: exhibit.id)
                Console.out("exhibit \(exhibit.number): \(exhibit.rootPathText)")
                Console.out("  \(inventory.files) entries (\(inventory.regularFiles) files, \(inventory.links) links, "
                            + "\(inventory.otherEntries) other, \(inventory.unreadable) unreadable), \(inventory.bytes) bytes")
                Console.out("  Merkle root \(inventory.merkleRoot)")
            }
            if let head = try store.custodyEvents().last {
                Console.out("custody chain head: event \(head.seq), \(head.hash)")
            }
        }
    }
}
