import XCTest
@testable import ImprintImaging

final class PNGChunksTests: XCTestCase {
    private func parse(_ bytes: [UInt8], limits: ContainerLimits = ContainerLimits()) -> ParsedContainer {
        ContainerParser.parse(bytes, format: .png, limits: limits)
    }

    func testChunksOffsetsAndHeader() {
        let text = PNGFixture.tEXt("parameters", latin1: Array("a cat, Steps: 20".utf8))
        let file = PNGFixture.image([text], idat: 2)
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.elements.map(\.name), ["signature", "IHDR", "tEXt", "IDAT", "IDAT", "IEND"])
        XCTAssertEqual(parsed.elements[1], ContainerElement(name: "IHDR", offset: 8, length: 25, payloadOffset: 16, payloadLength: 13))
        XCTAssertEqual(parsed.elements[2].offset, 33)
        XCTAssertEqual(parsed.elements[2].payloadOffset, 41)
        XCTAssertEqual(parsed.elements[2].length, text.count)
        for (a, b) in zip(parsed.elements, parsed.elements.dropFirst()) { XCTAssertEqual(a.offset + a.length, b.offset) }
        XCTAssertEqual(parsed.elements.last?.offset, file.count - 12)
        XCTAssertEqual(parsed.width, 3)
        XCTAssertEqual(parsed.height, 2)
        XCTAssertEqual(parsed.pngBitDepth, 8)
        XCTAssertEqual(parsed.pngColorType, 2)
        XCTAssertEqual(parsed.pngIDATCount, 2)
        XCTAssertEqual(parsed.pngText.first?.keyword, "parameters")
        XCTAssertEqual(parsed.pngText.first?.text, "a cat, Steps: 20")
        XCTAssertEqual(parsed.pngText.first?.offset, 33)
        XCTAssertNil(parsed.trailingDataOffset)
    }

    func testTextChunksAreDecoded() {
        let latin1Text: [UInt8] = [0x63, 0x61, 0x66, 0xE9]  // "café" in ISO-8859-1
        let long = String(repeating: "prompt: a lighthouse at dusk; ", count: 40)
        let file = PNGFixture.image([
            PNGFixture.tEXt("Comment", latin1: latin1Text),
            PNGFixture.zTXt("workflow", Array(long.utf8)),
            PNGFixture.iTXt("Description", "Ärger – ünicode", compressed: false, language: "de", translated: "Beschreibung"),
            PNGFixture.iTXt("prompt", long, compressed: true),
        ])
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        let texts = parsed.pngText
        XCTAssertEqual(texts.map(\.chunk), ["tEXt", "zTXt", "iTXt", "iTXt"])
        XCTAssertEqual(texts[0].text, "café")
        XCTAssertEqual(texts[1].text, long)
        XCTAssertTrue(texts[1].compressed)
        XCTAssertEqual(texts[2].text, "Ärger – ünicode")
        XCTAssertEqual(texts[2].languageTag, "de")
        XCTAssertEqual(texts[2].translatedKeyword, "Beschreibung")
        XCTAssertFalse(texts[2].compressed)
        XCTAssertEqual(texts[3].text, long)
        XCTAssertTrue(texts[3].compressed)
        XCTAssertTrue(texts.allSatisfy(\.isComplete))
        for text in texts {
            XCTAssertEqual(parsed.elements.first { $0.offset == text.offset }?.name, text.chunk)
        }
    }

    func testMetadataChunks() throws {
        let xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"
        let profile = Array((0..<2000).map { UInt8(truncatingIfNeeded: $0 % 17) })
        let tiff = JPEGFixture.tiffHeaderLE
        let jumbf = Bytes.u32be(8) + Bytes.ascii("jumb")
        let file = PNGFixture.image([
            PNGFixture.chunk("iCCP", Bytes.ascii("sRGB") + [0, 0] + Bytes.zlibCompress(profile)),
            PNGFixture.iTXt("XML:com.adobe.xmp", xmp, compressed: false),
            PNGFixture.chunk("eXIf", tiff),
            PNGFixture.chunk("caBX", jumbf),
        ])
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.icc, profile)
        XCTAssertEqual(parsed.xmp, Array(xmp.utf8))
        let xmpOffset = try XCTUnwrap(parsed.xmpOffset)
        XCTAssertEqual(Array(file[xmpOffset..<(xmpOffset + xmp.utf8.count)]), Array(xmp.utf8))
        XCTAssertEqual(parsed.exif, tiff)
        let exifOffset = try XCTUnwrap(parsed.exifOffset)
        XCTAssertEqual(Array(file[exifOffset..<(exifOffset + tiff.count)]), tiff)
        XCTAssertEqual(parsed.jumbf, jumbf)
        XCTAssertEqual(parsed.elements.compactMap(\.identifiedAs), ["ICC", "XMP", "EXIF", "JUMBF"])
    }

    func testBadCRCIsReportedAndTheWalkGoesOn() {
        let file = PNGFixture.signature + PNGFixture.ihdr(width: 1, height: 1)
            + PNGFixture.chunk("tEXt", Bytes.ascii("k\0v"), corruptCRC: true) + PNGFixture.chunk("IDAT", [1]) + PNGFixture.iend
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues.map(\.code), ["bad-crc"])
        XCTAssertEqual(parsed.issues.first?.offset, 33)
        XCTAssertEqual(parsed.elements.map(\.name), ["signature", "IHDR", "tEXt", "IDAT", "IEND"])
        XCTAssertEqual(parsed.pngText.first?.text, "v")
    }

    func testDataAfterIENDIsTrailing() {
        let file = PNGFixture.image() + Bytes.ascii("hidden payload")
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.trailingDataOffset, file.count - 14)
        XCTAssertEqual(parsed.trailingDataLength, 14)
    }

    func testDecompressionBombStopsAtTheChunkLimit() {
        // 9 MiB of zeros deflate to about 9 KiB: within the ratio, past the 8 MiB chunk limit.
        let bomb = [UInt8](repeating: 0, count: 9 << 20)
        let file = PNGFixture.image([PNGFixture.zTXt("bomb", bomb), PNGFixture.tEXt("after", latin1: Array("still read".utf8))])
        XCTAssertLessThan(file.count, 20_000)
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues.map(\.code), ["decompression-limit"])
        XCTAssertEqual(parsed.pngText.count, 2)
        XCTAssertFalse(parsed.pngText[0].isComplete)
        XCTAssertEqual(parsed.pngText[0].text.utf8.count, ContainerLimits().maxDecompressedChunk)
        XCTAssertEqual(parsed.pngText[1].text, "still read")
        XCTAssertEqual(parsed.elements.last?.name, "IEND")
    }

    func testDecompressionRatioAndTotalLimits() {
        var limits = ContainerLimits()
        limits.maxDecompressionRatio = 10
        let text = [UInt8](repeating: 0x61, count: 100_000)
        var parsed = parse(PNGFixture.image([PNGFixture.iTXt("k", String(decoding: text, as: UTF8.self), compressed: true)]), limits: limits)
        XCTAssertEqual(parsed.issues.map(\.code), ["decompression-limit"])
        XCTAssertLessThan(parsed.pngText[0].text.utf8.count, 100_000)

        limits = ContainerLimits()
        limits.maxDecompressedTotal = 150_000
        let chunks = (0..<3).map { _ in PNGFixture.zTXt("k", text) }
        parsed = parse(PNGFixture.image(chunks), limits: limits)
        XCTAssertEqual(parsed.issues.map(\.code), ["decompression-limit", "decompression-limit"])
        XCTAssertEqual(parsed.pngText.map { $0.text.utf8.count }, [100_000, 50_000, 0])
    }

    func testCorruptCompressedTextIsAnIssue() {
        let file = PNGFixture.image([PNGFixture.chunk("zTXt", Bytes.ascii("k") + [0, 0] + [0x78, 0x9C, 0xFF, 0xFF, 0xFF]),
                                     PNGFixture.chunk("zTXt", Bytes.ascii("k") + [0, 0] + Array(Bytes.zlibCompress(Array("abc".utf8)).dropLast(3)))])
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues.map(\.code), ["bad-compression", "bad-compression"])
        XCTAssertEqual(parsed.elements.last?.name, "IEND")
    }

    func testImpossibleLengthsStopTheWalk() {
        let huge = PNGFixture.signature + PNGFixture.ihdr(width: 1, height: 1) + Bytes.u32be(0x8000_0000) + Bytes.ascii("tEXt") + [1, 2, 3]
        XCTAssertEqual(parse(huge).issues.map(\.code), ["bad-length"])
        let past = PNGFixture.signature + PNGFixture.ihdr(width: 1, height: 1) + Bytes.u32be(1000) + Bytes.ascii("tEXt") + [1, 2, 3]
        let parsed = parse(past)
        XCTAssertEqual(parsed.issues.map(\.code), ["truncated"])
        XCTAssertEqual(parsed.width, 1)
        let badType = PNGFixture.signature + PNGFixture.ihdr(width: 1, height: 1) + Bytes.u32be(0) + [0x00, 0x41, 0x42, 0x43] + [0, 0, 0, 0]
        XCTAssertEqual(parse(badType).issues.map(\.code), ["bad-chunk-type"])
    }

    func testEveryPrefixOfAPNGIsSafeAndReported() {
        let file = PNGFixture.image([PNGFixture.tEXt("parameters", latin1: Array("x".utf8)),
                                     PNGFixture.zTXt("z", Array("compressed words".utf8)),
                                     PNGFixture.iTXt("i", "international", compressed: true)])
        XCTAssertEqual(parse(file).issues, [])
        for length in 0..<file.count {
            let parsed = parse(Array(file.prefix(length)))
            XCTAssertFalse(parsed.issues.isEmpty, "prefix of \(length) bytes parsed without an issue")
            for element in parsed.elements { XCTAssertLessThanOrEqual(element.offset + element.length, length) }
        }
    }
}
