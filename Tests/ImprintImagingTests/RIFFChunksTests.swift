import XCTest
@testable import ImprintImaging

final class RIFFChunksTests: XCTestCase {
    private func parse(_ bytes: [UInt8]) -> ParsedContainer { ContainerParser.parse(bytes, format: .webp) }

    func testExtendedWebPChunksAndMetadata() throws {
        let tiff = JPEGFixture.tiffHeaderLE
        let xmp = Bytes.ascii("<x:xmpmeta/>")
        let icc: [UInt8] = [1, 2, 3]  // odd size: padded
        let c2pa = Bytes.u32be(8) + Bytes.ascii("jumb")
        let body = RIFFFixture.vp8x(width: 4000, height: 3000) + RIFFFixture.chunk("ICCP", icc) + RIFFFixture.vp8(width: 320, height: 240)
            + RIFFFixture.chunk("EXIF", Bytes.ascii("Exif\0\0") + tiff) + RIFFFixture.chunk("XMP ", xmp) + RIFFFixture.chunk("C2PA", c2pa)
        let file = RIFFFixture.webp([body]) + [0xDE, 0xAD]
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.elements.map(\.name), ["RIFF", "VP8X", "ICCP", "VP8 ", "EXIF", "XMP ", "C2PA"])
        XCTAssertEqual(parsed.elements.compactMap(\.identifiedAs), ["WEBP", "ICC", "EXIF", "XMP", "JUMBF"])
        // The canvas size wins over the bitstream's.
        XCTAssertEqual(parsed.width, 4000)
        XCTAssertEqual(parsed.height, 3000)
        let iccChunk = parsed.elements[2]
        XCTAssertEqual(iccChunk.offset, 12 + 18)
        XCTAssertEqual(iccChunk.length, 8 + 3 + 1)
        XCTAssertEqual(parsed.elements[3].offset, iccChunk.offset + iccChunk.length)
        XCTAssertEqual(parsed.icc, icc)
        XCTAssertEqual(parsed.exif, tiff)
        let exifOffset = try XCTUnwrap(parsed.exifOffset)
        XCTAssertEqual(Array(file[exifOffset..<(exifOffset + 4)]), [0x49, 0x49, 0x2A, 0x00])
        XCTAssertEqual(parsed.xmp, xmp)
        XCTAssertEqual(parsed.jumbf, c2pa)
        XCTAssertEqual(parsed.trailingDataOffset, file.count - 2)
        XCTAssertEqual(parsed.trailingDataLength, 2)
    }

    func testBitstreamDimensions() {
        let lossy = parse(RIFFFixture.webp([RIFFFixture.vp8(width: 321, height: 123)]))
        XCTAssertEqual(lossy.issues, [])
        XCTAssertEqual(lossy.width, 321)
        XCTAssertEqual(lossy.height, 123)
        let lossless = parse(RIFFFixture.webp([RIFFFixture.vp8l(width: 16383, height: 7)]))
        XCTAssertEqual(lossless.issues, [])
        XCTAssertEqual(lossless.width, 16383)
        XCTAssertEqual(lossless.height, 7)
        let exifWithoutHeader = parse(RIFFFixture.webp([RIFFFixture.vp8l(width: 1, height: 1), RIFFFixture.chunk("EXIF", JPEGFixture.tiffHeaderLE)]))
        XCTAssertEqual(exifWithoutHeader.exif, JPEGFixture.tiffHeaderLE)
    }

    func testTruncatedAndLyingSizes() {
        let file = RIFFFixture.webp([RIFFFixture.vp8(width: 8, height: 8), RIFFFixture.chunk("XMP ", Bytes.ascii("<x/>"))])
        let cut = parse(Array(file.dropLast(3)))
        XCTAssertEqual(cut.issues.map(\.code), ["truncated", "truncated"])
        XCTAssertEqual(cut.width, 8)
        var lying = file
        lying[16] = 0xFF; lying[17] = 0xFF  // VP8 chunk size far past the RIFF end
        XCTAssertEqual(parse(lying).issues.map(\.code), ["truncated"])
        XCTAssertEqual(parse(Bytes.ascii("RIFF")).issues.map(\.code), ["truncated"])
        let wave = Bytes.ascii("RIFF") + Bytes.u32le(4) + Bytes.ascii("WAVE")
        XCTAssertEqual(parse(wave).issues.map(\.code), ["bad-signature"])
    }

    func testEveryPrefixIsSafe() {
        let file = RIFFFixture.webp([RIFFFixture.vp8x(width: 2, height: 2), RIFFFixture.vp8(width: 2, height: 2), RIFFFixture.chunk("EXIF", [1, 2, 3])])
        XCTAssertEqual(parse(file).issues, [])
        for length in 0..<file.count {
            XCTAssertFalse(parse(Array(file.prefix(length))).issues.isEmpty, "prefix \(length)")
        }
    }
}
