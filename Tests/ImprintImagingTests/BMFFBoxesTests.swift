import XCTest
@testable import ImprintImaging

final class BMFFBoxesTests: XCTestCase {
    private func parse(_ bytes: [UInt8], limits: ContainerLimits = ContainerLimits()) -> ParsedContainer {
        ContainerParser.parse(bytes, format: .heif, limits: limits)
    }

    private let exifPayload = Bytes.ascii("MM") + [0x00, 0x2A, 0, 0, 0, 8, 0, 0]
    private let xmp = Bytes.ascii("<x:xmpmeta>heif</x:xmpmeta>")

    /// ftyp, meta (hdlr, pitm, iinf, iloc, iprp), mdat holding the image, Exif and XMP item
    /// bytes. The Exif item starts with a 4-byte offset (6) and "Exif\0\0" before the TIFF header.
    private func heif(ilocVersion: UInt8 = 1, extraTopLevel: [UInt8] = []) -> (file: [UInt8], exifAt: Int, xmpAt: Int) {
        let ftyp = BMFFFixture.ftyp("heic", ["mif1", "heic"])
        let exifItem = Bytes.u32be(6) + Bytes.ascii("Exif\0\0") + exifPayload
        let pixels: [UInt8] = [9, 9, 9, 9]
        let mdatPayload = pixels + exifItem + xmp
        func meta(mdatStart: Int) -> [UInt8] {
            let hdlr = BMFFFixture.fullBox("hdlr", [0, 0, 0, 0] + Bytes.ascii("pict") + [UInt8](repeating: 0, count: 12) + [0])
            let pitm = BMFFFixture.fullBox("pitm", Bytes.u16be(1))
            let iinf = BMFFFixture.fullBox("iinf", Bytes.u16be(3) + BMFFFixture.infe(id: 1, type: "hvc1")
                                          + BMFFFixture.infe(id: 2, type: "Exif")
                                          + BMFFFixture.infe(id: 3, type: "mime", contentType: "application/rdf+xml"))
            func item(_ id: Int, _ offset: Int, _ length: Int) -> [UInt8] {
                let idField = ilocVersion == 2 ? Bytes.u32be(id) : Bytes.u16be(id)
                let method: [UInt8] = ilocVersion >= 1 ? [0, 0] : []
                return idField + method + Bytes.u16be(0) + Bytes.u16be(1) + Bytes.u32be(offset) + Bytes.u32be(length)
            }
            let count = ilocVersion == 2 ? Bytes.u32be(3) : Bytes.u16be(3)
            let iloc = BMFFFixture.fullBox("iloc", version: ilocVersion, [0x44, 0x00] + count
                                          + item(1, mdatStart, pixels.count) + item(2, mdatStart + pixels.count, exifItem.count)
                                          + item(3, mdatStart + pixels.count + exifItem.count, xmp.count))
            // A thumbnail-sized ispe comes first; the primary item is associated with the second.
            let ipco = BMFFFixture.box("ipco", BMFFFixture.ispe(160, 120) + BMFFFixture.ispe(4032, 3024)
                                      + BMFFFixture.box("colr", Bytes.ascii("prof") + [7, 7, 7]))
            let ipma = BMFFFixture.fullBox("ipma", Bytes.u32be(1) + Bytes.u16be(1) + [2, 0x82, 0x03])
            let iprp = BMFFFixture.box("iprp", ipco + ipma)
            return BMFFFixture.fullBox("meta", hdlr + pitm + iinf + iloc + iprp)
        }
        let metaLength = meta(mdatStart: 0).count
        let mdatStart = ftyp.count + metaLength + extraTopLevel.count + 8
        let file = ftyp + meta(mdatStart: mdatStart) + extraTopLevel + BMFFFixture.box("mdat", mdatPayload)
        return (file, mdatStart + pixels.count + 4 + 6, mdatStart + pixels.count + exifItem.count)
    }

    func testItemsPropertiesAndBrands() {
        for version: UInt8 in [0, 1, 2] {
            let (file, exifAt, xmpAt) = heif(ilocVersion: version)
            let parsed = parse(file)
            XCTAssertEqual(parsed.issues, [], "iloc v\(version)")
            XCTAssertEqual(parsed.elements.map(\.name), ["ftyp", "meta", "item 2", "item 3", "mdat"])
            XCTAssertEqual(parsed.bmffMajorBrand, "heic")
            XCTAssertEqual(parsed.bmffCompatibleBrands, ["mif1", "heic"])
            XCTAssertEqual(parsed.width, 4032)
            XCTAssertEqual(parsed.height, 3024)
            XCTAssertEqual(parsed.exif, exifPayload)
            XCTAssertEqual(parsed.exifOffset, exifAt)
            XCTAssertEqual(Array(file[exifAt..<(exifAt + 4)]), [0x4D, 0x4D, 0x00, 0x2A])
            XCTAssertEqual(parsed.xmp, xmp)
            XCTAssertEqual(parsed.xmpOffset, xmpAt)
            XCTAssertEqual(parsed.icc, [7, 7, 7])
            XCTAssertEqual(parsed.elements.first { $0.name == "item 2" }?.identifiedAs, "EXIF")
        }
    }

