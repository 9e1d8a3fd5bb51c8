import XCTest
import ImprintProvenance
import ImprintTestSupport

/// Damaged and hostile versions of every fixture: the scan never traps and stays bounded.
final class GeneratorRobustnessTests: XCTestCase {
    func fixtures() throws -> [[UInt8]] {
        var exif = ExifBuilder()
        exif.ifd0 = [(0x0110, .ascii("prompt:{\"1\": {\"class_type\": \"KSampler\", \"inputs\": {}}}")), (0x0131, .ascii("Fooocus v2"))]
        exif.exif = [(0x9286, .undefined(Array("UNICODE\0".utf8) + GF.utf16(GF.a1111Text, bigEndian: false)))]
        return [
            try GF.jpeg([GF.exifAPP1(exif.build()), (0xEF, GF.P.deepFaceLab()), (0xFE, Array("{\"provider\": 1".utf8))]),
            try GF.png(chunks: [GF.tEXt("parameters", GF.a1111Text), GF.tEXt("prompt", "{\"1\": {\"class_type\": \"X\", \"inputs\": {}}}"),
                                GF.iTXt("faceswap", "{'a': [1, (2, 3)]}"), GF.tEXt("AIGC", GeneratorFixtureTests.aigcJSON),
                                GF.tEXt("Dream", "\"p\" -s 1 -S 2"), GF.tEXt("Description", "x --v 6 Job ID: 0f5a4c2e-1234-4abc-9def-0123456789ab")]),
            GF.webp(chunks: [("EXIF", GF.bigEndianUserComment(Array("UNICODE\0".utf8) + GF.utf16(GF.a1111Text, bigEndian: true)))]),
        ]
    }

    func testTruncationsAndByteFlipsNeverTrap() throws {
        for original in try fixtures() {
            for cut in stride(from: 0, to: original.count, by: max(1, original.count / 97)) {
                _ = GF.scan(Array(original[0..<cut]))
            }
            var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
            for _ in 0..<300 {
                var mutated = original
                for _ in 0..<4 {
                    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let position = Int(seed >> 33) % mutated.count
                    mutated[position] = UInt8(truncatingIfNeeded: seed >> 17)
                }
                _ = GF.scan(mutated)
            }
        }
    }

    func testHostileTIFFBlocks() throws {
        // An IFD that points to itself as the Exif IFD, and counts far beyond the block.
        let loop: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0, 2, 0,
                             0x69, 0x87, 4, 0, 1, 0, 0, 0, 8, 0, 0, 0,
                             0x86, 0x92, 7, 0, 0xFF, 0xFF, 0xFF, 0x7F, 8, 0, 0, 0, 0, 0, 0, 0]
        XCTAssertEqual(GF.scan(try GF.jpeg([GF.exifAPP1(loop)])).hits.map(\.rule), [])
    }
}
