import Foundation
import XCTest
import ImprintBytes
@testable import ImprintCase
@testable import ImprintReport

/// The report writers on a model built in memory (the CLI tests cover a real case).
final class ReportWriterTests: XCTestCase {
    static func finding(_ analyzer: String, _ label: String, _ category: Finding.Category, _ strength: Finding.Strength,
                        score: Double? = nil, details: JSONValue = .object([])) -> Finding {
        Finding(analyzer: analyzer, analyzerVersion: "2.0.0", category: category, label: label, strength: strength,
                score: score, summary: "summary of \(label) <b>", details: details)
    }

    static func model(findings: [ReportFindingRow], analyzers: [AnalyzerUse] = []) -> ReportModel {
        let info = CaseInfo(caseUUID: "8d7f1c1e-0000-4000-8000-000000000001", caseNumber: "2026-\"014\"</style>", title: "T",
                            agency: nil, authorization: nil, examiner: "A. Examiner", createdAtUTC: "2026-01-01T00:00:00.000Z",
                            toolVersion: "imprint 0.1.0")
        let files = [
            ReportFileRow(id: 1, exhibitNumber: "EX-1", path: "a/<one>.png", kind: "file", size: 10, mtimeNs: 0,
                          sha256: String(repeating: "a", count: 64), md5: String(repeating: "b", count: 32), format: "png",
                          status: "ok", width: 4, height: 3, errorCount: 0, findingCount: 2),
            ReportFileRow(id: 2, exhibitNumber: "EX-1", path: "=cmd|' /C calc'!A0", kind: "file", size: 5, mtimeNs: 0,
                          sha256: String(repeating: "c", count: 64), md5: nil, format: nil, status: "ok", width: nil,
                          height: nil, errorCount: 0, findingCount: 1),
        ]
        let verification = ReportVerification(passed: true, chainIntact: true, chainEvents: 4, chainHeadSeq: 4,
                                              chainHeadHash: String(repeating: "d", count: 64), evidenceChecked: 2,
                                              evidenceMatched: 2, evidenceSkipped: 0, reportsChecked: 0, reportsMatched: 0,
                                              evidenceRehashed: true, discrepancies: [], eventSeq: 5)
        return ReportModel(
            caseInfo: info, reportID: "R-1", generatedAtUTC: "2026-01-02T00:00:00.000Z", examiner: "A. Examiner",
            tool: ToolInfo(version: "0.1.0", executableSHA256: nil, host: "h", operatingSystem: "Linux", libraries: [:]),
            analyzers: analyzers, trustLists: [], hashSets: [], exhibits: [], files: files, findings: findings, errors: [],
            clustering: nil, custody: [], verification: verification,
            imageHandling: ImageHandling(revealed: false, revealedBy: nil, revealEventSeq: nil, mosaicBlocks: 8,
                                         thumbnailLimit: 10, thumbnailsOmitted: 0),
            notes: nil, flaggedMetadata: [:], thumbnails: [:], withNames: false)
    }

