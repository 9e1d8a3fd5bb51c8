import Foundation
import ImprintCase
import ImprintImaging
import ImprintPipeline
import ImprintTestSupport
import XCTest

/// Conformance on ../shared/corpus/watermark (files made with invisible-watermark 0.2.0,
/// the encoder the generators ship) and the unmarked photographs of camera/ and pdq/.
final class WatermarkCorpusTests: XCTestCase {
    private struct Expected {
        var file: String
        var payload: String
        var variant: String
    }

    private func findings(_ path: String) throws -> [Finding] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let format = FormatSniffer.sniff(Array(bytes.prefix(64)))
        let artifact = Artifact(path: Array(path.utf8), name: Array((path as NSString).lastPathComponent.utf8),
                                bytes: bytes, format: format)
        // As ingest runs it: the replicated image streamed to the analyzer by the shared
        // decode (PNGs and other layouts fall back to the whole raster).
        let analyzer = SDWatermarkAnalyzer()
        analyzer.prepare(artifact)
        return try analyzer.analyze(artifact).filter { $0.label == "watermark.sd-dwtdct" }
    }

    private func expectations(_ folder: String) throws -> [Expected] {
        let text = try String(contentsOfFile: folder + "/expected.csv", encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            let fields = line.split(separator: ",").map(String.init)
            return fields.count == 3 ? Expected(file: fields[0], payload: fields[1], variant: fields[2]) : nil
        }
    }

    func testWatermarkSetAgainstExpectedPayloads() throws {
        let folder = try SharedCorpus.require("watermark")
        let rows = try expectations(folder)
        XCTAssertEqual(rows.count, 32)
        var jpegDetected = 0, jpegTotal = 0, resizedDetected = 0
        for row in rows {
            let found = try findings(folder + "/" + row.file)
            let payloads = found.compactMap { $0.details["payload"]?.stringValue }
            switch row.variant {
            case "clean":
                XCTAssertTrue(found.isEmpty, "\(row.file): detection on a clean image: \(payloads)")
            case "sdxl-resized":
                resizedDetected += found.isEmpty ? 0 : 1
            case let variant where variant.hasSuffix("-q95"):
                jpegTotal += 1
                if payloads == [row.payload] { jpegDetected += 1 }
                XCTAssertTrue(payloads.isEmpty || payloads == [row.payload], "\(row.file): wrong payload \(payloads)")
            default:
                XCTAssertEqual(payloads, [row.payload], "\(row.file): every PNG variant must be detected with its payload")
            }
        }
        XCTAssertEqual(jpegTotal, 8)
        // Measured 8 of 8 (docs/watermarks.md); the bar is half, the reference decoder gets 1.
        XCTAssertGreaterThanOrEqual(jpegDetected, 6, "JPEG q95 re-saves detected: \(jpegDetected) of 8")
        print("watermark corpus: \(jpegDetected)/8 JPEG q95 detected; \(resizedDetected)/4 80 % resizes detected (expected lost)")
    }

    func testNoDetectionOnUnmarkedPhotographs() throws {
        let root = try SharedCorpus.require("camera")
        let folders = [root, try SharedCorpus.require("pdq")]
        var examined = 0
        for folder in folders {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            for case let relative as String in walker {
                let lower = relative.lowercased()
                guard lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") || lower.hasSuffix(".png") else { continue }
                let found = try findings(folder + "/" + relative)
                XCTAssertTrue(found.isEmpty, "\(relative): \(found.map(\.summary))")
                examined += 1
            }
        }
        XCTAssertGreaterThan(examined, 20)
    }
}
