#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB
import XCTest
import ImprintTestSupport

/// An ingest killed with SIGKILL at arbitrary moments, then re-run with the same command,
/// must finish with every file recorded exactly once and a custody log that verifies.
final class KillAndResumeTests: XCTestCase {
    static let fileCount = 12_000

    static func fill(_ evidence: FixtureTree) throws {
        for i in 0..<fileCount {
            try evidence.write("d\(i % 40)/f\(i).jpg", MagicBytes.jpeg + Array("\(i)".utf8))
        }
    }

    static func recordedCount(_ casePath: String) -> Int {
        var config = Configuration()
        config.readonly = true
        guard let db = try? DatabaseQueue(path: casePath, configuration: config) else { return -1 }
        return (try? db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM files") ?? 0 }) ?? -1
    }

    func testSigintFinishesTheFilesInFlightAndRecordsAnInterruptedRun() throws {
        let evidence = try FixtureTree("int")
        let work = try FixtureTree("intcase")
        defer {
            evidence.remove()
            work.remove()
        }
        try Self.fill(evidence)
        let casePath = work.absolute("case.imprint")
        XCTAssertEqual(try CLIRunner.run(["case", "create", casePath, "--case-number", "I-1", "--examiner", "E"]).status, 0)
        let command = ["ingest", casePath, evidence.root, "--exhibit", "EX-I", "--quiet"]
        let process = try CLIRunner.start(command)
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Self.recordedCount(casePath) <= 0 && Date() < deadline { usleep(2_000) }
        guard process.isRunning else { throw XCTSkip("the ingest finished before it could be interrupted") }
        kill(process.processIdentifier, SIGINT)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130, message)
        XCTAssertTrue(message.contains("Run the same command again"), message)
        let partial = Self.recordedCount(casePath)
        XCTAssertLessThan(partial, Self.fileCount)

        let events = try CLIRunner.run(["custody", casePath, "--json"])
        XCTAssertTrue(events.stdout.contains("\"ingest.interrupted\""))
        let incomplete = try CLIRunner.run(["verify", casePath, "--quiet", "--skip-evidence"])
        XCTAssertEqual(incomplete.status, 1)
        XCTAssertTrue(incomplete.stdout.contains("re-run the same ingest command"), incomplete.stdout)

        XCTAssertEqual(try CLIRunner.run(command).status, 0)
        XCTAssertEqual(Self.recordedCount(casePath), Self.fileCount)
        let verify = try CLIRunner.run(["verify", casePath, "--quiet"])
        XCTAssertEqual(verify.status, 0, verify.stdout)
    }

    func testSigkillAtAnyMomentThenResumeRecordsEveryFileExactlyOnce() throws {
        let evidence = try FixtureTree("kill")
        let work = try FixtureTree("killcase")
        defer {
            evidence.remove()
            work.remove()
        }
        try Self.fill(evidence)
        let casePath = work.absolute("case.imprint")
        XCTAssertEqual(try CLIRunner.run(["case", "create", casePath, "--case-number", "K-1", "--examiner", "E"]).status, 0)
        let command = ["ingest", casePath, evidence.root, "--exhibit", "EX-K", "--quiet"]

        func recorded() -> Int { Self.recordedCount(casePath) }

        var partialStates: [Int] = []
        var kills = 0
        for attempt in 0..<4 {
            let before = max(recorded(), 0)
            let process = try CLIRunner.start(command)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until this run has committed something new (or finished), then kill it
            // mid-flight; later attempts wait a little longer to land at other moments.
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning && recorded() <= before && Date() < deadline { usleep(2_000) }
            usleep(UInt32(attempt * 30_000))
            guard process.isRunning else { break }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)
            kills += 1
            partialStates.append(recorded())
        }
        XCTAssertGreaterThan(kills, 0, "the ingest finished before it could be killed; the tree is too small")
        XCTAssertTrue(partialStates.contains { $0 > 0 && $0 < Self.fileCount }, "no kill landed mid-ingest: \(partialStates)")

        let final = try CLIRunner.run(command)
        XCTAssertEqual(final.status, 0, final.stderr)
        var config = Configuration()
        config.readonly = true
        let db = try DatabaseQueue(path: casePath, configuration: config)
        try db.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM files"), Self.fileCount)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(DISTINCT path) FROM files"), Self.fileCount)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM files WHERE sha256 IS NULL"), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM analysis_runs WHERE status = 'interrupted'"), kills)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM custody_events WHERE action = 'ingest.completed'"), 1)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM custody_events WHERE action = 'ingest.started'"), kills + 1)
        }
        let verify = try CLIRunner.run(["verify", casePath, "--quiet"])
        XCTAssertEqual(verify.status, 0, verify.stdout)
        XCTAssertTrue(verify.stdout.contains("evidence: \(Self.fileCount)/\(Self.fileCount) files match"), verify.stdout)

        // And re-running the completed ingest adds nothing.
        let again = try CLIRunner.run(command)
        XCTAssertTrue(again.stdout.contains("0 newly recorded, \(Self.fileCount) already recorded"), again.stdout)
    }
}
