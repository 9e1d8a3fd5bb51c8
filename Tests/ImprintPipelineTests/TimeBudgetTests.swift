#if canImport(Glibc)
import Glibc
#endif
import GRDB
import XCTest
import ImprintBytes
import ImprintCase
@testable import ImprintPipeline
import ImprintTestSupport

/// An analyzer that would run for ever, but checks the deadline in its loop.
private struct LoopingAnalyzer: Analyzer {
    let id = "test.looping"
    let version = "1"
    let needsPixels = false
    func analyze(_ artifact: Artifact) throws -> [Finding] {
        var rounds = 0
        while true {
            try artifact.deadline.check("round \(rounds + 1)")
            rounds += 1
            usleep(5_000)
            if rounds > 2_000 { return [] }   // ~10 s: the budget should have stopped it long before
        }
    }
}

/// Marks that it ran.
private struct MarkerAnalyzer: Analyzer {
    let id = "test.marker"
    let version = "1"
    let needsPixels = false
    func analyze(_ artifact: Artifact) throws -> [Finding] {
        [Finding(analyzer: id, analyzerVersion: version, category: .integrity, label: "test.marker", strength: .info,
                 summary: "The marker analyzer ran.")]
    }
}

final class TimeBudgetTests: XCTestCase {
    func testAnAnalyzerOverTheBudgetLeavesARecordedErrorAndTheRestIsSkipped() throws {
        let tree = try FixtureTree("budget")
        defer { tree.remove() }
        try tree.write("notes.txt", MagicBytes.text)
        let analysis = FileAnalysis(analyzers: [SlowAnalyzer(), MarkerAnalyzer()], timeBudgetSeconds: 0.1)
        let file = analysis.observe(try tree.walkEntry("notes.txt"))

        XCTAssertNotNil(file.sha256, "hashing is never skipped")
        XCTAssertEqual(file.findings.map(\.label), ["test.slow-done"], "what finished is kept; the marker never ran")
        let error = try XCTUnwrap(file.errors.first { $0.code == "time-budget" })
        XCTAssertEqual(error.stage, "analyze")
        XCTAssertEqual(error.analyzer, "test.slow", "the analyzer that was running when the budget ran out")
        XCTAssertTrue(error.message.contains("skipped: analyzer test.marker"), error.message)
        XCTAssertTrue(error.message.contains("0.1 s per file"), error.message)
    }

    func testAnAnalyzerThatChecksTheDeadlineStopsItselfAndIsNamed() throws {
        let tree = try FixtureTree("budget")
        defer { tree.remove() }
        try tree.write("notes.txt", MagicBytes.text)
        let file = FileAnalysis(analyzers: [LoopingAnalyzer(), MarkerAnalyzer()], timeBudgetSeconds: 0.2)
            .observe(try tree.walkEntry("notes.txt"))
        let error = try XCTUnwrap(file.errors.first { $0.code == "time-budget" })
        XCTAssertEqual(error.analyzer, "test.looping")
        XCTAssertTrue(error.message.contains("the rest of analyzer test.looping"), error.message)
        XCTAssertTrue(error.message.contains("analyzer test.marker"), error.message)
        XCTAssertFalse(file.errors.contains { $0.code == "analyzer-failed" }, "a budget stop is not an analyzer failure")
    }

    func testALastAnalyzerOverTheBudgetIsRecordedTooThoughNothingIsSkipped() throws {
        let tree = try FixtureTree("budget")
        defer { tree.remove() }
        try tree.write("notes.txt", MagicBytes.text)
        let file = FileAnalysis(analyzers: [MarkerAnalyzer(), SlowAnalyzer()], timeBudgetSeconds: 0.1)
            .observe(try tree.walkEntry("notes.txt"))
        XCTAssertEqual(file.findings.map(\.label), ["test.marker", "test.slow-done"])
        let error = try XCTUnwrap(file.errors.first { $0.code == "time-budget" })
        XCTAssertEqual(error.analyzer, "test.slow")
        XCTAssertTrue(error.message.contains("nothing was left to skip"), error.message)
    }

    func testWithoutABudgetEveryAnalyzerRuns() throws {
        let tree = try FixtureTree("budget")
        defer { tree.remove() }
        try tree.write("notes.txt", MagicBytes.text)
        let file = FileAnalysis(analyzers: [SlowAnalyzer(), MarkerAnalyzer()], timeBudgetSeconds: nil)
            .observe(try tree.walkEntry("notes.txt"))
        XCTAssertEqual(file.findings.map(\.label), ["test.slow-done", "test.marker"])
        XCTAssertFalse(file.errors.contains { $0.code == "time-budget" })
    }

    func testIngestGoesOnPastFilesOverTheirBudgetAndRecordsEachOverrun() async throws {
        let tree = try FixtureTree("budget")
        let work = try FixtureTree("budgetcase")
        defer {
            tree.remove()
            work.remove()
        }
        for i in 0..<3 { try tree.write("f\(i).txt", MagicBytes.text + [UInt8(i)]) }
        let actor = Actor(examiner: "E", host: "h")
        let store = try CaseStore.create(at: work.absolute("c.imprint"), case: NewCase(caseNumber: "B-1", examiner: "E"), actor: actor)
        var request = IngestRequest(evidenceRoot: tree.root, exhibitNumber: "EX-1", jobs: 2,
                                    analyzers: [SlowAnalyzer(), MarkerAnalyzer()])
        request.timeBudgetSeconds = 0.1
        let summary = try await Ingest.run(request, store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "t"))
        XCTAssertFalse(summary.interrupted)
        XCTAssertEqual(summary.newlyRecorded, 3)
        XCTAssertEqual(summary.newWithErrors, 3)
        let rows = try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: "SELECT e.code, e.analyzer, f.sha256 FROM file_errors e JOIN files f ON f.id = e.file_id")
        }
        XCTAssertEqual(rows.map { $0["code"] as String }, ["time-budget", "time-budget", "time-budget"])
        XCTAssertTrue(rows.allSatisfy { ($0["sha256"] as String?)?.count == 64 })
        // The budget is recorded with the run's options.
        let started = try XCTUnwrap(store.custodyEvents().first { $0.action == "ingest.started" })
        XCTAssertTrue(started.detailsJSON.contains("\"maxSecondsPerFile\":1"), started.detailsJSON)
        let report = try await Verifier.run(store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "v"))
        XCTAssertTrue(report.passed)
    }
}