    func testUUIDBoxesLargeSizeAndSizeZero() {
        let c2paUUID: [UInt8] = [0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81]
        let store = Bytes.u32be(8) + Bytes.ascii("jumb")
        let c2pa = BMFFFixture.uuid(c2paUUID, [0, 0, 0, 0] + Bytes.ascii("manifest\0") + Bytes.u64be(0) + store)
        let other = BMFFFixture.uuid([UInt8](repeating: 0xAB, count: 16), [1, 2])
        let large = Bytes.u32be(1) + Bytes.ascii("free") + Bytes.u64be(20) + [0, 0, 0, 0]
        let toEnd = Bytes.u32be(0) + Bytes.ascii("mdat") + [5, 5, 5]
        let file = BMFFFixture.ftyp("avif", ["mif1", "miaf"]) + BMFFFixture.fullBox("meta", []) + c2pa + other + large + toEnd
        let parsed = ContainerParser.parse(file, format: .avif)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.elements.dropFirst(2).map(\.name), ["uuid:d8fec3d6-1b0e-483c-9297-5828877ec481",
                                                     "uuid:abababab-abab-abab-abab-abababababab", "free", "mdat"])
        XCTAssertEqual(parsed.elements[2].identifiedAs, "JUMBF")
        XCTAssertEqual(parsed.elements[3].identifiedAs, "uuid:abababab-abab-abab-abab-abababababab")
        XCTAssertEqual(parsed.elements[3].payloadLength, 2)
        XCTAssertEqual(parsed.elements[4].length, 20)
        XCTAssertEqual(parsed.elements[4].payloadOffset, parsed.elements[4].offset + 16)
        XCTAssertEqual(parsed.elements[5].length, 11)
        XCTAssertEqual(parsed.jumbf, store)
        XCTAssertEqual(parsed.bmffMajorBrand, "avif")
    }

    func testItemsInIdatUseConstructionMethodOne() {
        let exif = Bytes.u32be(0) + exifPayload
        let iinf = BMFFFixture.fullBox("iinf", Bytes.u16be(1) + BMFFFixture.infe(id: 7, type: "Exif"))
        let iloc = BMFFFixture.fullBox("iloc", version: 1, [0x44, 0x00] + Bytes.u16be(1)
                                      + Bytes.u16be(7) + [0, 1] + Bytes.u16be(0) + Bytes.u16be(1) + Bytes.u32be(2) + Bytes.u32be(exif.count))
        let idat = BMFFFixture.box("idat", [0xEE, 0xEE] + exif)
        let file = BMFFFixture.ftyp("heic", ["mif1"]) + BMFFFixture.fullBox("meta", iinf + iloc + idat)
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.exif, exifPayload)
        XCTAssertEqual(parsed.exifOffset, file.count - exifPayload.count)
    }

    func testHostileBoxes() {
        let (file, _, _) = heif()
        // Nesting limit: meta's children are at depth 1, iinf's at depth 2 (not read with a limit of 1).
        var limits = ContainerLimits()
        limits.maxBoxDepth = 1
        let shallow = parse(file, limits: limits)
        XCTAssertTrue(shallow.issues.contains { $0.code == "too-deep" })
        XCTAssertNil(shallow.exif)
        // A box larger than the file, and one smaller than its header.
        XCTAssertEqual(parse(BMFFFixture.ftyp("heic", []) + Bytes.u32be(1000) + Bytes.ascii("mdat")).issues.map(\.code), ["truncated"])
        XCTAssertEqual(parse(BMFFFixture.ftyp("heic", []) + Bytes.u32be(4) + Bytes.ascii("free")).issues.map(\.code), ["bad-length"])
        // An Exif item whose extent points past the end of the file.
        let iinf = BMFFFixture.fullBox("iinf", Bytes.u16be(1) + BMFFFixture.infe(id: 1, type: "Exif"))
        let iloc = BMFFFixture.fullBox("iloc", [0x44, 0x00] + Bytes.u16be(1) + Bytes.u16be(1) + Bytes.u16be(0) + Bytes.u16be(1)
                                      + Bytes.u32be(0x7FFF_FFF0) + Bytes.u32be(0x100))
        let lying = parse(BMFFFixture.ftyp("heic", []) + BMFFFixture.fullBox("meta", iinf + iloc))
        XCTAssertEqual(lying.issues.map(\.code), ["bad-offset"])
        XCTAssertNil(lying.exif)
    }

    func testEveryPrefixIsSafe() {
        let (file, _, _) = heif()
        for length in 0...file.count {
            let parsed = parse(Array(file.prefix(length)))
            for element in parsed.elements { XCTAssertLessThanOrEqual(element.offset + element.length, length) }
            if length > 0 && length < file.count { XCTAssertFalse(parsed.issues.isEmpty, "prefix \(length)") }
        }
    }
}
