import XCTest
@testable import ImprintImaging

/// Hostile input in bulk: every fixture mutated many times must parse without a trap, and
/// every element must lie inside the file.
final class ContainerRobustnessTests: XCTestCase {
    /// A small deterministic generator, so a failure can be replayed.
    private struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    }

    private var fixtures: [(ImageFormat, [UInt8])] {
        let guid = "0123456789ABCDEF0123456789ABCDEF"
        let jpeg = JPEGFixture.image([
            JPEGFixture.app(1, "Exif\0\0", JPEGFixture.tiffHeaderLE),
            JPEGFixture.app(1, "http://ns.adobe.com/xap/1.0/\0", Bytes.ascii("xmpNote:HasExtendedXMP='\(guid)'")),
            JPEGFixture.app(1, "http://ns.adobe.com/xmp/extension/\0", Bytes.ascii(guid) + Bytes.u32be(4) + Bytes.u32be(0) + [1, 2, 3, 4]),
            JPEGFixture.app(2, "ICC_PROFILE\0", [1, 2, 5, 5]), JPEGFixture.app(2, "ICC_PROFILE\0", [2, 2, 6, 6]),
            JPEGFixture.app(13, "Photoshop 3.0\0", Bytes.ascii("8BIM") + Bytes.u16be(0x0404) + [0, 0] + Bytes.u32be(2) + [1, 2]),
            JPEGFixture.segment(0xEB, [0x4A, 0x50, 0, 1, 0, 0, 0, 1] + Bytes.u32be(12) + Bytes.ascii("jumb") + [1, 2, 3, 4]),
        ])
        let png = PNGFixture.image([PNGFixture.zTXt("z", Array("text".utf8)), PNGFixture.iTXt("i", "t", compressed: true),
                                    PNGFixture.chunk("iCCP", Bytes.ascii("p") + [0, 0] + Bytes.zlibCompress([1, 2, 3]))])
        let webp = RIFFFixture.webp([RIFFFixture.vp8x(width: 2, height: 2), RIFFFixture.vp8(width: 2, height: 2), RIFFFixture.chunk("EXIF", [1])])
        let tiff = TIFFFixture.build(ifds: [[TIFFFixture.short(256, 5), TIFFFixture.undefined(700, Bytes.ascii("<xmp/>"))],
                                            [TIFFFixture.short(256, 1)], [TIFFFixture.short(0x9000, 1)]],
                                     next: [1, nil, nil], pointers: [(0, 34665, 2)]).bytes
        let gif = GIFFixture.header(width: 2, height: 2) + GIFFixture.xmp("<x/>") + GIFFixture.image() + [0x3B]
        let iinf = BMFFFixture.fullBox("iinf", Bytes.u16be(1) + BMFFFixture.infe(id: 1, type: "Exif"))
        let exif = Bytes.u32be(0) + JPEGFixture.tiffHeaderLE
        func iloc(_ offset: Int) -> [UInt8] {
            BMFFFixture.fullBox("iloc", [0x44, 0x00] + Bytes.u16be(1) + Bytes.u16be(1) + Bytes.u16be(0) + Bytes.u16be(1)
                                + Bytes.u32be(offset) + Bytes.u32be(exif.count))
        }
        let iprp = BMFFFixture.box("iprp", BMFFFixture.box("ipco", BMFFFixture.ispe(2, 2)) + BMFFFixture.fullBox("ipma", Bytes.u32be(1) + Bytes.u16be(1) + [1, 1]))
        func head(_ offset: Int) -> [UInt8] {
            BMFFFixture.ftyp("heic", ["mif1"]) + BMFFFixture.fullBox("meta", BMFFFixture.fullBox("pitm", Bytes.u16be(1)) + iinf + iloc(offset) + iprp)
        }
        let heif = head(head(0).count + 8) + BMFFFixture.box("mdat", exif)
        let bmp = Bytes.ascii("BM") + [UInt8](repeating: 0, count: 12) + Bytes.u32le(40) + Bytes.u32le(3) + Bytes.u32le(0xFFFF_FFFF)
        return [(.jpeg, jpeg), (.png, png), (.webp, webp), (.tiff, tiff), (.gif, gif), (.heif, heif), (.bmp, bmp)]
    }

    func testMutatedFixturesNeverTrap() {
        var random = SplitMix(state: 0x1DEA_C0DE)
        for (format, original) in fixtures {
            XCTAssertTrue(ContainerParser.parse(original, format: format).issues.isEmpty || format == .bmp, "\(format) fixture is clean")
            for _ in 0..<1_500 {
                var bytes = original
                for _ in 0...random.below(4) {
                    let index = random.below(bytes.count)
                    switch random.below(4) {
                    case 0: bytes[index] = UInt8(truncatingIfNeeded: random.next())
                    case 1: bytes[index] = [0x00, 0xFF, 0x7F, 0x80, 0x01][random.below(5)]
                    case 2: bytes.removeSubrange(index..<min(bytes.count, index + 1 + random.below(8)))
                    default: bytes.insert(contentsOf: [UInt8](repeating: 0xFF, count: 1 + random.below(4)), at: index)
                    }
                    if bytes.isEmpty { bytes = [0] }
                }
                let parsed = ContainerParser.parse(bytes, format: format)
                for element in parsed.elements {
                    XCTAssertGreaterThanOrEqual(element.offset, 0)
                    XCTAssertLessThanOrEqual(element.offset + element.length, bytes.count, "\(format) \(element.name)")
                    XCTAssertLessThanOrEqual(element.payloadOffset + element.payloadLength, bytes.count, "\(format) \(element.name)")
                }
                if let offset = parsed.trailingDataOffset { XCTAssertEqual(offset + parsed.trailingDataLength, bytes.count) }
            }
        }
    }

    func testBMPDimensionsAndOtherFormats() {
        let bmp = Bytes.ascii("BM") + [UInt8](repeating: 0, count: 12) + Bytes.u32le(40) + Bytes.u32le(640) + Bytes.u32le(-480 & 0xFFFF_FFFF)
            + [UInt8](repeating: 0, count: 28)
        let parsed = ContainerParser.parse(bmp, format: .bmp)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.width, 640)
        XCTAssertEqual(parsed.height, 480)
        XCTAssertEqual(parsed.elements.map(\.name), ["BITMAPFILEHEADER", "DIBHeader"])
        let core = Bytes.ascii("BM") + [UInt8](repeating: 0, count: 12) + Bytes.u32le(12) + Bytes.u16le(7) + Bytes.u16le(9) + [1, 0, 24, 0]
        XCTAssertEqual(ContainerParser.parse(core, format: .bmp).width, 7)

        let other = ContainerParser.parse(Bytes.ascii("hello"), format: .other)
        XCTAssertEqual(other.format, .other)
        XCTAssertEqual(other.elements, [])
        XCTAssertEqual(other.issues, [])
        XCTAssertEqual(ContainerParser.parse([], format: .empty).format, .empty)
    }

    func testIssueCapHoldsAgainstFloods() {
        var limits = ContainerLimits()
        limits.maxIssues = 10
        // Every chunk has a bad CRC.
        let file = PNGFixture.signature + PNGFixture.ihdr(width: 1, height: 1)
            + (0..<100).flatMap { _ in PNGFixture.chunk("tEXt", Bytes.ascii("k\0v"), corruptCRC: true) } + PNGFixture.iend
        let parsed = ContainerParser.parse(file, format: .png, limits: limits)
        XCTAssertEqual(parsed.issues.count, 11)
        XCTAssertEqual(parsed.issues.last?.code, "too-many-issues")
        XCTAssertEqual(parsed.pngText.count, 100)
    }
}
