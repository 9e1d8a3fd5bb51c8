import Foundation
import ImprintImaging
import ImprintTestSupport
import XCTest
@testable import ImprintDetectors

/// Conformance on ../shared/corpus/camera: imprint's own DQT and SOF parsing must agree
/// with libjpeg's (`jpeg_read_coefficients`), and the classes it gives are recorded in
/// docs/synthetic.md.
final class CompressionCorpusTests: XCTestCase {
    func testQuantisationTablesAgreeWithLibjpeg() throws {
        let root = try SharedCorpus.require("camera")
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }
            .filter { $0.lowercased().hasSuffix(".jpg") }.sorted()
        XCTAssertGreaterThan(files.count, 40)
        var compared = 0
        var classes: [String: Int] = [:]
        for file in files {
            let bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: root + "/" + file)))
            let container = ContainerParser.parse(bytes, format: .jpeg)
            guard let frame = container.jpegFrame, let coefficients = try? ImageDecoder().coefficients(bytes) else { continue }
            for (index, component) in coefficients.components.enumerated() where index < frame.components.count {
                let table = container.quantizationTables.first { $0.id == frame.components[index].quantizationTable }
                XCTAssertEqual(table?.values, component.quantizationTable, "\(file) component \(index)")
            }
            compared += 1
            if let kind = QuantizationClassifier.assess(container)?.kind { classes[kind.rawValue, default: 0] += 1 }
        }
        XCTAssertGreaterThan(compared, 40)
        // Many camera firmwares use the IJG tables themselves (docs/synthetic.md): the class
        // describes the encoder's tables, never the picture's origin.
        XCTAssertGreaterThan(classes["ijg"] ?? 0, 10)
        XCTAssertGreaterThan(classes["custom"] ?? 0, 0)
        print("camera corpus quantisation classes: \(classes.sorted { $0.key < $1.key })")
    }
}
