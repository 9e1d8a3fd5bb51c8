import ArgumentParser
import Crypto
import Foundation
import ImprintBytes
import ImprintCase
import ImprintImaging
import ImprintPipeline
import ImprintReport

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the court report (HTML, PDF) and the exports (JSON, CSV, CASE/UCO) of a case.",
        discussion: """
            Runs a verification first (custody chain, Merkle roots, evidence re-hash, earlier \
            reports) and states its result in the report. Writes report.html (self-contained, \
            offline), report.pdf (paginated by WeasyPrint), report.json, files.csv, findings.csv \
            and case-uco.jsonld into --out (default reports/<case number>/), and records every \
            file's SHA-256 in a report.generated custody event; 'imprint verify' re-hashes them.

            Imagery is pixelated beyond recognition unless --reveal-images, which is recorded \
            as an image.revealed custody event naming the examiner.

            Exit status 0 when the report was written and verification passed; 1 when it was \
            written but verification found differences (named in the report).
            """)

    @Argument(help: "The case file.")
    var casefile: String

    @Option(help: "Output folder (default: reports/<case number>/ under the current directory).")
    var out: String?

    @Option(help: "Comma-separated formats: html, pdf, json, csv, case.")
    var format: String = "html,pdf,json,csv,case"

    @Flag(help: "Embed CLEAR thumbnails instead of pixelated ones. Recorded in custody (image.revealed) with the examiner's name.")
    var revealImages = false

    @Option(help: "The reason for revealing imagery, recorded with --reveal-images.")
    var revealReason: String?

    @Option(help: ArgumentHelp("A UTF-8 text file of examiner's notes, included verbatim with its SHA-256.", valueName: "file"))
    var notes: String?

    @Flag(help: "Name files in the CASE/UCO export (file names can identify depicted people; recorded in custody).")
    var withNames = false

    @Flag(help: "Verify the custody chain, Merkle roots and reports, but do not re-hash the evidence.")
    var skipEvidence = false

    @Option(help: ArgumentHelp("The WeasyPrint executable (default: $IMPRINT_WEASYPRINT, /opt/imprint/report-tools/bin/weasyprint, then PATH).", valueName: "path"))
    var pdfEngine: String?

    @Option(help: "At most this many thumbnails (flagged files first, then cluster members).")
    var maxThumbnails: Int = 1000

    @OptionGroup var jobs: JobsOption
    @OptionGroup var session: SessionOptions

    static let notesLimit = 1 << 20

    func validate() throws {
        _ = try formats()
        guard (0...100_000).contains(maxThumbnails) else { throw ValidationError("--max-thumbnails must be between 0 and 100000") }
        if revealReason != nil && !revealImages { throw ValidationError("--reveal-reason needs --reveal-images") }
    }

    func formats() throws -> [ReportFormat] {
        var list: [ReportFormat] = []
        for part in format.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let parsed = ReportFormat(rawValue: name) else {
                throw ValidationError("unknown format '\(name)'; choose from html, pdf, json, csv, case")
            }
            if !list.contains(parsed) { list.append(parsed) }
        }
        guard !list.isEmpty else { throw ValidationError("--format names no format") }
        return list
    }

    func run() async throws {
        // Everything that can be missing is checked before the case is touched.
        let formats = try formats()
        let pdf = formats.contains(.pdf) ? try PDFRenderer.locate(explicit: pdfEngine) : nil
        let pdfVersion = try pdf?.version()
        let examinerNotes = try notes.map(readNotes)

        let store = try CaseStore.open(at: casefile)
        let actor = try session.actor(for: store)
        let info = try store.caseInfo()
        let directory = outputDirectory(caseNumber: info.caseNumber)
        try refuseEvidenceFolders(directory, exhibits: try store.exhibits())
        let custodyAtStart = try store.custodyEvents()
        let sourceDateEpoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { Int64($0) }
        let generatedAt = sourceDateEpoch.map { Timestamp.rfc3339(seconds: $0) } ?? Timestamp.nowUTC()

        let progress = ProgressReporter(mode: session.progressMode, label: "report: verify")
        let verified = try await Verifier.run(store: store, actor: actor, jobs: jobs.jobs, rehashEvidence: !skipEvidence,
                                              progress: progress)
        let verification = ReportVerification(
            passed: verified.passed, chainIntact: verified.chain.discrepancies.isEmpty, chainEvents: verified.chain.events,
            chainHeadSeq: verified.chain.headSeq, chainHeadHash: verified.chain.headHash,
            evidenceChecked: verified.evidenceChecked, evidenceMatched: verified.evidenceMatched,
            evidenceSkipped: verified.evidenceSkipped, reportsChecked: verified.reportsChecked,
            reportsMatched: verified.reportsMatched, evidenceRehashed: !skipEvidence,
            discrepancies: verified.discrepancies, eventSeq: verified.event?.seq)

        let tool = ToolInfo(version: ImprintBuild.version, executableSHA256: Self.executableSHA256(), host: actor.host,
                            operatingSystem: Self.operatingSystem(),
                            libraries: ImageDecoder.libraryVersions.merging(["SQLite": try store.sqliteVersion()]) { a, _ in a },
                            pdfEngine: pdfVersion)
        let handling = ImageHandling(revealed: revealImages, revealedBy: revealImages ? actor.examiner : nil, revealEventSeq: nil,
                                     mosaicBlocks: EvidenceThumbnailer.defaultMosaicBlocks, thumbnailLimit: maxThumbnails,
                                     thumbnailsOmitted: 0)
        var model = try ReportModelBuilder.build(store: store, inputs: .init(
            generatedAtUTC: generatedAt, examiner: actor.examiner, tool: tool, custody: custodyAtStart,
            verification: verification, imageHandling: handling, notes: examinerNotes, withNames: withNames))

        let chosen = ReportModelBuilder.thumbnailFileIDs(model, limit: maxThumbnails)
        model.imageHandling.thumbnailsOmitted = chosen.omitted
        if revealImages {
            // Logged before any clear image exists, so a reveal is never unrecorded.
            let list = chosen.ids.map(String.init).joined(separator: "\n")
            let event = try store.appendCustody(actor: actor, action: "image.revealed", subject: model.reportID, details: .object([
                "reportId": .string(model.reportID),
                "revealedBy": .string(actor.examiner),
                "reason": .string(revealReason ?? "not stated"),
                "items": .integer(chosen.ids.count),
                "fileIds": .array(chosen.ids.prefix(1000).map(JSONValue.int)),
                "fileIdsSha256": .string(Hex.encode(SHA256.hash(data: Array(list.utf8)))),
                "outputDirectory": .string(directory),
            ]))
            model.imageHandling.revealEventSeq = event.seq
        }
        model.thumbnails = try await thumbnails(store: store, model: model, ids: chosen.ids)

        let written = try ReportWriter.write(model, formats: formats, to: directory, pdf: pdf)
        var options: [JSONValue.Member] = [
            .init("formats", .array(formats.map { .string($0.rawValue) })),
            .init("revealImages", .bool(revealImages)),
            .init("withNames", .bool(withNames)),
            .init("skipEvidence", .bool(skipEvidence)),
            .init("maxThumbnails", .integer(maxThumbnails)),
            .init("notesSha256", examinerNotes.map { .string($0.sha256) } ?? .null),
        ]
        if let sourceDateEpoch { options.append(.init("sourceDateEpoch", .int(sourceDateEpoch))) }
        let event = try store.appendCustody(actor: actor, action: "report.generated", subject: model.reportID, details: .object([
            "reportId": .string(model.reportID),
            "generatedAtUtc": .string(generatedAt),
            "outputDirectory": .string(directory),
            "files": .array(written.map(\.json)),
            "options": .object(options),
            "verificationEventSeq": verification.eventSeq.map(JSONValue.int) ?? .null,
            "verificationPassed": .bool(verification.passed),
            "custodyHeadSeq": custodyAtStart.last.map { .int($0.seq) } ?? .null,
            "custodyHeadHash": custodyAtStart.last.map { .string($0.hash) } ?? .null,
            "pdfEngine": pdfVersion.map(JSONValue.string) ?? .null,
        ]))

        for file in written { Console.out("\(file.path)  sha256 \(file.sha256)  \(file.bytes) bytes") }
        Console.out("report \(model.reportID): \(model.files.count) entries, \(model.findings.count) findings; recorded as custody event \(event.seq) (report.generated)")
        if revealImages { Console.err("imprint: CLEAR thumbnails embedded; recorded as custody event \(model.imageHandling.revealEventSeq ?? 0) (image.revealed)") }
        if !verification.passed {
            Console.err("imprint: verification found \(verification.discrepancies.count) difference(s); they are named in the report")
            throw ExitCode(ExitStatus.discrepancies)
        }
    }

    private func thumbnails(store: CaseStore, model: ReportModel, ids: [Int64]) async throws -> [Int64: ReportThumbnail] {
        let roots = Dictionary(try store.exhibits().map { ($0.number, $0.rootPath) }, uniquingKeysWith: { a, _ in a })
        let files = model.filesByID
        let rawPaths = try store.filePaths(ids: ids)
        let targets = ids.compactMap { id -> EvidenceThumbnailer.Target? in
            guard let file = files[id], let root = roots[file.exhibitNumber], let path = rawPaths[id] else { return nil }
            return .init(fileID: id, rootPath: root, path: path, sha256: file.kind == "file" ? file.sha256 : nil,
                         width: file.width, height: file.height)
        }
        let made = await EvidenceThumbnailer(reveal: revealImages).thumbnails(targets, jobs: jobs.jobs)
        return made.mapValues { thumb in
            ReportThumbnail(kind: ReportThumbnail.Kind(rawValue: thumb.kind.rawValue) ?? .placeholder, mimeType: thumb.mimeType,
                            bytes: thumb.bytes, width: thumb.width, height: thumb.height, reason: thumb.reason)
        }
    }

    private func readNotes(_ path: String) throws -> ExaminerNotes {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read the notes file \(path)") }
        guard data.count <= Self.notesLimit else { throw ValidationError("the notes file \(path) is larger than 1 MiB") }
        guard let text = String(validating: [UInt8](data), as: UTF8.self) else { throw ValidationError("the notes file \(path) is not UTF-8 text") }
        return ExaminerNotes(fileName: (path as NSString).lastPathComponent, text: text,
                             sha256: Hex.encode(SHA256.hash(data: [UInt8](data))))
    }

    /// The absolute output folder: --out, or reports/<case number> with characters that
    /// cannot be a folder name replaced.
    private func outputDirectory(caseNumber: String) -> String {
        let base: String
        if let out { base = out } else {
            var safe = String(caseNumber.map { $0 == "/" || $0 == "\0" || $0 == "\\" ? "_" : $0 })
            if safe.hasPrefix(".") || safe.isEmpty { safe = "_" + safe }
            base = "reports/" + safe
        }
        let absolute = base.hasPrefix("/") ? base : FileManager.default.currentDirectoryPath + "/" + base
        return (absolute as NSString).standardizingPath
    }

    /// Evidence is never written: an output folder inside (or equal to) an exhibit's
    /// evidence folder is refused, links resolved on both sides.
    private func refuseEvidenceFolders(_ directory: String, exhibits: [Exhibit]) throws {
        let output = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        for exhibit in exhibits {
            let root = URL(fileURLWithPath: exhibit.rootPathText).resolvingSymlinksInPath().path
            if output == root || output.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
                throw ValidationError("refusing to write reports into the evidence folder of exhibit \(exhibit.number) (\(exhibit.rootPathText)); choose another --out")
            }
        }
    }

    /// SHA-256 of the running executable: the exact build that wrote the report.
    static func executableSHA256() -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/self/exe") else { return nil }
        return Hex.encode(SHA256.hash(data: data))
    }

    static func operatingSystem() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "unknown" }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(name.sysname)) \(text(name.release)) \(text(name.machine))"
    }
}
