import XCTest
@testable import ImprintImaging

final class JPEGSegmentsTests: XCTestCase {
    private func parse(_ bytes: [UInt8], limits: ContainerLimits = ContainerLimits()) -> ParsedContainer {
        ContainerParser.parse(bytes, format: .jpeg, limits: limits)
    }

    func testSegmentsHaveExactOffsetsUpToEOI() {
        let app0 = JPEGFixture.app(0, "JFIF\0", [1, 2, 0, 0, 1, 0, 1, 0, 0])
        let file = JPEGFixture.image([app0])
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.elements.map(\.name), ["SOI", "APP0", "DQT", "SOF0", "DHT", "SOS", "EOI"])
        XCTAssertEqual(parsed.elements[0], ContainerElement(name: "SOI", offset: 0, length: 2, payloadOffset: 2, payloadLength: 0))
        XCTAssertEqual(parsed.elements[1], ContainerElement(name: "APP0", identifiedAs: "JFIF", offset: 2, length: app0.count,
                                                            payloadOffset: 6, payloadLength: app0.count - 4))
        // Elements tile the file up to SOS; the scan data sits between SOS and EOI.
        for (a, b) in zip(parsed.elements, parsed.elements.dropFirst()) where a.name != "SOS" {
            XCTAssertEqual(a.offset + a.length, b.offset, "\(a.name) → \(b.name)")
        }
        let sos = parsed.elements[5], eoi = parsed.elements[6]
        XCTAssertEqual(eoi.offset, sos.offset + sos.length + JPEGFixture.scanData.count)
        XCTAssertEqual(eoi.offset, file.count - 2)
        XCTAssertEqual(parsed.width, 16)
        XCTAssertEqual(parsed.height, 8)
        XCTAssertTrue(parsed.hasJFIF)
        XCTAssertEqual(parsed.huffmanTableCount, 1)
        XCTAssertNil(parsed.trailingDataOffset)
        XCTAssertEqual(parsed.trailingDataLength, 0)
    }

    func testDQTIsDeZigzaggedIntoNaturalOrder() {
        // ITU T.81 Figure A.6: the zigzag sequence number of each position, row by row.
        let figureA6 = [
            0, 1, 5, 6, 14, 15, 27, 28,
            2, 4, 7, 13, 16, 26, 29, 42,
            3, 8, 12, 17, 25, 30, 41, 43,
            9, 11, 18, 24, 31, 40, 44, 53,
            10, 19, 23, 32, 39, 45, 52, 54,
            20, 22, 33, 38, 46, 51, 55, 60,
            21, 34, 37, 47, 50, 56, 59, 61,
            35, 36, 48, 49, 57, 58, 62, 63,
        ]
        // Value k+1 stored at zigzag position k must land where Figure A.6 numbers k.
        let file = JPEGFixture.soi + JPEGFixture.dqt(id: 1, zigzag: Array(1...64))
            + JPEGFixture.dqt(id: 2, sixteenBit: true, zigzag: (0..<64).map { 1000 + $0 }) + JPEGFixture.eoi
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.quantizationTables.count, 2)
        let eight = parsed.quantizationTables[0]
        XCTAssertEqual(eight.id, 1)
        XCTAssertEqual(eight.precision, 8)
        XCTAssertEqual(eight.values, figureA6.map { UInt16($0 + 1) })
        XCTAssertEqual(eight.offset, 6)
        let sixteen = parsed.quantizationTables[1]
        XCTAssertEqual(sixteen.precision, 16)
        XCTAssertEqual(sixteen.values, figureA6.map { UInt16(1000 + $0) })
        XCTAssertEqual(JPEGTables.naturalIndex.count, 64)
        XCTAssertEqual(Set(JPEGTables.naturalIndex).count, 64)
    }

    func testFrameHeaderNamesTheProcess() {
        let cases: [(UInt8, String, Bool)] = [(0xC0, "baseline", false), (0xC1, "extended sequential", false),
                                              (0xC2, "progressive", true), (0xC3, "lossless", false),
                                              (0xC6, "differential progressive (hierarchical)", true),
                                              (0xC9, "extended sequential, arithmetic", false),
                                              (0xCA, "progressive, arithmetic", true), (0xCF, "differential lossless, arithmetic (hierarchical)", false)]
        for (marker, process, progressive) in cases {
            let parsed = parse(JPEGFixture.image(width: 640, height: 480, sofMarker: marker))
            let frame = try? XCTUnwrap(parsed.jpegFrame)
            XCTAssertEqual(frame?.marker, "SOF\(marker - 0xC0)")
            XCTAssertEqual(frame?.process, process)
            XCTAssertEqual(frame?.isProgressive, progressive)
            XCTAssertEqual(frame?.width, 640)
            XCTAssertEqual(frame?.height, 480)
            XCTAssertEqual(frame?.components.count, 3)
            XCTAssertEqual(frame?.components.first, JPEGFrame.Component(id: 1, horizontalSampling: 2, verticalSampling: 2, quantizationTable: 0))
        }
    }

    func testAPPSegmentsAreIdentifiedBySignature() throws {
        let tiff = JPEGFixture.tiffHeaderLE
        let iptc: [UInt8] = [0x1C, 0x02, 0x78, 0x00, 0x03, 0x41, 0x42, 0x43]
        // One resource with an odd-length name (no pad) and one IPTC resource with an odd size (padded).
        let irb = Bytes.ascii("8BIM") + Bytes.u16be(0x0425) + [1, 0x41] + Bytes.u32be(2) + [9, 9]
            + Bytes.ascii("8BIM") + Bytes.u16be(0x0404) + [0, 0] + Bytes.u32be(iptc.count) + iptc
        let segments: [[UInt8]] = [
            JPEGFixture.app(0, "JFIF\0", [1, 1, 0, 0, 1, 0, 1, 0, 0]),
            JPEGFixture.app(0, "JFXX\0", [0x10]),
            JPEGFixture.app(1, "Exif\0\0", tiff),
            JPEGFixture.app(1, "http://ns.adobe.com/xap/1.0/\0", Bytes.ascii("<x:xmpmeta/>")),
            JPEGFixture.app(2, "MPF\0", tiff),
            JPEGFixture.segment(0xEB, [0x4A, 0x50, 0, 1, 0, 0, 0, 1] + Bytes.u32be(8) + Bytes.ascii("jumb")),
            JPEGFixture.app(12, "Ducky", [0, 1]),
            JPEGFixture.app(13, "Photoshop 3.0\0", irb),
            JPEGFixture.app(14, "Adobe", [0, 100, 0, 0, 0, 0, 1]),
            JPEGFixture.app(15, "whatever"),
            JPEGFixture.app(1, "Exif\0\0", [0x4D, 0x4D, 0, 0x2A]),  // a second EXIF: not used
        ]
        let file = JPEGFixture.image(segments)
        let parsed = parse(file)
        let apps = parsed.elements.filter { $0.name.hasPrefix("APP") }
        XCTAssertEqual(apps.map(\.identifiedAs), ["JFIF", "JFXX", "EXIF", "XMP", "MPF", "JUMBF", "Ducky", "PhotoshopIRB", "Adobe", nil, "EXIF"])
        XCTAssertEqual(apps.map(\.name), ["APP0", "APP0", "APP1", "APP1", "APP2", "APP11", "APP12", "APP13", "APP14", "APP15", "APP1"])
        XCTAssertTrue(parsed.hasJFIF)
        XCTAssertTrue(parsed.hasAdobe)

        XCTAssertEqual(parsed.exif, tiff)
        let exifOffset = try XCTUnwrap(parsed.exifOffset)
        XCTAssertEqual(Array(file[exifOffset..<(exifOffset + tiff.count)]), tiff)
        XCTAssertEqual(exifOffset, apps[2].payloadOffset + 6)

        XCTAssertEqual(parsed.xmp, Bytes.ascii("<x:xmpmeta/>"))
        XCTAssertEqual(parsed.xmpOffset, apps[3].payloadOffset + 29)

        XCTAssertEqual(parsed.iptc, iptc)
        let iptcOffset = try XCTUnwrap(parsed.iptcOffset)
        XCTAssertEqual(Array(file[iptcOffset..<(iptcOffset + iptc.count)]), iptc)

        XCTAssertEqual(parsed.jumbf, Bytes.u32be(8) + Bytes.ascii("jumb"))
        XCTAssertEqual(parsed.issues.map(\.code), ["duplicate-metadata"])
    }

    func testICCProfileIsReassembledInSequenceOrder() throws {
        let parts: [[UInt8]] = [[1, 2, 3], [4, 5], [6, 7, 8, 9]]
        func iccSegment(_ seq: Int) -> [UInt8] { JPEGFixture.app(2, "ICC_PROFILE\0", [UInt8(seq), 3] + parts[seq - 1]) }
        // Written out of order: 2, 1, 3.
        let file = JPEGFixture.image([iccSegment(2), iccSegment(1), iccSegment(3)])
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.icc, [1, 2, 3, 4, 5, 6, 7, 8, 9])
        XCTAssertEqual(parsed.elements.filter { $0.identifiedAs == "ICC" }.count, 3)
        let offset = try XCTUnwrap(parsed.iccOffset)
        XCTAssertEqual(Array(file[offset..<(offset + 3)]), [1, 2, 3])
    }

    func testICCProfileWithMissingSegmentIsReportedAndKeptPartially() {
        let file = JPEGFixture.image([JPEGFixture.app(2, "ICC_PROFILE\0", [1, 3, 0xAA]), JPEGFixture.app(2, "ICC_PROFILE\0", [3, 3, 0xCC])])
        let parsed = parse(file)
        XCTAssertEqual(parsed.icc, [0xAA, 0xCC])
        XCTAssertEqual(parsed.issues.map(\.code), ["incomplete"])
        XCTAssertTrue(parsed.issues[0].message.contains("2"))
    }

    private func extendedXMPSegment(guid: String, full: [UInt8], offset: Int, count: Int) -> [UInt8] {
        JPEGFixture.app(1, "http://ns.adobe.com/xmp/extension/\0",
                        Bytes.ascii(guid) + Bytes.u32be(full.count) + Bytes.u32be(offset) + Array(full[offset..<(offset + count)]))
    }

    func testExtendedXMPIsReassembledFromTheDeclaredGUIDOnly() {
        let guid = "0123456789ABCDEF0123456789ABCDEF"
        let other = "FEDCBA9876543210FEDCBA9876543210"
        let full = Array((0..<300).map { UInt8(truncatingIfNeeded: $0 * 7) })
        let main = Bytes.ascii("<rdf:Description xmpNote:HasExtendedXMP=\"\(guid)\"/>")
        let decoy = [UInt8](repeating: 0xEE, count: 300)
        let file = JPEGFixture.image([
            JPEGFixture.app(1, "http://ns.adobe.com/xap/1.0/\0", main),
            extendedXMPSegment(guid: other, full: decoy, offset: 0, count: 300),  // another GUID comes first
            extendedXMPSegment(guid: guid, full: full, offset: 200, count: 100),  // out of order
            extendedXMPSegment(guid: guid, full: full, offset: 0, count: 120),
            extendedXMPSegment(guid: guid, full: full, offset: 120, count: 80),
        ])
        let parsed = parse(file)
        XCTAssertEqual(parsed.extendedXMP, full)
        XCTAssertEqual(parsed.xmp, main)
        XCTAssertEqual(parsed.issues.map(\.code), ["extended-xmp-mismatch"])
        XCTAssertEqual(parsed.elements.filter { $0.identifiedAs == "ExtendedXMP" }.count, 4)
    }

    func testExtendedXMPWithoutDeclarationUsesTheFirstGUIDAndReportsGaps() {
        let guid = "0123456789ABCDEF0123456789ABCDEF"
        let full = [UInt8](repeating: 0x41, count: 50)
        let file = JPEGFixture.image([extendedXMPSegment(guid: guid, full: full, offset: 0, count: 20),
                                      extendedXMPSegment(guid: guid, full: full, offset: 30, count: 20)])
        let parsed = parse(file)
        XCTAssertEqual(parsed.extendedXMP, [UInt8](repeating: 0x41, count: 20) + [UInt8](repeating: 0, count: 10) + [UInt8](repeating: 0x41, count: 20))
        XCTAssertEqual(parsed.issues.map(\.code), ["incomplete"])
    }

    func testExtendedXMPChunkPastItsFullLengthIsRejected() {
        let guid = "0123456789ABCDEF0123456789ABCDEF"
        let bad = JPEGFixture.app(1, "http://ns.adobe.com/xmp/extension/\0", Bytes.ascii(guid) + Bytes.u32be(10) + Bytes.u32be(8) + [1, 2, 3, 4])
        let parsed = parse(JPEGFixture.image([bad]))
        XCTAssertEqual(parsed.extendedXMP, [UInt8](repeating: 0, count: 10))
        XCTAssertEqual(parsed.issues.map(\.code), ["bad-length", "incomplete"])
    }

    func testJUMBFPacketsAreReassembledWithoutRepeatedHeaders() {
        let content = Bytes.ascii("....c2pa\0") + [UInt8](repeating: 0x5A, count: 30)
        let boxLength = 8 + content.count
        let header = Bytes.u32be(boxLength) + Bytes.ascii("jumb")
        func packet(_ sequence: Int, _ data: ArraySlice<UInt8>) -> [UInt8] {
            JPEGFixture.segment(0xEB, [0x4A, 0x50, 0x00, 0x01] + Bytes.u32be(sequence) + header + data)
        }
        let file = JPEGFixture.image([packet(2, content[20...]), packet(1, content[..<20])])
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.jumbf, header + content)
        XCTAssertEqual(parsed.elements.filter { $0.identifiedAs == "JUMBF" }.count, 2)
    }

    func testCommentsDecodeUTF8ElseLatin1() {
        let file = JPEGFixture.image([JPEGFixture.segment(0xFE, Array("Grüße".utf8) + [0]),
                                      JPEGFixture.segment(0xFE, [0x63, 0x61, 0x66, 0xE9])])
        let parsed = parse(file)
        XCTAssertEqual(parsed.comments.map(\.text), ["Grüße", "café"])
        XCTAssertEqual(parsed.comments.first?.offset, 2)
    }

    func testProgressiveScansAreAllWalked() {
        let file = JPEGFixture.soi + JPEGFixture.dqt(id: 0, zigzag: Array(1...64)) + JPEGFixture.sof(0xC2, width: 4, height: 4)
            + JPEGFixture.dht() + JPEGFixture.sos() + [0x01, 0xFF, 0x00] + JPEGFixture.dht(classAndID: 0x10)
            + JPEGFixture.sos(components: 1) + [0x02, 0xFF, 0xD3, 0x03] + JPEGFixture.eoi
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.elements.map(\.name), ["SOI", "DQT", "SOF2", "DHT", "SOS", "DHT", "SOS", "EOI"])
        XCTAssertEqual(parsed.huffmanTableCount, 2)
        XCTAssertEqual(parsed.jpegFrame?.isProgressive, true)
    }

    func testDataAfterEOIIsTrailingAndASecondImageIsRecognised() {
        let main = JPEGFixture.image()
        let second = JPEGFixture.image(width: 2, height: 2)
        let parsed = parse(main + second)
        XCTAssertEqual(parsed.issues, [])
        XCTAssertEqual(parsed.elements.last?.name, "EOI")
        XCTAssertEqual(parsed.elements.last?.offset, main.count - 2)
        XCTAssertEqual(parsed.trailingDataOffset, main.count)
        XCTAssertEqual(parsed.trailingDataLength, second.count)
        XCTAssertEqual(parsed.trailingDataFormat, .jpeg)
        XCTAssertEqual(parsed.width, 16)

        let zip = parse(main + Bytes.ascii("PK\u{3}\u{4}rest"))
        XCTAssertEqual(zip.trailingDataLength, 8)
        XCTAssertNil(zip.trailingDataFormat)
    }

    func testACutShortImageFollowedByAnotherKeepsThemApart() {
        let main = JPEGFixture.image()
        let cut = Array(main.dropLast(2))
        let second = JPEGFixture.image(width: 99, height: 99)
        let parsed = parse(cut + second)
        XCTAssertEqual(parsed.issues.map(\.code), ["truncated"])
        XCTAssertEqual(parsed.width, 16)
        XCTAssertEqual(parsed.quantizationTables.count, 1)
        XCTAssertEqual(parsed.trailingDataOffset, cut.count)
        XCTAssertEqual(parsed.trailingDataFormat, .jpeg)
    }

    func testFillBytesAndGarbageBetweenSegments() {
        let file = JPEGFixture.soi + [0xFF, 0xFF] + JPEGFixture.app(1, "junk") + [0x00, 0x11] + JPEGFixture.image().dropFirst(2)
        let parsed = parse(Array(file))
        XCTAssertEqual(parsed.elements[1].name, "APP1")
        XCTAssertEqual(parsed.elements[1].offset, 4)  // the FF right before the code, after two fill bytes
        XCTAssertEqual(parsed.issues.map(\.code), ["unexpected-data"])
        XCTAssertEqual(parsed.elements.last?.name, "EOI")
    }

    func testReservedCodesInScanDataAreDamageNotMarkers() {
        // FF 9F inside the scan (a flipped byte) must not end the scan: its "length" would be image data.
        let file = JPEGFixture.soi + JPEGFixture.sof(width: 4, height: 4) + JPEGFixture.sos()
            + [0x11, 0xFF, 0x9F, 0x00, 0x03, 0xFF, 0x02, 0x22] + JPEGFixture.eoi
        let parsed = parse(file)
        XCTAssertEqual(parsed.issues.map(\.code), ["corrupt-entropy-data"])
        XCTAssertTrue(parsed.issues[0].message.hasPrefix("2 "))
        XCTAssertEqual(parsed.elements.map(\.name), ["SOI", "SOF0", "SOS", "EOI"])
        // Between segments a reserved code is reported and skipped to the next marker.
        let header = JPEGFixture.soi + [0xFF, 0x50, 0x00, 0x04, 0xAA, 0xBB] + JPEGFixture.image().dropFirst(2)
        let resynced = parse(Array(header))
        XCTAssertEqual(resynced.issues.map(\.code), ["unexpected-marker"])
        XCTAssertEqual(resynced.elements.last?.name, "EOI")
        XCTAssertEqual(resynced.width, 16)
    }

    func testTruncatedFileGivesIssueAndPartialResult() throws {
        let file = JPEGFixture.image([JPEGFixture.app(1, "Exif\0\0", JPEGFixture.tiffHeaderLE)])
        let parsed = parse(Array(file.dropLast(2)))
        XCTAssertEqual(parsed.issues.map(\.code), ["truncated"])
        XCTAssertEqual(parsed.width, 16)
        XCTAssertNotNil(parsed.exif)
        XCTAssertEqual(parsed.elements.last?.name, "SOS")
    }

    func testLyingLengthsAreIssuesNotCrashes() {
        let tooShort = JPEGFixture.soi + [0xFF, 0xE1, 0x00, 0x01] + JPEGFixture.eoi
        XCTAssertEqual(parse(tooShort).issues.map(\.code), ["bad-length"])
        let tooLong = JPEGFixture.soi + [0xFF, 0xE1, 0xFF, 0xFF, 1, 2, 3]
        XCTAssertEqual(parse(tooLong).issues.map(\.code), ["truncated"])
        let badDQT = JPEGFixture.soi + JPEGFixture.segment(0xDB, [0x00, 1, 2, 3]) + JPEGFixture.eoi
        XCTAssertEqual(parse(badDQT).issues.map(\.code), ["truncated"])
        let badPrecision = JPEGFixture.soi + JPEGFixture.segment(0xDB, [0x20] + [UInt8](repeating: 1, count: 64)) + JPEGFixture.eoi
        XCTAssertEqual(parse(badPrecision).issues.map(\.code), ["bad-table"])
        XCTAssertEqual(parse([0x00, 0x01]).issues.map(\.code), ["bad-signature"])
        XCTAssertEqual(parse([]).issues.map(\.code), ["truncated"])
    }

    func testElementCapIsHonoured() {
        var limits = ContainerLimits()
        limits.maxElements = 5
        let file = JPEGFixture.image((0..<20).map { _ in JPEGFixture.segment(0xFE, [0x41]) })
        let parsed = parse(file, limits: limits)
        XCTAssertEqual(parsed.elements.count, 5)
        XCTAssertTrue(parsed.issues.contains { $0.code == "too-many-elements" })
    }

    func testEveryPrefixOfAJPEGIsSafeAndReported() {
        let file = JPEGFixture.image([
            JPEGFixture.app(0, "JFIF\0", [1, 1, 0, 0, 1, 0, 1, 0, 0]),
            JPEGFixture.app(1, "Exif\0\0", JPEGFixture.tiffHeaderLE),
            JPEGFixture.app(2, "ICC_PROFILE\0", [1, 1, 9, 9, 9]),
            JPEGFixture.segment(0xFE, Bytes.ascii("comment")),
        ])
        XCTAssertEqual(parse(file).issues, [])
        for length in 0..<file.count {
            let parsed = parse(Array(file.prefix(length)))
            XCTAssertFalse(parsed.issues.isEmpty, "prefix of \(length) bytes parsed without an issue")
            XCTAssertNil(parsed.trailingDataOffset)
            for element in parsed.elements {
                XCTAssertLessThanOrEqual(element.offset + element.length, length)
            }
        }
    }
}
