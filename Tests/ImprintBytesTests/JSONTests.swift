import XCTest
@testable import ImprintBytes

final class JSONCanonicalTests: XCTestCase {
    /// RFC 8785 §3.2.3: members sorted by UTF-16 code units (the RFC's own example).
    func testMemberOrderingFollowsUTF16CodeUnits() {
        let value = JSONValue.object([
            .init("\u{20AC}", .string("Euro Sign")), .init("\r", .string("Carriage Return")),
            .init("\u{FB33}", .string("Hebrew Letter Dalet With Dagesh")), .init("1", .string("One")),
            .init("\u{1F600}", .string("Emoji: Grinning Face")), .init("\u{0080}", .string("Control")),
            .init("\u{00F6}", .string("Latin Small Letter O With Diaeresis")),
        ])
        let keys = ["\r", "1", "\u{0080}", "\u{00F6}", "\u{20AC}", "\u{1F600}", "\u{FB33}"]
        let expected = "{" + keys.map { key -> String in
            var out = ""
            JSONValue.writeString(key, to: &out)
            return out + ":" + (value[key].map { $0.canonical() } ?? "")
        }.joined(separator: ",") + "}"
        XCTAssertEqual(value.canonical(), expected)
    }

    /// RFC 8785 Appendix B number samples (ECMAScript formatting).
    func testNumbersUseECMAScriptFormatting() {
        let samples: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1, "1"), (-1.5, "-1.5"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
            (1e-7, "1e-7"), (0.000001, "0.000001"), (123.456, "123.456"),
            (Double.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
            (333333333.33333329, "333333333.3333333"), (1e23, "1e+23"), (295147905179352825856, "295147905179352830000"),
            (4.50, "4.5"), (2e-3, "0.002"), (0.000001234, "0.000001234"), (1.234e-7, "1.234e-7"),
        ]
        for (value, text) in samples {
            XCTAssertEqual(JSONValue.ecmaScriptNumber(value), text, "formatting \(value)")
        }
        XCTAssertEqual(JSONValue.ecmaScriptNumber(.nan), "null")
    }

    func testStringEscapingIsMinimal() {
        XCTAssertEqual(JSONValue.string("a\"b\\c\n\u{01}/é€").canonical(), "\"a\\\"b\\\\c\\n\\u0001/é€\"")
    }

    func testSerializedKeepsInsertionOrderButCanonicalSorts() {
        let value = JSONValue.object(["b": .int(1), "a": .array([.bool(true), .null])])
        XCTAssertEqual(value.serialized(), "{\"b\":1,\"a\":[true,null]}")
        XCTAssertEqual(value.canonical(), "{\"a\":[true,null],\"b\":1}")
    }
}

final class JSONParserTests: XCTestCase {
    func testRoundTrip() throws {
        let text = "{\"a\":[1,-2.5,true,false,null,\"x\\u00e9\\ud83d\\ude00\"],\"b\":{\"c\":\"\"}}"
        let value = try JSONParser.parse(text)
        XCTAssertEqual(value["a"]?.arrayValue?.count, 6)
        XCTAssertEqual(value["a"]?.arrayValue?[5].stringValue, "xé😀")
        XCTAssertEqual(value["a"]?.arrayValue?[1].doubleValue, -2.5)
        XCTAssertEqual(try JSONParser.parse(value.canonical()), value)
    }

    func testMalformedInputIsAnErrorWithOffset() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "\"unterminated", "tru", "1 2", "{\"a\":\u{01}}", "[01x]", "\"\\q\""] {
            XCTAssertThrowsError(try JSONParser.parse(bad), "should reject \(bad)")
        }
    }

    func testDepthIsBounded() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        XCTAssertThrowsError(try JSONParser.parse(deep)) { error in
            XCTAssertTrue((error as? JSONParseError)?.message.contains("nesting") ?? false)
        }
        XCTAssertNoThrow(try JSONParser.parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)))
    }
}
