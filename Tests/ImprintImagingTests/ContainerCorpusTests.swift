import Foundation
import XCTest
@testable import ImprintImaging
import ImprintTestSupport

/// The shared conformance corpus (`../shared/corpus` from the repository root); absent on
/// machines without it, in which case these tests print a notice and skip.
enum ImagingCorpus {
    static var root: String? { SharedCorpus.root }

    static func require(_ sub: String) throws -> String { try SharedCorpus.require(sub) }

    /// Regular files under `folder`, sorted, with their bytes.
    static func files(under folder: String) -> [(path: String, bytes: [UInt8])] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [(String, [UInt8])] = []
        for case let relative as String in walker {
            let path = folder + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            found.append((path, [UInt8](data)))
        }
        return found.sorted { $0.0 < $1.0 }
    }
}

final class ContainerCorpusTests: XCTestCase {
    func testEveryCorpusFileParsesAndStaysInBounds() throws {
        let root = try ImagingCorpus.require("")
        let files = ImagingCorpus.files(under: root)
        XCTAssertGreaterThan(files.count, 100)
        for (path, bytes) in files {
            let format = FormatSniffer.sniff(bytes.prefix(FormatSniffer.minimumPrefix))
            let parsed = ContainerParser.parse(bytes, format: format)
            XCTAssertEqual(parsed.format, format)
            for element in parsed.elements {
                XCTAssertLessThanOrEqual(element.offset + element.length, bytes.count, "\(path): \(element.name)")
            }
        }
    }

    /// Each malformed file parses to a result; how long it takes is measured by
    /// scripts/bench-malformed.sh, never asserted (the suite also runs under sanitizers).
    func testMalformedFilesAreParsedAndReported() throws {
        let folder = try ImagingCorpus.require("malformed")
        let files = ImagingCorpus.files(under: folder)
        XCTAssertFalse(files.isEmpty)
        for (path, bytes) in files {
            let format = FormatSniffer.sniff(bytes.prefix(FormatSniffer.minimumPrefix))
            let parsed = ContainerParser.parse(bytes, format: format)
            XCTAssertEqual(parsed.format, format)
            print("malformed \((path as NSString).lastPathComponent): \(format.rawValue), \(parsed.elements.count) elements, issues: \(parsed.issues.map(\.code))")
        }
    }

    func testCameraJPEGsHaveFrameSizeAndEXIF() throws {
        let folder = try ImagingCorpus.require("camera")
        let jpegs = ImagingCorpus.files(under: folder).filter { FormatSniffer.sniff($0.bytes.prefix(64)) == .jpeg }
        XCTAssertGreaterThan(jpegs.count, 30)
        var withEXIF = 0
        for (path, bytes) in jpegs {
            let parsed = ContainerParser.parse(bytes, format: .jpeg)
            XCTAssertNotNil(parsed.jpegFrame, path)
            XCTAssertNotNil(parsed.width, path)
            XCTAssertNotNil(parsed.height, path)
            XCTAssertEqual(parsed.width, parsed.jpegFrame?.width, path)
            XCTAssertFalse(parsed.quantizationTables.isEmpty, path)
            XCTAssertTrue(parsed.elements.contains { $0.name == "EOI" } || parsed.issues.contains { $0.code == "truncated" }, path)
            if let exif = parsed.exif, let offset = parsed.exifOffset {
                let header = Array(exif.prefix(4))
                XCTAssertTrue(header == [0x49, 0x49, 0x2A, 0x00] || header == [0x4D, 0x4D, 0x00, 0x2A], "\(path): \(header)")
                XCTAssertEqual(Array(bytes[offset..<(offset + exif.count)]), exif, path)
                withEXIF += 1
            }
        }
        // Every file in camera/ carries EXIF according to ExifTool; allow a margin for odd writers.
        XCTAssertGreaterThanOrEqual(Double(withEXIF), 0.9 * Double(jpegs.count), "\(withEXIF) of \(jpegs.count) have EXIF")
    }

    func testGeneratorPNGsYieldTheirTextChunks() throws {
        let folder = try ImagingCorpus.require("generators")
        let pngs = ImagingCorpus.files(under: folder).filter { FormatSniffer.sniff($0.bytes.prefix(64)) == .png }
        XCTAssertFalse(pngs.isEmpty)
        var keywords: Set<String> = []
        for (path, bytes) in pngs {
            let parsed = ContainerParser.parse(bytes, format: .png)
            XCTAssertFalse(parsed.pngText.isEmpty, path)
            XCTAssertFalse(parsed.issues.contains { $0.code == "bad-crc" }, path)
            keywords.formUnion(parsed.pngText.map(\.keyword))
        }
        // What expected.csv says the generators write.
        for keyword in ["parameters", "prompt", "workflow", "Dream", "Comment", "Software"] {
            XCTAssertTrue(keywords.contains(keyword), "no PNG text chunk with keyword \(keyword); found \(keywords.sorted())")
        }
    }
}
