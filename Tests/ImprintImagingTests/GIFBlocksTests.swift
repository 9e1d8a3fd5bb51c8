import XCTest
@testable import ImprintImaging

final class GIFBlocksTests: XCTestCase {
    private func parse(_ bytes: [UInt8]) -> ParsedContainer { ContainerParser.parse(bytes, format: .gif) }

    func testBlocksExtensionsAndTrailer() throws {
        let packet = "<?xpacket begin=''?><x:xmpmeta xmlns:x='adobe:ns:meta/'>gif</x:xmpmeta><?xpacket end='w'?>"
        let header = GIFFixture.header(width: 300, height: 200, globalTableBits: 2)
        let netscape = GIFFixture.application("NETSCAPE2.0", [1, 0, 0])
        let xmp = GIFFixture.xmp(packet)
        let comment = GIFFixture.comment(String(repeating: "long comment ", count: 30))
        let file = header + netscape + xmp + comment + GIFFixture.graphicControl() + GIFFixture.image(localTableBits: 1)
            + [0x21, 0x01] + GIFFixture.subBlocks([UInt8](repeating: 0, count: 12) + Bytes.ascii("hi")) + [0x3B] + Bytes.ascii("after")
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.elements.map(\.name), ["header", "LogicalScreenDescriptor", "GlobalColorTable", "ApplicationExtension",
                                                     "ApplicationExtension", "CommentExtension", "GraphicControlExtension",
                                                     "ImageDescriptor", "LocalColorTable", "ImageData", "PlainTextExtension", "Trailer"])
        XCTAssertEqual(parsed.elements.compactMap(\.identifiedAs), ["NETSCAPE2.0", "XMP"])
        for (a, b) in zip(parsed.elements, parsed.elements.dropFirst()) { XCTAssertEqual(a.offset + a.length, b.offset, "\(a.name) → \(b.name)") }
        XCTAssertEqual(parsed.elements[2].length, 12)
        XCTAssertEqual(parsed.width, 300)
        XCTAssertEqual(parsed.height, 200)
        XCTAssertEqual(parsed.xmp, Array(packet.utf8))
        let xmpOffset = try XCTUnwrap(parsed.xmpOffset)
        XCTAssertEqual(xmpOffset, header.count + netscape.count + 14)
        XCTAssertEqual(Array(file[xmpOffset..<(xmpOffset + 5)]), Bytes.ascii("<?xpa"))
        XCTAssertEqual(parsed.comments.first?.text, String(repeating: "long comment ", count: 30))
        XCTAssertEqual(parsed.trailingDataLength, 5)
        XCTAssertEqual(parsed.trailingDataOffset, file.count - 5)
    }

    func testXMPWithoutMagicTrailerIsKeptAndReported() {
        let file = GIFFixture.header(width: 1, height: 1, globalTableBits: nil) + [0x21, 0xFF, 11] + Bytes.ascii("XMP DataXMP")
            + GIFFixture.subBlocks(Bytes.ascii("abc")) + [0x3B]
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues.map(\.code), ["bad-xmp-trailer"])
        XCTAssertEqual(parsed.xmp, [3] + Bytes.ascii("abc"))
    }

    func testTruncationAndGarbage() {
        let file = GIFFixture.header(width: 2, height: 2) + GIFFixture.comment("x") + GIFFixture.image() + [0x3B]
        XCTAssertEqual(parse(file).issues, [])
        for length in 0..<file.count {
            let parsed = parse(Array(file.prefix(length)))
            XCTAssertFalse(parsed.issues.isEmpty, "prefix \(length)")
            for element in parsed.elements { XCTAssertLessThanOrEqual(element.offset + element.length, length) }
        }
        let garbage = GIFFixture.header(width: 2, height: 2) + [0x99]
        XCTAssertEqual(parse(garbage).issues.map(\.code), ["unexpected-data"])
    }
}
