#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB
import XCTest
import ImprintTestSupport

/// Faults during ingest, met by the real executable: the case file's disk fills up
/// (RLIMIT_FSIZE), SQLite refuses a write, and one evidence file cannot be read (EIO
/// injected into read(2)). The first two must stop the ingest with a clear error, lose
/// nothing committed, and leave a state that the same command, run again, finishes; the
/// third must not stop the batch at all. (SIGINT and SIGKILL: KillAndResumeTests.)
final class FaultTests: XCTestCase {
    static let fileCount = 3_000
    private var evidence: FixtureTree!
    private var work: FixtureTree!
    private var casePath: String { work.absolute("case.imprint") }
    private var ingestCommand: [String] { ["ingest", casePath, evidence.root, "--exhibit", "EX-F", "--quiet"] }

    override func setUpWithError() throws {
        evidence = try FixtureTree("fault")
        work = try FixtureTree("faultcase")
        for i in 0..<Self.fileCount {
            try evidence.write("d\(i % 30)/f\(i).txt", Array("note \(i)\n".utf8))
        }
        XCTAssertEqual(try CLIRunner.run(["case", "create", casePath, "--case-number", "F-1", "--examiner", "E"]).status, 0)
    }

    override func tearDown() {
        evidence?.remove()
        work?.remove()
    }

