import XCTest
@testable import ImprintImaging

final class TIFFStructureTests: XCTestCase {
    private func parse(_ bytes: [UInt8], limits: ContainerLimits = ContainerLimits()) -> ParsedContainer {
        ContainerParser.parse(bytes, format: .tiff, limits: limits)
    }

    func testIFDChainPointersAndPayloadTags() throws {
        for bigEndian in [false, true] {
            let xmp = Bytes.ascii("<x:xmpmeta>tiff</x:xmpmeta>")
            let iptc: [UInt8] = [0x1C, 0x02, 0x05, 0x00, 0x02, 0x48, 0x69]
            let icc = [UInt8](repeating: 0x33, count: 20)
            let c2pa = Bytes.u32be(8) + Bytes.ascii("jumb")
            let ifd0: [TIFFFixture.Entry] = [
                TIFFFixture.long(256, 6000, bigEndian: bigEndian), TIFFFixture.short(257, 4000, bigEndian: bigEndian),
                TIFFFixture.Entry(tag: 700, type: 1, count: xmp.count, value: xmp),
                TIFFFixture.undefined(33723, iptc), TIFFFixture.undefined(34675, icc), TIFFFixture.undefined(52545, c2pa),
            ]
            let exifIFD = [TIFFFixture.short(0x9000, 1, bigEndian: bigEndian)]
            let gpsIFD = [TIFFFixture.short(0, 2, bigEndian: bigEndian)]
            let ifd1 = [TIFFFixture.long(256, 160, bigEndian: bigEndian)]
            let built = TIFFFixture.build(bigEndian: bigEndian, ifds: [ifd0, exifIFD, gpsIFD, ifd1], next: [3, nil, nil, nil],
                                          pointers: [(0, 34665, 1), (0, 34853, 2)])
            let parsed = parse(built.bytes)
            XCTAssertEqual(parsed.issues, [], "big-endian: \(bigEndian)")
            XCTAssertEqual(parsed.elements.filter { $0.identifiedAs == nil || $0.name == "header" }.map(\.name),
                           ["header", "IFD0", "ExifIFD", "GPSIFD", "IFD1"])
            let ifdOffsets = parsed.elements.filter { $0.name.hasSuffix("IFD") || $0.name.hasPrefix("IFD") }.map(\.offset)
            XCTAssertEqual(ifdOffsets, [built.ifdOffsets[0], built.ifdOffsets[1], built.ifdOffsets[2], built.ifdOffsets[3]])
            let ifd0Element = try XCTUnwrap(parsed.elements.first { $0.name == "IFD0" })
            XCTAssertEqual(ifd0Element.length, 2 + 12 * 8 + 4)
            XCTAssertEqual(parsed.width, 6000)
            XCTAssertEqual(parsed.height, 4000)
            XCTAssertEqual(parsed.exif, built.bytes)
            XCTAssertEqual(parsed.exifOffset, 0)
            XCTAssertEqual(parsed.xmp, xmp)
            XCTAssertEqual(parsed.xmpOffset, built.valueOffsets[700])
            XCTAssertEqual(parsed.iptc, iptc)
            XCTAssertEqual(parsed.icc, icc)
            XCTAssertEqual(parsed.jumbf, c2pa)
            let jumbf = try XCTUnwrap(parsed.elements.first { $0.identifiedAs == "JUMBF" })
            XCTAssertEqual(jumbf.offset, built.valueOffsets[52545])
            XCTAssertEqual(jumbf.length, c2pa.count)
        }
    }

    func testLoopsAndLimits() {
        // IFD1 chains back to IFD0.
        let ifd = [TIFFFixture.short(256, 1), TIFFFixture.short(257, 1)]
        let loop = TIFFFixture.build(ifds: [ifd, ifd], next: [1, 0])
        let parsed = parse(loop.bytes)
        XCTAssertEqual(parsed.issues.map(\.code), ["ifd-loop"])
        XCTAssertEqual(parsed.elements.map(\.name), ["header", "IFD0", "IFD1"])

        var limits = ContainerLimits()
        limits.maxIFDs = 2
        let chain = TIFFFixture.build(ifds: [ifd, ifd, ifd, ifd], next: [1, 2, 3, nil])
        XCTAssertEqual(parse(chain.bytes, limits: limits).issues.map(\.code), ["too-many-ifds"])

        limits = ContainerLimits()
        limits.maxIFDEntries = 1
        let capped = parse(TIFFFixture.build(ifds: [ifd, ifd], next: [1, nil]).bytes, limits: limits)
        XCTAssertEqual(capped.issues.map(\.code), ["too-many-entries", "too-many-entries"])
        XCTAssertEqual(capped.width, 1)
        XCTAssertEqual(capped.elements.map(\.name), ["header", "IFD0", "IFD1"])  // the chain is still followed
    }

    func testHostileOffsetsAndCounts() {
        // IFD0 at an offset beyond the file; an entry count far larger than the file.
        let far: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF, 0xFF, 0x00]
        XCTAssertEqual(parse(far).issues.map(\.code), ["bad-offset"])
        let lying: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 12)
        XCTAssertEqual(parse(lying).issues.map(\.code), ["truncated"])
        // An XMP tag whose value offset lies outside the file.
        let bad = TIFFFixture.build(ifds: [[TIFFFixture.Entry(tag: 700, type: 7, count: 100, value: [UInt8](repeating: 1, count: 100))]], next: [nil])
        let cut = parse(Array(bad.bytes.prefix(40)))
        XCTAssertEqual(cut.issues.map(\.code), ["bad-offset"])
        XCTAssertNil(cut.xmp)
        XCTAssertEqual(parse([0x49, 0x49, 0x2B, 0x00]).issues.map(\.code), ["truncated"])
        XCTAssertEqual(parse([0x49, 0x49, 0x2C, 0x00, 8, 0, 0, 0]).issues.map(\.code), ["bad-signature"])
    }

    func testBigTIFF() {
        // Header: II, 43, offset size 8, reserved 0, IFD0 at 16; one entry (width, SHORT), next 0.
        var file: [UInt8] = [0x49, 0x49, 0x2B, 0x00, 0x08, 0x00, 0x00, 0x00] + Bytes.u64be(16).reversed()
        file += Array(Bytes.u64be(1).reversed())
        file += Bytes.u16le(256) + Bytes.u16le(3) + Array(Bytes.u64be(1).reversed()) + Bytes.u16le(77) + [UInt8](repeating: 0, count: 6)
        file += [UInt8](repeating: 0, count: 8)
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.elements.map(\.name), ["header", "IFD0"])
        XCTAssertEqual(parsed.elements.first?.identifiedAs, "BigTIFF")
        XCTAssertEqual(parsed.elements.last?.length, 8 + 20 + 8)
        XCTAssertEqual(parsed.width, 77)
    }

    func testEveryPrefixIsSafe() {
        let built = TIFFFixture.build(ifds: [[TIFFFixture.short(256, 5), TIFFFixture.undefined(700, Bytes.ascii("<xmp packet/>"))],
                                             [TIFFFixture.short(256, 1)]], next: [1, nil])
        XCTAssertEqual(parse(built.bytes).issues, [])
        for length in 0..<built.bytes.count {
            let parsed = parse(Array(built.bytes.prefix(length)))
            XCTAssertFalse(parsed.issues.isEmpty, "prefix \(length)")
            for element in parsed.elements { XCTAssertLessThanOrEqual(element.offset + element.length, length) }
        }
    }
}
