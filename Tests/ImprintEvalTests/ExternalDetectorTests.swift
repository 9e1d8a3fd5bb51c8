import Foundation
import XCTest
@testable import ImprintEval

final class ExternalDetectorTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("imprint-external-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A researcher's detector: a small executable script written by the test.
    func script(_ name: String, _ body: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    func testSplittingAndPlaceholder() throws {
        let detector = try ExternalDetector.parse(#"npr=python3 -m npr.detect --weights "my weights.pth" --image {} -q"#)
        XCTAssertEqual(detector.name, "npr")
        XCTAssertEqual(detector.argv(for: "/x/a b.png"),
                       ["python3", "-m", "npr.detect", "--weights", "my weights.pth", "--image", "/x/a b.png", "-q"])
        let appended = try ExternalDetector.parse("d=/opt/det --fast")
        XCTAssertEqual(appended.argv(for: "/x/$(rm -rf).png"), ["/opt/det", "--fast", "/x/$(rm -rf).png"])
        XCTAssertThrowsError(try ExternalDetector.parse("no-equals"))
        XCTAssertThrowsError(try ExternalDetector.parse("bad name=/bin/true"))
        XCTAssertThrowsError(try ExternalDetector.parse(#"d=/bin/echo "unbalanced"#))
        XCTAssertEqual(ExternalDetector.parseScore("loading…\n{\"score\": 0.25}\n"), 0.25)
        XCTAssertEqual(ExternalDetector.parseScore("0.9"), 0.9)
        XCTAssertNil(ExternalDetector.parseScore("probably fake"))
    }

    func testRunsAScriptPerFileWithThePathAsOneArgument() throws {
        // Prints a score that depends on the argument it got, to prove the path arrived intact.
        let path = try script("det.sh", #"case "$2" in *"we ird;name.png") echo '{"score": 0.7}';; *) echo 0.1;; esac"#)
        let detector = try ExternalDetector.parse("det=\(path) --mode {}")
        XCTAssertEqual(detector.argv(for: "/tmp/we ird;name.png"), [path, "--mode", "/tmp/we ird;name.png"])
        XCTAssertEqual(try detector.score(path: "/tmp/we ird;name.png").get(), 0.7)
        XCTAssertEqual(try detector.score(path: "/tmp/other.png").get(), 0.1)
    }

    func testTimeoutExitStatusAndMissingScore() throws {
        // Every script is written before any runs: writing an executable while a child
        // started by an earlier run is alive can leave the file busy (ETXTBSY) on Linux.
        let slowScript = try script("slow.sh", "sleep 20; echo 1")
        let failScript = try script("fail.sh", "echo broken >&2; exit 3")
        let chattyScript = try script("chatty.sh", "echo looks real to me")
        let failing = ExternalDetector(name: "f", arguments: [failScript])
        XCTAssertEqual(failing.score(path: "/x").failure, .exit(3, "broken"))
        let chatty = ExternalDetector(name: "c", arguments: [chattyScript])
        XCTAssertEqual(chatty.score(path: "/x").failure, .noScore("looks real to me"))
        let slow = ExternalDetector(name: "slow", arguments: [slowScript], timeoutSeconds: 0.5)
        XCTAssertEqual(slow.score(path: "/x").failure, .timeout(0.5))
        let missing = ExternalDetector(name: "m", arguments: [directory.appendingPathComponent("absent").path])
        guard case .launch? = missing.score(path: "/x").failure else { return XCTFail("a missing program must fail to launch") }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