    func testEscapingNeverLetsTextBecomeMarkupOrCode() {
        XCTAssertEqual(Escape.html("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        let css = Escape.cssString("Case \"1\"</style><script>\\")
        XCTAssertTrue(css.hasPrefix("\"") && css.hasSuffix("\""))
        XCTAssertFalse(css.dropFirst().dropLast().contains("\""))
        XCTAssertFalse(css.contains("<"))
        XCTAssertEqual(Escape.csv("=1+1"), "'=1+1")
        XCTAssertEqual(Escape.csv("@SUM(A1)"), "'@SUM(A1)")
        XCTAssertEqual(Escape.csv("a,\"b\""), "\"a,\"\"b\"\"\"")
        XCTAssertEqual(Escape.csv("plain"), "plain")
    }

    func testMethodologyComesFromTheTableWithAGenericFallback() {
        XCTAssertFalse(MethodologyTable.methodology(for: "provenance.c2pa").isGeneric)
        let synthetic = MethodologyTable.methodology(for: "synthetic.score")
        XCTAssertFalse(synthetic.isGeneric)
        XCTAssertEqual(synthetic.methodology.title, "Synthetic-artifact scoring")
        let unknown = MethodologyTable.methodology(for: "frequency.gan-peaks")
        XCTAssertTrue(unknown.isGeneric)
        XCTAssertTrue(unknown.methodology.detects.contains("frequency.gan-peaks"))
        XCTAssertTrue(unknown.methodology.errorRates.contains("Not stated"))
    }

    func testSummaryCountsGroupByLabelAndThreshold() {
        let rows = [
            ReportFindingRow(id: 1, fileID: 1, runID: 1, finding: Self.finding("synthetic.score", "synthetic.score", .synthetic, .moderate,
                                                                               score: 0.9, details: .object(["threshold": .double(0.8)]))),
            ReportFindingRow(id: 2, fileID: 2, runID: 1, finding: Self.finding("synthetic.score", "synthetic.score", .synthetic, .weak,
                                                                               score: 0.5, details: .object(["threshold": .double(0.8)]))),
            ReportFindingRow(id: 3, fileID: 1, runID: 1, finding: Self.finding("provenance.c2pa", "c2pa.ai-generated", .provenance, .strong)),
            ReportFindingRow(id: 4, fileID: 2, runID: 1, finding: Self.finding("watermark.sd-dwtdct", "watermark.sd-dwtdct", .watermark, .strong)),
        ]
        let counts = SummaryCounts(Self.model(findings: rows))
        func line(_ key: String) -> SummaryCounts.Count? { counts.lines.first { $0.key == key }?.count }
        XCTAssertEqual(line("synthetic"), .init(files: 1, findings: 1), "only the score at or above its threshold")
        XCTAssertEqual(line("ai-declared"), .init(files: 1, findings: 1))
        XCTAssertEqual(line("watermark"), .init(files: 1, findings: 1))
        XCTAssertEqual(counts.filesWithFindings, 2)
    }

    func testHTMLShowsAnyFindingGenericallyAndEscapesEverything() {
        let rows = [ReportFindingRow(id: 7, fileID: 1, runID: 1,
                                     finding: Self.finding("frequency.gan-peaks", "frequency.peaks", .synthetic, .weak, score: 0.25,
                                                           details: .object(["note": .string("</pre><script>x</script>")])))]
        let model = Self.model(findings: rows, analyzers: [AnalyzerUse(id: "frequency.gan-peaks", version: "2.0.0",
                                                                        parameters: .object(["k": .integer(3)]), runEvents: [3])])
        let html = HTMLReportWriter.render(model)
        XCTAssertTrue(html.contains("data-analyzer=\"frequency.gan-peaks\""))
        XCTAssertTrue(html.contains("generic: not described by this build"))
        XCTAssertTrue(html.contains("<code>frequency.peaks</code>"))
        XCTAssertTrue(html.contains("0.250"))
        XCTAssertFalse(html.contains("<script>x</script>"))
        XCTAssertFalse(html.contains("</style><"), "the case number cannot close the stylesheet")
        XCTAssertFalse(html.contains("a/<one>.png"))
        XCTAssertTrue(html.contains("a/&lt;one&gt;.png"), "names appear, escaped, in the appendix")
        XCTAssertEqual(html.components(separatedBy: "<script").count, 2)
        XCTAssertEqual(HTMLReportWriter.render(model), html, "rendering is deterministic")
    }

    func testCASENodeIDsAreStableUUIDv5AndScoresAreDecimals() {
        let ids = CASEExport.NodeIDs(caseUUID: "u")
        let a = ids.node("file", "F1")
        XCTAssertEqual(a, ids.node("file", "F1"))
        XCTAssertNotEqual(a, ids.node("file", "F2"))
        let uuid = String(a.dropFirst("kb:file-".count))
        XCTAssertNotNil(UUID(uuidString: uuid))
        XCTAssertEqual(Array(uuid)[14], "5", "name-based version 5")
        XCTAssertEqual(CASEExport.decimal(0.93), "0.930")
        XCTAssertEqual(CASEExport.decimal(1), "1.000")
        XCTAssertEqual(CASEExport.decimal(0.0004), "0.000")
        let rows = [ReportFindingRow(id: 1, fileID: 1, runID: 1, finding: Self.finding("provenance.c2pa", "c2pa.ai-generated", .provenance, .strong, score: 0.5))]
        let graph = CASEExport.jsonLD(Self.model(findings: rows))
        XCTAssertTrue(graph.contains("\"@value\": \"0.500\""))
        XCTAssertFalse(graph.contains("<one>"), "no file names without --with-names")
    }
}
