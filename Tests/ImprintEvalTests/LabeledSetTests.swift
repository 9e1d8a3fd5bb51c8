import XCTest
@testable import ImprintEval

final class LabeledSetTests: XCTestCase {
    func testParsesQuotedFieldsSplitsAndGroups() throws {
        let csv = "path,label,group,split,notes\r\nai/a.png,ai,sdxl,train,\"grid, 2x2 \"\"tiles\"\"\"\n/abs/b.jpg,REAL,,test,\"two\nlines\"\n\nc.jpg,real,cam,TEST,x\n"
        let set = try LabeledSet.parse(csv, baseDirectory: "/data/set")
        XCTAssertEqual(set.items.map(\.path), ["ai/a.png", "/abs/b.jpg", "c.jpg"])
        XCTAssertEqual(set.items.map(\.resolvedPath), ["/data/set/ai/a.png", "/abs/b.jpg", "/data/set/c.jpg"])
        XCTAssertEqual(set.items.map(\.label), [1, 0, 0])
        XCTAssertEqual(set.items.map(\.group), ["sdxl", "all", "cam"])
        XCTAssertEqual(set.items(inSplit: "test").count, 2)
        XCTAssertEqual(set.items(inSplit: nil).count, 3)
    }

    func testRefusesMissingColumnsAndBadLabels() {
        XCTAssertThrowsError(try LabeledSet.parse("file,label\na,ai\n", baseDirectory: "/")) { error in
            XCTAssertEqual(error as? LabeledSet.LoadError, .missingColumn("path"))
        }
        XCTAssertThrowsError(try LabeledSet.parse("path,label\na,fake\n", baseDirectory: "/")) { error in
            XCTAssertEqual(error as? LabeledSet.LoadError, .badRow(line: 2, reason: "label 'fake' is neither ai nor real"))
        }
    }

    func testNormalizationSpec() throws {
        XCTAssertEqual(try Normalization.parse("jpeg:90,maxside:512"), Normalization(encoding: .jpeg(quality: 90), maxSide: 512))
        XCTAssertEqual(try Normalization.parse("png"), Normalization(encoding: .png))
        XCTAssertEqual(try Normalization.parse("jpeg:90,maxside:512").description, "jpeg:90,maxside:512")
        XCTAssertThrowsError(try Normalization.parse("jpeg:0"))
        XCTAssertThrowsError(try Normalization.parse("maxside:512"))
        XCTAssertThrowsError(try Normalization.parse("webp:80"))
    }
}
