import XCTest
@testable import ImprintBytes

final class ByteReaderTests: XCTestCase {
    func testReadsIntegersInBothByteOrders() throws {
        var reader = ByteReader([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E])
        XCTAssertEqual(try reader.readUInt16BE(), 0x0102)
        XCTAssertEqual(try reader.readUInt16LE(), 0x0403)
        XCTAssertEqual(try reader.readUInt32BE(), 0x0506_0708)
        XCTAssertEqual(try reader.readUInt32LE(), 0x0C0B_0A09)
        XCTAssertEqual(reader.offset, 12)
        XCTAssertEqual(reader.remaining, 2)
    }

    func testShortInputThrowsWithOffsetInsteadOfTrapping() {
        var reader = ByteReader([0xFF, 0xD8, 0x00])
        XCTAssertNoThrow(try reader.skip(2))
        XCTAssertThrowsError(try reader.readUInt32BE("segment length")) { error in
            XCTAssertEqual(error as? ByteReaderError,
                           .truncated(needed: 4, available: 1, at: 2, what: "segment length"))
            XCTAssertTrue(String(describing: error).contains("offset 2"))
        }
        // A failed read consumes nothing.
        XCTAssertEqual(reader.offset, 2)
    }

    func testLyingAndNegativeLengthsAreRejected() {
        var reader = ByteReader([1, 2, 3])
        XCTAssertThrowsError(try reader.readBytes(-1))
        XCTAssertThrowsError(try reader.readBytes(Int.max))
        XCTAssertThrowsError(try reader.subReader(4))
        XCTAssertEqual(reader.offset, 0)
    }

    func testSubReaderCannotReadPastItsEnd() throws {
        var reader = ByteReader([1, 2, 3, 4, 5, 6])
        try reader.skip(1)
        var sub = try reader.subReader(2)
        XCTAssertEqual(reader.offset, 3)
        XCTAssertEqual(try sub.readUInt8(), 2)
        XCTAssertEqual(try sub.readUInt8(), 3)
        XCTAssertTrue(sub.isAtEnd)
        XCTAssertThrowsError(try sub.readUInt8())
        XCTAssertNil(sub.peekUInt8())
        XCTAssertTrue(reader.hasPrefix([4, 5]))
        XCTAssertFalse(reader.hasPrefix([4, 5, 6, 7]))
    }
}

final class HexAndPathTests: XCTestCase {
    func testHexRoundTripAndRejection() {
        XCTAssertEqual(Hex.encode([0x00, 0xAB, 0xFF]), "00abff")
        XCTAssertEqual(Hex.decode("00ABff"), [0x00, 0xAB, 0xFF])
        XCTAssertNil(Hex.decode("abc"))
        XCTAssertNil(Hex.decode("zz"))
    }

    func testDisplayOfNamesThatAreNotText() {
        XCTAssertEqual(PathBytes.display(Array("DCIM/0007.jpg".utf8)), "DCIM/0007.jpg")
        XCTAssertEqual(PathBytes.display(Array("café/ü.png".utf8)), "café/ü.png")
        XCTAssertEqual(PathBytes.display([0x66, 0xFF, 0x2E, 0x6A]), "f\\xff.j")
        XCTAssertEqual(PathBytes.display(Array("a\nb\\c".utf8)), "a\\nb\\\\c")
        // Overlong encoding and a lone surrogate are not valid UTF-8.
        XCTAssertEqual(PathBytes.display([0xC0, 0xAF]), "\\xc0\\xaf")
        XCTAssertEqual(PathBytes.display([0xED, 0xA0, 0x80]), "\\xed\\xa0\\x80")
    }

    func testDeceptiveCharactersAreShownAsEscapes() {
        // U+202E RIGHT-TO-LEFT OVERRIDE would show "photo\u{202e}gpj.exe" as "photoexe.jpg".
        XCTAssertEqual(PathBytes.display(Array("photo\u{202E}gpj.exe".utf8)), "photo\\u{202e}gpj.exe")
        XCTAssertEqual(PathBytes.display(Array("a\u{85}b".utf8)), "a\\u{85}b")
        XCTAssertEqual(PathBytes.join(Array("/".utf8), Array("x".utf8)), Array("/x".utf8))
    }

    func testDisplayIsUnambiguous() {
        // The literal text "\xff" and the byte 0xFF must not display alike.
        XCTAssertNotEqual(PathBytes.display(Array("\\xff".utf8)), PathBytes.display([0xFF]))
    }
}
