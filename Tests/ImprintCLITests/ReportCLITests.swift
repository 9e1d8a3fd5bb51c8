import Crypto
import Foundation
import XCTest
import ImprintBytes
import ImprintImaging
import ImprintTestSupport

/// `imprint report` end to end: formats, custody, verification of reports, image
/// protection, determinism, and (when installed) the PDF engine, case_validate and Chromium.
final class ReportCLITests: XCTestCase {
    private var work: FixtureTree!
    private var evidence: FixtureTree!
    private var casePath: String { work.absolute("case.imprint") }
    static let hostileName = "<img src=x onerror=alert(1)>.txt"

    override func setUpWithError() throws {
        work = try FixtureTree("report-cli")
        evidence = try FixtureTree("report-evidence")
    }

    override func tearDown() {
        work?.remove()
        evidence?.remove()
    }

    /// A case with two near-duplicates (clustered), two PNGs under misleading names (one
    /// with markup in its name), a name a spreadsheet would run as a formula, and a text file.
    private func makeCase(caseNumber: String = "RPT-1") throws {
        try evidence.write("a.png", try PatternImages.png(pattern: 1))
        try evidence.write("a-resaved.png", try PatternImages.png(pattern: 1, patch: 30))
        try evidence.write("disguised.txt", try PatternImages.png(pattern: 3))
        try evidence.write(Self.hostileName, try PatternImages.png(pattern: 5))
        try evidence.write("=1+1.png", try PatternImages.png(pattern: 4))
        try evidence.write("notes/readme.txt", Array("plain text".utf8))
        let create = try CLIRunner.run(["case", "create", casePath, "--case-number", caseNumber, "--examiner", "A. Examiner",
                                        "--agency", "Lab", "--title", "Report test", "--authorization", "Warrant 77"])
        XCTAssertEqual(create.status, 0, create.stderr)
        let ingest = try CLIRunner.run(["ingest", casePath, evidence.root, "--exhibit", "EX-1", "--quiet"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertEqual(try CLIRunner.run(["cluster", casePath]).status, 0)
    }

    private func read(_ path: String) throws -> String {
        String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: path)), as: UTF8.self)
    }

    private func custody() throws -> [JSONValue] {
        let log = try CLIRunner.run(["custody", casePath, "--json"])
        XCTAssertEqual(log.status, 0, log.stderr)
        return try XCTUnwrap(try JSONParser.parse(log.stdout)["events"]?.arrayValue)
    }

    func testReportWritesFormatsRecordsHashesAndVerifyChecksThem() throws {
        try makeCase()
        let out = work.absolute("out")
        let notes = work.absolute("notes.txt")
        try Data("Examined on the lab workstation.\n<b>not markup</b>".utf8).write(to: URL(fileURLWithPath: notes))
        let run = try CLIRunner.run(["report", casePath, "--out", out, "--format", "html,json,csv,case", "--notes", notes, "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr + run.stdout)
        let names = ["report.html", "report.json", "files.csv", "findings.csv", "case-uco.jsonld"]
        for name in names { XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + name), name) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/report.pdf"))

        // Custody: a verification, then report.generated with every file's SHA-256.
        let events = try custody()
        let actions = events.compactMap { $0["action"]?.stringValue }
        XCTAssertEqual(Array(actions.suffix(2)), ["verify.result", "report.generated"])
        XCTAssertFalse(actions.contains("image.revealed"), "pixelated reports reveal nothing")
        let generated = try XCTUnwrap(events.last?["details"])
        XCTAssertEqual(generated["reportId"]?.stringValue, "RPT-1-R1")
        let files = try XCTUnwrap(generated["files"]?.arrayValue)
        XCTAssertEqual(files.compactMap { $0["name"]?.stringValue }.sorted(), names.sorted())
        for file in files {
            let path = try XCTUnwrap(file["path"]?.stringValue)
            XCTAssertEqual(file["sha256"]?.stringValue, FixtureTree.sha256(ofFile: Array(path.utf8)), path)
        }

        // The HTML: self-contained, escaped, names only in the restricted appendix.
        let html = try read(out + "/report.html")
        XCTAssertTrue(html.contains("RPT-1"))
        XCTAssertFalse(html.contains("<img src=x onerror"), "a file name must never become markup")
        XCTAssertFalse(html.contains("<b>not markup</b>"))
        XCTAssertTrue(html.contains("&lt;b&gt;not markup&lt;/b&gt;"), "notes are included, escaped")
        let appendix = try XCTUnwrap(html.range(of: "id=\"appendix\""))
        let escapedName = "&lt;img src=x onerror=alert(1)&gt;.txt"
        XCTAssertTrue(html[appendix.upperBound...].contains(escapedName))
        XCTAssertFalse(html[..<appendix.lowerBound].contains(escapedName), "file names stay out of the main body")
        XCTAssertFalse(html.contains("http://") || html.contains("https://") || html.contains("src=\"file:"),
                       "no external resource of any kind")
        try assertScriptMatchesPolicy(html)
        let json = try JSONParser.parse(try read(out + "/report.json"))
        let findings = try XCTUnwrap(json["findings"]?.arrayValue)
        XCTAssertEqual(html.components(separatedBy: "<tr data-order=").count - 1, findings.count)
        XCTAssertEqual(findings.filter { $0["label"]?.stringValue == "integrity.extension-mismatch" }.count, 2)
        XCTAssertEqual(json["summary"]?["filesRecorded"]?.intValue, 6)
        XCTAssertEqual(json["clustering"]?["clusters"]?.arrayValue?.count, 1)
        XCTAssertEqual(json["verification"]?["pass"], .bool(true))
        XCTAssertEqual(json["verification"]?["evidence"]?["matched"]?.intValue, 6)

        // Thumbnails: pixelated mosaics, each block one colour, at most 8 blocks across.
        let thumbnails = try dataImages(html, mime: "image/png")
        XCTAssertGreaterThanOrEqual(thumbnails.count, 4, "flagged files and cluster members")
        for png in thumbnails { try assertMosaic(png, maxBlocksAcrossShortSide: 8) }
        XCTAssertTrue(try dataImages(html, mime: "image/jpeg").isEmpty)

        // CSV: RFC 4180, a formula-like name defused.
        let filesCSV = try read(out + "/files.csv")
        XCTAssertTrue(filesCSV.hasPrefix("file_id,exhibit,path,"))
        XCTAssertEqual(filesCSV.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 7)
        XCTAssertTrue(filesCSV.contains(",'=1+1.png,"), filesCSV)
        let findingsCSV = try read(out + "/findings.csv")
        XCTAssertEqual(findingsCSV.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, findings.count + 1)

        // CASE/UCO: opaque ids, no file names without --with-names.
        let caseExport = try read(out + "/case-uco.jsonld")
        XCTAssertTrue(caseExport.contains("case-investigation:Investigation"))
        XCTAssertTrue(caseExport.contains("\"SHA256\""))
        XCTAssertFalse(caseExport.contains("disguised.txt"))

        // verify re-hashes the reports: unchanged, changed, deleted.
        let verify = try CLIRunner.run(["verify", casePath, "--quiet"])
        XCTAssertEqual(verify.status, 0, verify.stdout)
        XCTAssertTrue(verify.stdout.contains("reports: 5/5 recorded report files match"), verify.stdout)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out + "/report.html"))
        handle.seekToEndOfFile()
        handle.write(Data(" ".utf8))
        try handle.close()
        try FileManager.default.removeItem(atPath: out + "/findings.csv")
        let tampered = try CLIRunner.run(["verify", casePath, "--json"])
        XCTAssertEqual(tampered.status, 1)
        let result = try JSONParser.parse(tampered.stdout)
        let codes = (result["discrepancies"]?.arrayValue ?? []).map { "\($0["code"]?.stringValue ?? "") \($0["subject"]?.stringValue ?? "")" }
        XCTAssertEqual(codes.sorted(), ["report-changed \(out)/report.html", "report-missing \(out)/findings.csv"].sorted())
        XCTAssertEqual(result["reports"]?["matched"]?.intValue, 3)

        // A second report: its id counts up, supersedes the files it rewrites, and states the differences.
        let again = try CLIRunner.run(["report", casePath, "--out", out, "--format", "html", "--quiet"])
        XCTAssertEqual(again.status, 1, "verification at report time found the differences")
        let second = try read(out + "/report.html")
        XCTAssertTrue(second.contains("RPT-1-R2"))
        XCTAssertTrue(second.contains("report-missing"))
    }

    func testRevealImagesIsRecordedWithTheExaminerAndEmbedsClearThumbnails() throws {
        try makeCase()
        let out = work.absolute("revealed")
        let run = try CLIRunner.run(["report", casePath, "--out", out, "--format", "html", "--reveal-images",
                                     "--reveal-reason", "court order 12", "--examiner", "B. Reviewer", "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let events = try custody()
        let reveal = try XCTUnwrap(events.first { $0["action"]?.stringValue == "image.revealed" })
        XCTAssertEqual(reveal["examiner"]?.stringValue, "B. Reviewer")
        XCTAssertEqual(reveal["details"]?["revealedBy"]?.stringValue, "B. Reviewer")
        XCTAssertEqual(reveal["details"]?["reason"]?.stringValue, "court order 12")
        XCTAssertGreaterThanOrEqual(reveal["details"]?["items"]?.intValue ?? 0, 4)
        let html = try read(out + "/report.html")
        XCTAssertTrue(html.contains("CLEAR thumbnails"))
        let clear = try dataImages(html, mime: "image/jpeg")
        XCTAssertGreaterThanOrEqual(clear.count, 4)
        let decoded = try ImageDecoder().decode(try XCTUnwrap(clear.first), format: .jpeg)
        XCTAssertEqual(decoded.width, 96, "a clear thumbnail keeps the 96-pixel fixture at full size")
        XCTAssertTrue(try dataImages(html, mime: "image/png").isEmpty)
        XCTAssertEqual(events.last?["details"]?["options"]?["revealImages"], .bool(true))
    }

    func testSameCaseAndOptionsGiveIdenticalBytes() throws {
        try makeCase()
        let copies = [work.absolute("copy1.imprint"), work.absolute("copy2.imprint")]
        for copy in copies { try FileManager.default.copyItem(atPath: casePath, toPath: copy) }
        var outputs: [[String: Data]] = []
        for (index, copy) in copies.enumerated() {
            let out = work.absolute("same\(index)")
            let run = try CLIRunner.run(["report", copy, "--out", out, "--format", "html,json,csv,case", "--quiet"],
                                        environment: ["SOURCE_DATE_EPOCH": "1767225600"])
            XCTAssertEqual(run.status, 0, run.stderr)
            var files: [String: Data] = [:]
            for name in ["report.html", "report.json", "files.csv", "findings.csv", "case-uco.jsonld"] {
                files[name] = try XCTUnwrap(FileManager.default.contents(atPath: out + "/" + name))
            }
            outputs.append(files)
        }
        for (name, data) in outputs[0] { XCTAssertEqual(data, outputs[1][name], "\(name) differs between identical cases") }
        let html = String(decoding: try XCTUnwrap(outputs[0]["report.html"]), as: UTF8.self)
        XCTAssertTrue(html.contains("2026-01-01T00:00:00.000Z"), "the fixed generation time is the one shown")
    }

    func testMissingPDFEngineIsAClearErrorBeforeTheCaseIsTouched() throws {
        try makeCase()
        let before = try custody().count
        let run = try CLIRunner.run(["report", casePath, "--out", work.absolute("nopdf"), "--format", "pdf"],
                                    environment: ["IMPRINT_WEASYPRINT": work.absolute("no-such-weasyprint")])
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.stderr.contains("PDF engine"), run.stderr)
        XCTAssertEqual(try custody().count, before, "nothing recorded when the report cannot be made")
        XCTAssertEqual(try CLIRunner.run(["report", casePath, "--format", "html,docx"]).status, 2)
        let intoEvidence = try CLIRunner.run(["report", casePath, "--out", evidence.absolute("notes/out"), "--format", "json"])
        XCTAssertEqual(intoEvidence.status, 2)
        XCTAssertTrue(intoEvidence.stderr.contains("refusing to write reports into the evidence folder"), intoEvidence.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: evidence.absolute("notes/out")), "nothing written into evidence")
        XCTAssertEqual(try custody().count, before)
    }

    /// One PDF render: case number and "Page X of Y" on every page, and a page rendered to PNG.
    func testPDFHasCaseNumberAndPageXOfYOnEveryPage() throws {
        guard let engine = ReportTools.weasyprint else { throw XCTSkip("WeasyPrint not installed (scripts/setup.sh installs it); PDF test skipped") }
        guard let pdftotext = ReportTools.which("pdftotext"), let pdftoppm = ReportTools.which("pdftoppm") else {
            throw XCTSkip("poppler-utils not installed; PDF test skipped")
        }
        try makeCase(caseNumber: "PDF-2026-7")
        let out = work.absolute("pdf")
        let run = try CLIRunner.run(["report", casePath, "--out", out, "--format", "pdf", "--pdf-engine", engine, "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try ReportTools.output(pdftotext, ["-layout", out + "/report.pdf", "-"])
        let pages = text.components(separatedBy: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        XCTAssertGreaterThan(pages.count, 2)
        for (index, page) in pages.enumerated() {
            XCTAssertTrue(page.contains("Case PDF-2026-7"), "page \(index + 1) lacks the case number")
            XCTAssertTrue(page.contains("Page \(index + 1) of \(pages.count)"), "page \(index + 1) lacks its number")
        }
        for heading in ["1. Summary", "2. Verification at report time", "3. Methods", "File type against file name",
                        "5. Findings", "6. Near-duplicate clusters", "8. Chain of custody", "Appendix A (restricted)"] {
            XCTAssertTrue(text.contains(heading), "the PDF lacks \(heading)")
        }
        _ = try ReportTools.output(pdftoppm, ["-r", "40", "-f", "1", "-l", "1", "-png", out + "/report.pdf", out + "/page"])
        let rendered = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix("page") && $0.hasSuffix(".png") }
        XCTAssertEqual(rendered.count, 1)
        let events = try custody()
        let pdf = try XCTUnwrap(events.last?["details"]?["files"]?.arrayValue?.first)
        XCTAssertEqual(pdf["sha256"]?.stringValue, FixtureTree.sha256(ofFile: Array((out + "/report.pdf").utf8)))
        XCTAssertTrue(events.last?["details"]?["pdfEngine"]?.stringValue?.hasPrefix("WeasyPrint") ?? false)
    }

    /// One case_validate run on the CASE/UCO export.
    func testCASEExportConformsUnderCaseValidate() throws {
        guard let validator = ReportTools.caseValidate else { throw XCTSkip("case_validate not installed (scripts/setup.sh installs case-utils); skipped") }
        try makeCase()
        let out = work.absolute("case")
        XCTAssertEqual(try CLIRunner.run(["report", casePath, "--out", out, "--format", "case", "--with-names", "--quiet"]).status, 0)
        let result = try ReportTools.run(validator, ["--built-version", "case-1.5.0", out + "/case-uco.jsonld"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("Conforms: True"), result.output)
        XCTAssertTrue(try read(out + "/case-uco.jsonld").contains("disguised.txt"), "--with-names names files")
    }

    /// scripts/check-report.sh in headless Chromium: the script runs and filters by URL fragment.
    func testReportRendersInChromiumWithoutScriptErrors() throws {
        guard ReportTools.which("chromium") != nil else { throw XCTSkip("chromium not installed (scripts/setup.sh installs it); skipped") }
        try makeCase()
        let out = work.absolute("browser")
        XCTAssertEqual(try CLIRunner.run(["report", casePath, "--out", out, "--format", "html", "--quiet"]).status, 0)
        let result = try ReportTools.run(ReportTools.repository + "/scripts/check-report.sh",
                                         [out + "/report.html", out + "/shot.png", "filter=extension-mismatch&sort=score"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("2 findings shown"), result.output)
        let png = try XCTUnwrap(FileManager.default.contents(atPath: out + "/shot.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }

    // MARK: helpers

    private func assertScriptMatchesPolicy(_ html: String) throws {
        let start = try XCTUnwrap(html.range(of: "<script>"))
        let end = try XCTUnwrap(html.range(of: "</script>"))
        let script = String(html[start.upperBound..<end.lowerBound])
        let digest = Data(SHA256.hash(data: Array(script.utf8))).base64EncodedString()
        XCTAssertTrue(html.contains("script-src 'sha256-\(digest)'"), "the CSP allows exactly the inline script")
        XCTAssertTrue(html.contains("default-src 'none'"))
        XCTAssertEqual(html.components(separatedBy: "<script").count, 2, "one script only")
    }

    private func dataImages(_ html: String, mime: String) throws -> [[UInt8]] {
        let marker = "src=\"data:\(mime);base64,"
        return html.components(separatedBy: marker).dropFirst().compactMap { part in
            guard let end = part.firstIndex(of: "\"") else { return nil }
            return Data(base64Encoded: String(part[..<end])).map { [UInt8]($0) }
        }
    }

    /// Every pixel equals the top-left pixel of its block, and the short side has at most
    /// `maxBlocksAcrossShortSide` blocks.
    private func assertMosaic(_ png: [UInt8], maxBlocksAcrossShortSide: Int) throws {
        let raster = try ImageDecoder().decode(png, format: .png)
        XCTAssertEqual(raster.layout, .rgb)
        // The block size is the largest run of equal pixels at the start of the first row.
        var cell = 1
        while cell < raster.width, raster.pixels[cell * 3..<cell * 3 + 3] == raster.pixels[0..<3] { cell += 1 }
        let shortBlocks = min(raster.width, raster.height) / cell
        XCTAssertLessThanOrEqual(shortBlocks, maxBlocksAcrossShortSide)
        for y in 0..<raster.height {
            for x in 0..<raster.width {
                let here = (y * raster.width + x) * 3
                let origin = ((y / cell * cell) * raster.width + x / cell * cell) * 3
                guard raster.pixels[here..<here + 3] == raster.pixels[origin..<origin + 3] else {
                    return XCTFail("pixel (\(x), \(y)) differs within its \(cell)-pixel block: not a mosaic")
                }
            }
        }
    }
}

/// The external tools the report tests use when installed.
enum ReportTools {
    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var weasyprint: String? {
        let installed = "/opt/imprint/report-tools/bin/weasyprint"
        return FileManager.default.isExecutableFile(atPath: installed) ? installed : which("weasyprint")
    }

    static var caseValidate: String? {
        let installed = "/opt/imprint/report-tools/bin/case_validate"
        return FileManager.default.isExecutableFile(atPath: installed) ? installed : which("case_validate")
    }

    static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func output(_ executable: String, _ arguments: [String]) throws -> String {
        let result = try run(executable, arguments)
        guard result.status == 0 else { throw XCTSkip("\(executable) failed: \(result.output)") }
        return result.output
    }
}
