import XCTest
@testable import ImprintBytes

final class CBORTests: XCTestCase {
    private func decode(_ hex: String) throws -> CBORItem {
        try CBORDecoder.decode(Hex.decode(hex) ?? [])
    }

    /// RFC 8949 Appendix A examples.
    func testAppendixAExamples() throws {
        XCTAssertEqual(try decode("00").value, .unsigned(0))
        XCTAssertEqual(try decode("1903e8").value, .unsigned(1000))
        XCTAssertEqual(try decode("1bffffffffffffffff").value, .unsigned(.max))
        XCTAssertEqual(try decode("3903e7").integerValue, -1000)
        XCTAssertEqual(try decode("f93c00").value, .float(1.0))
        XCTAssertEqual(try decode("f90001").value, .float(5.960464477539063e-8))
        XCTAssertEqual(try decode("f97bff").value, .float(65504.0))
        XCTAssertEqual(try decode("f9fc00").value, .float(-.infinity))
        XCTAssertEqual(try decode("fa47c35000").value, .float(100000.0))
        XCTAssertEqual(try decode("fb3ff199999999999a").value, .float(1.1))
        XCTAssertEqual(try decode("f4").value, .bool(false))
        XCTAssertEqual(try decode("f6").value, .null)
        XCTAssertEqual(try decode("f0").value, .simple(16))
        XCTAssertEqual(try decode("4401020304").byteString, [1, 2, 3, 4])
        XCTAssertEqual(try decode("62c3bc").text, "ü")
        XCTAssertEqual(try decode("c074323031332d30332d32315432303a30343a30305a").value,
                       .tagged(0, CBORItem(value: .text("2013-03-21T20:04:00Z"), range: 1..<22)))
        XCTAssertEqual(try decode("83010203").array?.compactMap(\.integerValue), [1, 2, 3])
        let map = try decode("a26161016162820203")
        XCTAssertEqual(map["a"]?.integerValue, 1)
        XCTAssertEqual(map["b"]?.array?.count, 2)
    }

    func testIndefiniteLengths() throws {
        XCTAssertEqual(try decode("5f42010243030405ff").byteString, [1, 2, 3, 4, 5])
        XCTAssertEqual(try decode("7f657374726561646d696e67ff").text, "streaming")
        XCTAssertEqual(try decode("9f018202039f0405ffff").array?.count, 3)
        XCTAssertEqual(try decode("bf61610161629f0203ffff")["b"]?.array?.count, 2)
    }

    func testItemsKeepTheirOriginalByteRanges() throws {
        let bytes = Hex.decode("a2616101616283010203") ?? []
        let map = try CBORDecoder.decode(bytes)
        let inner = try XCTUnwrap(map["b"])
        XCTAssertEqual(Array(bytes[inner.range]), [0x83, 1, 2, 3])
        // Re-decoding the original bytes of the sub-item gives the same item.
        XCTAssertEqual(try CBORDecoder.decode(bytes, range: inner.range), inner)
    }

    func testMalformedInputIsRejectedWithAnOffset() {
        for hex in ["", "18", "1c", "5f4101", "5f6161ff", "9f01", "a1", "bf6161ff", "ff", "f818", "62c3", "62fffe",
                    "9b7fffffffffffffff", "5b7fffffffffffffff", "0001", "fc"] {
            XCTAssertThrowsError(try decode(hex), "should reject \(hex)") { error in
                XCTAssertNotNil(error as? CBORError)
            }
        }
    }

    func testDepthAndItemLimits() {
        let deep = [UInt8](repeating: 0x81, count: 100) + [0x00]
        XCTAssertThrowsError(try CBORDecoder.decode(deep)) { XCTAssertTrue(String(describing: $0).contains("deeper")) }
        var limits = CBORDecoder.Limits()
        limits.maxItems = 10
        let many: [UInt8] = [0x98, 20] + [UInt8](repeating: 0, count: 20)
        XCTAssertThrowsError(try CBORDecoder.decode(many, limits: limits))
        XCTAssertNoThrow(try CBORDecoder.decode(many))
    }

    /// Random bytes never trap: every outcome is an item or a CBORError.
    func testRandomInputNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let count = Int.random(in: 0...40, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? CBORDecoder.decode(bytes)
        }
    }
}
