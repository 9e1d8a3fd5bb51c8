#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import ImprintTestSupport

/// Case files hold intimate-imagery findings and the custody record: only their owner may
/// read them. And imprint never hands a string to a shell.
final class SecurityTests: XCTestCase {
    func testTheCaseFileAndSQLiteCompanionsAreOwnerOnlyEvenUnderAPermissiveUmask() throws {
        let work = try FixtureTree("perm")
        let evidence = try FixtureTree("permev")
        defer {
            work.remove()
            evidence.remove()
        }
        try evidence.write("a.jpg", MagicBytes.jpeg)
        let previous = umask(0)
        defer { umask(previous) }
        let casePath = work.absolute("case.imprint")
        XCTAssertEqual(try CLIRunner.run(["case", "create", casePath, "--case-number", "S-1", "--examiner", "E"]).status, 0)
        // Keep a reader open so the WAL and shared-memory files exist while they are checked.
        let ingest = try CLIRunner.run(["ingest", casePath, evidence.root, "--exhibit", "EX-S", "--quiet"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        var checked = 0
        for suffix in ["", "-wal", "-shm"] {
            var st = stat()
            guard stat(casePath + suffix, &st) == 0 else { continue }
            XCTAssertEqual(st.st_mode & 0o077, 0, "\(casePath + suffix) is readable by others: \(String(st.st_mode & 0o777, radix: 8))")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: work.root)
        XCTAssertEqual(names.filter { !$0.hasPrefix("case.imprint") }, [], "no other file is left beside the case")
    }

    /// imprint's own code starts no shell and no process except the reviewed ones below,
    /// each with an argument vector: WeasyPrint for the PDF report, and a researcher's
    /// own detector under `imprint eval --external`. A new call must be reviewed, and
    /// this list changed with it.
    static let reviewedProcessStarts: Set<String> = [
        "ImprintReport/PDFRenderer.swift: Process(",      // the PDF engine: fixed argv, no shell
        "ImprintEval/ExternalDetector.swift: Process(",   // --external: the researcher's argv, no shell
    ]

    func testNoSourceFileStartsAProcessOrAShell() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(atPath: sources.path) else { throw XCTSkip("no Sources folder") }
        let forbidden = ["system(", "popen(", "Process(", "posix_spawn", "execv", "execl", "/bin/sh", "/bin/bash", "fork("]
        var scanned = 0
        var offences: [String] = []
        var reviewed: Set<String> = []
        for case let relative as String in walker where relative.hasSuffix(".swift") || relative.hasSuffix(".c") || relative.hasSuffix(".h") {
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            scanned += 1
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") || code.hasPrefix("///") || code.hasPrefix("*") { continue }
                for word in forbidden where code.contains(word) {
                    if Self.reviewedProcessStarts.contains("\(relative): \(word)") { reviewed.insert("\(relative): \(word)"); continue }
                    offences.append("\(relative):\(number + 1): \(word)")
                }
            }
        }
        XCTAssertGreaterThan(scanned, 50)
        XCTAssertEqual(offences, [])
        // A reviewed call that disappeared must leave the list too.
        XCTAssertEqual(reviewed, Self.reviewedProcessStarts)
    }
}
