import Foundation
import ImprintImaging
import ImprintMetadata
import ImprintProvenance
import ImprintTestSupport
import XCTest

/// Reads a file and runs the validator the way the analyzer does: sniff, parse the
/// container, take XMP dcterms:provenance from the metadata layer.
enum C2PATestSupport {
    static func load(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func validate(_ bytes: [UInt8], validator: C2PAValidator = C2PAValidator(trustAnchorsPEM: nil)) -> C2PAReport? {
        let container = ContainerParser.parse(bytes, format: FormatSniffer.sniff(bytes))
        let provenance = MetadataExtractor.extract(container).record.provenance
        return validator.validate(bytes: bytes, container: container, xmpProvenance: provenance)
    }

    /// The committed fixtures, read by path (the test target declares no resources, so
    /// they are located from this source file's place in the repository).
    static var fixturesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        let path = fixturesDirectory + "/" + name
        guard FileManager.default.fileExists(atPath: path) else {
            XCTFail("missing fixture \(name): run scripts/fixtures/make-c2pa-fixtures.py")
            throw XCTSkip("missing fixture \(name)")
        }
        return try load(path)
    }

    static func corpus(_ name: String) throws -> String {
        try SharedCorpus.require("c2pa") + "/" + name
    }

    /// A human-readable dump for failure messages.
    static func describe(_ report: C2PAReport?) -> String {
        guard let report else { return "no report" }
        var lines = ["present=\(report.storePresent) state=\(report.validationState.rawValue) trusted=\(report.trusted) manifests=\(report.manifests.count)"]
        for status in report.statuses {
            lines.append("  [\(status.kind.rawValue)] \(status.code)\(status.ingredientURI == nil ? "" : " (ingredient)") — \(status.explanation)")
        }
        return lines.joined(separator: "\n")
    }
}