    /// Runs `executable arguments` with extra environment variables, as a user's shell would.
    private func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CLIRunner.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRunner.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                stderr: String(decoding: errData, as: UTF8.self))
    }

    private func database() throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: casePath, configuration: config)
    }

    private func count(_ sql: String) throws -> Int { try database().read { try Int.fetchOne($0, sql: sql) ?? -1 } }

    /// After a failed run: the same command finishes, every file is recorded once, verify passes.
    private func assertResumeFinishes(after failed: CLIRunner.Result, file: StaticString = #filePath, line: UInt = #line) throws {
        let partial = try count("SELECT count(*) FROM files")
        XCTAssertLessThan(partial, Self.fileCount, "the fault must land mid-ingest", file: file, line: line)
        XCTAssertEqual(try database().read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }, "ok", file: file, line: line)
        let resumed = try CLIRunner.run(ingestCommand)
        XCTAssertEqual(resumed.status, 0, resumed.stderr, file: file, line: line)
        XCTAssertTrue(resumed.stdout.contains("resumed after interrupted run(s)"), resumed.stdout, file: file, line: line)
        XCTAssertEqual(try count("SELECT count(*) FROM files"), Self.fileCount, file: file, line: line)
        XCTAssertEqual(try count("SELECT count(DISTINCT path) FROM files"), Self.fileCount, file: file, line: line)
        XCTAssertEqual(try count("SELECT count(*) FROM files WHERE sha256 IS NULL"), 0, file: file, line: line)
        let verify = try CLIRunner.run(["verify", casePath, "--quiet"])
        XCTAssertEqual(verify.status, 0, verify.stdout, file: file, line: line)
        XCTAssertTrue(verify.stdout.contains("evidence: \(Self.fileCount)/\(Self.fileCount) files match"), verify.stdout,
                      file: file, line: line)
    }

    func testAFullDiskStopsTheIngestCleanlyAndTheSameCommandFinishesIt() throws {
        let prlimit = "/usr/bin/prlimit"
        guard FileManager.default.isExecutableFile(atPath: prlimit) else { throw XCTSkip("prlimit (util-linux) is not installed") }
        let imprint = try CLIRunner.executable().path
        // The case file (or its WAL) may not grow past 600 KiB: the disk is "full" mid-ingest.
        let limited = try run(prlimit, ["--fsize=\(600 << 10)", "--", imprint] + ingestCommand)
        XCTAssertEqual(limited.status, 3, "a full disk is a runtime error: \(limited.stderr)")
        XCTAssertTrue(limited.stderr.hasPrefix("imprint: error:"), limited.stderr)
        XCTAssertFalse(limited.stderr.contains("Fatal error"), limited.stderr)
        XCTAssertTrue(limited.stderr.contains("run the same command again"), limited.stderr)
        XCTAssertGreaterThan(try count("SELECT count(*) FROM files"), 0, "batches committed before the disk filled are kept")
        try assertResumeFinishes(after: limited)
    }

    func testAnSQLiteErrorDuringIngestStopsItAndTheSameCommandFinishesIt() throws {
        // An attacker-free way to make SQLite refuse one insert in the middle of the walk.
        try DatabaseQueue(path: casePath).write { db in
            try db.execute(sql: """
                CREATE TRIGGER injected_fault BEFORE INSERT ON files WHEN NEW.path_text = 'd20/f2000.txt'
                BEGIN SELECT RAISE(ABORT, 'injected fault: the disk controller reported an error'); END
                """)
        }
        let failed = try CLIRunner.run(ingestCommand)
        XCTAssertEqual(failed.status, 3, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("injected fault"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("Everything recorded before is kept"), failed.stderr)
        XCTAssertGreaterThan(try count("SELECT count(*) FROM files"), 0)
        try DatabaseQueue(path: casePath).write { try $0.execute(sql: "DROP TRIGGER injected_fault") }
        try assertResumeFinishes(after: failed)
    }

    func testAReadErrorOnOneFileNeverStopsTheBatch() throws {
        let shim = try Self.readFaultShim(in: work)
        let result = try run(try CLIRunner.executable().path, ingestCommand,
                             environment: ["LD_PRELOAD": shim, "IMPRINT_TEST_FAIL_READ": "/d7/f1207.txt"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("1 with errors"), result.stdout)
        XCTAssertEqual(try count("SELECT count(*) FROM files"), Self.fileCount)
        let failed = try database().read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.path_text, f.status, f.sha256, e.stage, e.code, e.message FROM files f JOIN file_errors e ON e.file_id = f.id
                """)
        }
        XCTAssertEqual(failed.count, 1)
        XCTAssertEqual(failed.first?["path_text"], "d7/f1207.txt")
        XCTAssertEqual(failed.first?["status"], "error")
        XCTAssertEqual(failed.first?["stage"], "read")
        XCTAssertEqual(failed.first?["code"], "io-error")
        XCTAssertNil(failed.first?["sha256"] as String?)
        // Verify (without the fault) re-checks everything that was hashed.
        let verify = try CLIRunner.run(["verify", casePath, "--quiet"])
        XCTAssertEqual(verify.status, 0, verify.stdout)
        XCTAssertTrue(verify.stdout.contains("(1 not re-checked)"), verify.stdout)
    }

    /// A preload library whose read(2) fails with EIO on descriptors whose path contains
    /// $IMPRINT_TEST_FAIL_READ; compiled here with the toolchain's C compiler.
    static func readFaultShim(in folder: FixtureTree) throws -> String {
        let source = """
            #define _GNU_SOURCE
            #include <dlfcn.h>
            #include <errno.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <unistd.h>
            ssize_t read(int fd, void *buffer, size_t count) {
                static ssize_t (*real)(int, void *, size_t);
                if (!real) real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
                const char *needle = getenv("IMPRINT_TEST_FAIL_READ");
                if (needle && *needle) {
                    char link[64], target[4096];
                    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
                    ssize_t n = readlink(link, target, sizeof target - 1);
                    if (n > 0) {
                        target[n] = 0;
                        if (strstr(target, needle)) { errno = EIO; return -1; }
                    }
                }
                return real(fd, buffer, count);
            }
            """
        let sourcePath = folder.absolute("readfault.c"), library = folder.absolute("readfault.so")
        try Data(source.utf8).write(to: URL(fileURLWithPath: sourcePath))
        let compilers = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .flatMap { dir in ["clang", "cc", "gcc"].map { "\(dir)/\($0)" } }
        guard let compiler = compilers.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("no C compiler to build the read-fault library")
        }
        let build = Process()
        build.executableURL = URL(fileURLWithPath: compiler)
        build.arguments = ["-shared", "-fPIC", "-O1", "-o", library, sourcePath, "-ldl"]
        try build.run()
        build.waitUntilExit()
        guard build.terminationStatus == 0 else { throw XCTSkip("could not build the read-fault library with \(compiler)") }
        return library
    }
}
