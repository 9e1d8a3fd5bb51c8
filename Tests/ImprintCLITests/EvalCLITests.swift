import Foundation
import XCTest
import ImprintBytes
import ImprintImaging
import ImprintTestSupport

/// `imprint eval` as a user runs it, on PNG and JPEG files the test makes.
final class EvalCLITests: XCTestCase {
    private var work: FixtureTree!

    override func setUpWithError() throws { work = try FixtureTree("eval-cli") }
    override func tearDown() { work?.remove() }

    private func makeSet() throws {
        var lines = ["path,label,group,split"]
        for index in 1...4 {
            try work.write("ai\(index).png", try PatternImages.png(pattern: UInt32(index), size: 160))
            lines.append("ai\(index).png,ai,gen,test")
            let png = try ImageDecoder().decode(try PatternImages.png(pattern: UInt32(index + 10), size: 160), format: .png)
            try work.write("real\(index).jpg", try ImageEncoder.jpeg(png, quality: 92))
            lines.append("real\(index).jpg,real,camera,test")
        }
        try work.write("labels.csv", Array((lines.joined(separator: "\n") + "\n").utf8))
    }

    func testEvalWritesItsOutputsAndRefusesBadOptions() throws {
        try makeSet()
        let out = work.absolute("out")
        let result = try CLIRunner.run(["eval", work.absolute("labels.csv"), "--out", out, "--resamples", "50",
                                        "--normalize", "jpeg:90,maxside:128"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("compression-cues  n=8"), result.stdout)
        for name in ["metrics.json", "metrics.csv", "groups.csv", "scores.csv", "roc.svg", "index.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + name), name)
        }
        let metrics = try JSONParser.parse([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: out + "/metrics.json"))))
        XCTAssertEqual(metrics["normalization"]?.stringValue, "jpeg:90,maxside:128")
        XCTAssertEqual(metrics["files"]?.intValue, 8)

        let badSpec = try CLIRunner.run(["eval", work.absolute("labels.csv"), "--out", out, "--normalize", "webp:3"])
        XCTAssertEqual(badSpec.status, 2, badSpec.stderr)
        let badExternal = try CLIRunner.run(["eval", work.absolute("labels.csv"), "--out", out, "--external", "nocommand"])
        XCTAssertEqual(badExternal.status, 2, badExternal.stderr)
        try work.write("bad.csv", Array("path,label\na.png,maybe\n".utf8))
        let badLabels = try CLIRunner.run(["eval", work.absolute("bad.csv"), "--out", out])
        XCTAssertEqual(badLabels.status, 3, badLabels.stderr)
        XCTAssertTrue(badLabels.stderr.contains("line 2"), badLabels.stderr)
    }
}
