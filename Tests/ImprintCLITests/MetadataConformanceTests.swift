import Foundation
import XCTest
import ImprintBytes
import ImprintTestSupport

/// Conformance on ../shared/corpus: metadata agrees with ExifTool, and malformed files
/// are reported without stopping the batch.
final class MetadataConformanceTests: XCTestCase {
    private func tool(_ name: String) -> String? {
        ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first(where: FileManager.default.isExecutableFile)
    }

    /// scripts/crosscheck_exiftool.py exits 0 only when every required field agrees on at
    /// least 99 % of the camera corpus.
    func testCameraMetadataAgreesWithExifTool() throws {
        let camera = try SharedCorpus.require("camera")
        guard let exiftool = tool("exiftool"), let python = tool("python3") else {
            print("NOTICE: exiftool or python3 is not installed; skipping the ExifTool agreement test")
            throw XCTSkip("exiftool not installed")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("imprint-xcheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let ours = try CLIRunner.run(["analyze", "--json", camera])
        XCTAssertEqual(ours.status, 0)
        try ours.stdout.write(to: work.appendingPathComponent("imprint.jsonl"), atomically: true, encoding: .utf8)

        let exif = Process()
        exif.executableURL = URL(fileURLWithPath: exiftool)
        exif.arguments = ["-q", "-q", "-j", "-n", "-G", "-r", camera]
        let pipe = Pipe()
        exif.standardOutput = pipe
        try exif.run()
        let json = pipe.fileHandleForReading.readDataToEndOfFile()
        exif.waitUntilExit()
        try json.write(to: work.appendingPathComponent("exiftool.json"))

        let script = SharedCorpus.repositoryRoot.appendingPathComponent("scripts/crosscheck_exiftool.py")
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = [script.path, work.appendingPathComponent("imprint.jsonl").path,
                           work.appendingPathComponent("exiftool.json").path, camera]
        let out = Pipe()
        check.standardOutput = out
        try check.run()
        let report = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        print(report)
        XCTAssertEqual(check.terminationStatus, 0, "a required field agrees on fewer than 99 % of the files:\n\(report)")
        XCTAssertTrue(report.contains("Make *"))
    }

    /// Every malformed file yields a recorded error or a partial result and the batch goes
    /// on to the next file. (Time per file is measured by scripts/bench-malformed.sh in a
    /// release build; tests never assert timings.)
    func testMalformedFilesAreReportedAndTheBatchGoesOn() throws {
        let malformed = try SharedCorpus.require("malformed")
        let files = try FileManager.default.contentsOfDirectory(atPath: malformed).sorted()
        XCTAssertGreaterThan(files.count, 3)
        for file in files {
            let result = try CLIRunner.run(["analyze", "--json", malformed + "/" + file])
            XCTAssertEqual(result.status, 0, "\(file): \(result.stderr)")
            let object = try JSONParser.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            XCTAssertNotNil(object["sha256"]?.stringValue, "\(file) is still hashed")
        }
        // All at once: one line per file, in order.
        let batch = try CLIRunner.run(["analyze", "--json", malformed])
        XCTAssertEqual(batch.stdout.split(separator: "\n").count, files.count)
    }
}

/// C2PA through the command line: trust comes only from anchors the examiner supplies.
final class TrustAnchorCLITests: XCTestCase {
    private func c2paPresent(_ arguments: [String]) throws -> JSONValue? {
        let result = try CLIRunner.run(["analyze", "--json"] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONParser.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        return object["findings"]?.arrayValue?.first { $0["label"]?.stringValue == "c2pa.present" }
    }

    func testSignerIsTrustedOnlyWithTheSuppliedAnchors() throws {
        let c2pa = try SharedCorpus.require("c2pa")
        let untrusted = try XCTUnwrap(c2paPresent([c2pa + "/C.jpg"]))
        XCTAssertEqual(untrusted["details"]?["statusCodes"]?.arrayValue?.compactMap(\.stringValue), ["signingCredential.untrusted"])
        let official = try XCTUnwrap(c2paPresent(["--trust-anchors", c2pa + "/trust/C2PA-TRUST-LIST.pem", c2pa + "/C.jpg"]))
        XCTAssertEqual(official["details"]?["statusCodes"]?.arrayValue?.compactMap(\.stringValue), ["signingCredential.untrusted"],
                       "test-signed files are not trusted by the official list")
        let testRoot = try XCTUnwrap(c2paPresent(["--trust-anchors", c2pa + "/certs/test-root-bundle.pem", c2pa + "/C.jpg"]))
        XCTAssertEqual(testRoot["details"]?["statusCodes"]?.arrayValue?.count, 0)
        let bad = try CLIRunner.run(["analyze", "--trust-anchors", "/nonexistent.pem", c2pa + "/C.jpg"])
        XCTAssertEqual(bad.status, 2)
    }
}

/// Perceptual hashes end to end: `imprint analyze --json` on Meta's PDQ reference images
/// gives the reference PDQ (C++ core through pdqhash) and imagehash values.
final class PerceptualHashCLITests: XCTestCase {
    private func csv(_ path: String) throws -> [[String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    private func bits(_ a: String, _ b: String) -> Int? {
        guard let x = Hex.decode(a), let y = Hex.decode(b), x.count == y.count else { return nil }
        return zip(x, y).reduce(0) { $0 + ($1.0 ^ $1.1).nonzeroBitCount }
    }

    func testAnalyzeEmitsReferenceHashes() throws {
        let pdq = try SharedCorpus.require("pdq")
        let result = try CLIRunner.run(["analyze", "--json", pdq])
        XCTAssertEqual(result.status, 0, result.stderr)
        var hashes: [String: JSONValue] = [:]
        for line in result.stdout.split(separator: "\n") {
            let object = try JSONParser.parse(String(line))
            guard let path = object["path"]?.stringValue, let value = object["hashes"], value != .null else { continue }
            hashes[String(path.dropFirst(pdq.count + 1))] = value
        }
        let expected = try csv(pdq + "/expected.csv")
        XCTAssertEqual(expected.count, 29)
        for row in expected where row.count >= 3 {
            let ours = try XCTUnwrap(hashes[row[0]], "no hashes for \(row[0])")
            XCTAssertEqual(ours["pdq"]?.stringValue, row[1], row[0])
            XCTAssertEqual(ours["pdqQuality"]?.intValue, Int64(row[2]), row[0])
        }
        let imagehash = try csv(pdq + "/expected-imagehash.csv")
        let header = try String(contentsOfFile: pdq + "/expected-imagehash.csv", encoding: .utf8).split(separator: "\n")[0]
            .split(separator: ",").map(String.init)
        let fileColumn = header.firstIndex(of: "file") ?? 0
        for name in ["phash", "dhash"] {
            guard let column = header.firstIndex(of: name) else { return XCTFail("no \(name) column in \(header)") }
            var within = 0
            for row in imagehash where row.count > column {
                if let ours = hashes[row[fileColumn]]?[name]?.stringValue, let distance = bits(ours, row[column]), distance <= 4 {
                    within += 1
                }
            }
            XCTAssertGreaterThanOrEqual(Double(within) / Double(imagehash.count), 0.95, "\(name): \(within)/\(imagehash.count) within 4 bits")
        }
    }
}
