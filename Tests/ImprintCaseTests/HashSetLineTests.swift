import Foundation
import XCTest
@testable import ImprintCase
import ImprintBytes
import ImprintTestSupport

/// Hash-list line parsing, format detection and the streamed line reader.
final class HashSetLineTests: XCTestCase {
    private let md5 = "d41d8cd98f00b204e9800998ecf8427e"
    private let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    private let sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    private func entry(_ line: String, _ format: HashSetFormat) -> HashSetEntry? {
        if case .entry(let e) = HashSetLine.parse(line, format: format) { return e }
        return nil
    }

    private func isInvalid(_ line: String, _ format: HashSetFormat) -> Bool {
        if case .invalid = HashSetLine.parse(line, format: format) { return true }
        return false
    }

    func testAutoDetectsByLengthAndRefusesToGuess64() {
        XCTAssertEqual(entry(md5, .auto)?.algorithm, "md5")
        XCTAssertEqual(entry(sha1.uppercased(), .auto)?.algorithm, "sha1")
        XCTAssertEqual(entry(sha1.uppercased(), .auto)?.value, Hex.decode(sha1))
        XCTAssertTrue(isInvalid(sha256, .auto))
        XCTAssertEqual(entry(sha256, .sha256)?.algorithm, "sha256")
        XCTAssertEqual(entry(sha256, .pdq)?.algorithm, "pdq")
    }

    func testCommentsBlankAndGNUFormsAndCRLF() {
        XCTAssertEqual(HashSetLine.parse("# a comment", format: .auto), .skip)
        XCTAssertEqual(HashSetLine.parse("   \t", format: .md5), .skip)
        XCTAssertEqual(HashSetLine.parse("", format: .pdq), .skip)
        XCTAssertEqual(entry("  \(md5.uppercased())\r", .md5)?.value, Hex.decode(md5))
        let gnu = entry("\(md5)  holiday photo.jpg", .md5)
        XCTAssertEqual(gnu?.meta, "holiday photo.jpg")
        XCTAssertEqual(entry("\(md5) *bin.jpg", .auto)?.meta, "bin.jpg")
    }

    func testHostileLinesAreInvalidNotFatal() {
        for line in [md5 + "0", "zz" + md5.dropFirst(2), md5 + "\u{0}", String(repeating: "a", count: 100_000),
                     "💥💥💥", "-\(md5)", md5.dropLast(1) + "g"] {
            XCTAssertTrue(isInvalid(String(line), .md5), "accepted: \(line.prefix(40))")
        }
        XCTAssertTrue(isInvalid(sha1, .md5))
        XCTAssertTrue(isInvalid(md5, .sha256))
        XCTAssertTrue(isInvalid("\(sha256.dropLast(2)),50,x", .pdq))
        XCTAssertTrue(isInvalid(",50,x", .pdq))
        XCTAssertTrue(isInvalid("hash=\(sha256),quality=abc", .pdq))
    }

    func testPDQPositionalAndKeyValueForms() {
        let plain = entry(sha256, .pdq)
        XCTAssertNil(plain?.quality)
        XCTAssertNil(plain?.meta)
        let positional = entry("\(sha256.uppercased()),87,img-1.jpg", .pdq)
        XCTAssertEqual(positional?.quality, 87)
        XCTAssertEqual(positional?.meta, "img-1.jpg")
        // Field 2 is quality only if it is an integer 0–100.
        let metaOnly = entry("\(sha256),photo,with,commas", .pdq)
        XCTAssertNil(metaOnly?.quality)
        XCTAssertEqual(metaOnly?.meta, "photo,with,commas")
        XCTAssertNil(entry("\(sha256),101", .pdq)?.quality)
        let detailed = entry("hash=\(sha256),norm=128,delta=0,quality=42,filename=a.jpg", .pdq)
        XCTAssertEqual(detailed?.quality, 42)
        XCTAssertEqual(detailed?.meta, "norm=128,delta=0,filename=a.jpg")
    }

    func testLineStreamHandlesBOMCRLFNoFinalNewlineAndOverlongLines() throws {
        let folder = try FixtureTree("line-stream")
        defer { folder.remove() }
        let long = String(repeating: "x", count: 50_000)
        let text = "\u{FEFF}first\r\nsecond\n\(long)\nlast"
        try folder.write("list.txt", Array(text.utf8))
        var stream = try LineStream(path: folder.absolute("list.txt"), chunk: 7, maxLine: 100)
        var lines: [[UInt8]] = []
        while let line = try stream.nextLine() { lines.append(line) }
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(lines[0], Array("first\r".utf8))
        XCTAssertEqual(lines[1], Array("second".utf8))
        XCTAssertEqual(lines[2].count, 101)
        XCTAssertEqual(lines[3], Array("last".utf8))
        XCTAssertEqual(stream.sha256Hex, FixtureTree.sha256(ofFile: Array(folder.absolute("list.txt").utf8)))
    }
}
