import XCTest
import ImprintBytes
@testable import ImprintProvenance

/// The bounded parsers behind the rules, on normal and hostile input.
final class GeneratorParserTests: XCTestCase {
    func testA1111QuotedValuesHashesAndMultilineNegative() throws {
        let text = "a portrait, <lora:detailTweaker:0.5>\r\nof a cat\r\nNegative prompt: blurry,\r\nugly\r\n"
            + #"Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1, Size: 512x768, "#
            + #"Lora hashes: "detailTweaker: e6b9b0c1, other: 1234", Hashes: {"model": "abc", "lora:x": "def"}, Version: v1.9.4"#
        let parsed = try XCTUnwrap(A1111Parameters.parse(text))
        XCTAssertEqual(parsed.prompt, "a portrait, <lora:detailTweaker:0.5>\nof a cat")
        XCTAssertEqual(parsed.negativePrompt, "blurry,\nugly")
        let fields = JSONValue.object(A1111Parameters.fields(parsed))
        XCTAssertEqual(fields["loraHashes"]?.stringValue, "detailTweaker: e6b9b0c1, other: 1234")
        XCTAssertEqual(fields["hashes"]?["model"]?.stringValue, "abc")
        XCTAssertEqual(fields["version"]?.stringValue, "v1.9.4")
        XCTAssertEqual(fields["scheduler"]?.stringValue, "Karras")
        XCTAssertEqual(fields["loras"], .array([.string("detailTweaker")]))
    }

    func testA1111NeedsAStepsLineWithThreePairs() {
        XCTAssertNil(A1111Parameters.parse("just a caption"))
        XCTAssertNil(A1111Parameters.parse("a prompt\nSteps: 20, Sampler: Euler"))
        XCTAssertNil(A1111Parameters.parse(#"{"steps": 20}"#))
        XCTAssertNotNil(A1111Parameters.parse("Steps: 20, Sampler: Euler, Seed: 3"), "an empty prompt is allowed")
        // Hostile: unterminated quotes and braces never trap.
        _ = A1111Parameters.parse("p\nSteps: 1, Sampler: \"unterminated, Seed: {")
        _ = A1111Parameters.parse("p\nSteps: 1, Hashes: {\"a\": \"}, B: 3")
        _ = A1111Parameters.parse(String(repeating: "Steps: ,:,\"\\", count: 10_000))
    }

    func testDreamCommandParsing() throws {
        let fields = JSONValue.object(try XCTUnwrap(DreamCommand.fields(#""a "quoted" word [bad] " -s 30 -S 7 -W 640 -H 480 -C 7.5 -A k_euler -G 0.9"#)))
        XCTAssertEqual(fields["prompt"]?.stringValue, #"a "quoted" word"#)
        XCTAssertEqual(fields["negativePrompt"]?.stringValue, "bad")
        XCTAssertEqual(fields["size"]?.stringValue, "640x480")
        XCTAssertEqual(fields["flags"]?["-G"]?.stringValue, "0.9")
        XCTAssertNil(DreamCommand.fields("not a dream line"))
        XCTAssertNil(DreamCommand.fields(#""prompt" with words -s 3 -S 4"#))
        XCTAssertNil(DreamCommand.fields(#""prompt" -x 1"#), "one unknown flag is not enough")
    }

    func testUserCommentCharsets() {
        XCTAssertEqual(UserCommentText.decode(Array("ASCII\0\0\0hello\0\0".utf8)[...], tiffLittleEndian: true).text, "hello")
        XCTAssertEqual(UserCommentText.decode(([0, 0, 0, 0, 0, 0, 0, 0] + Array("x".utf8))[...], tiffLittleEndian: true).charset, "undefined")
        XCTAssertEqual(UserCommentText.decode(Array("no prefix".utf8)[...], tiffLittleEndian: true).text, "no prefix")
        let odd = UserCommentText.decode((Array("UNICODE\0".utf8) + [0x00, 0x41, 0x00])[...], tiffLittleEndian: false)
        XCTAssertEqual(odd.text, "A", "an odd trailing byte is dropped, never read past")
        XCTAssertEqual(UserCommentText.decode(Array("JIS\0\0\0\0\0".utf8)[...], tiffLittleEndian: true).charset, "JIS (not decoded)")
    }

    func testPythonLiteralAcceptsOnlyLiterals() throws {
        let value = try PythonLiteral.parse(#"{'a': (1, -2.5e3, 'x\'y'), "b": [True, False, None], 3: (), 'c': (4,), 'd': 1_000}"#)
        XCTAssertEqual(value["a"], .array([.int(1), .double(-2500), .string("x'y")]))
        XCTAssertEqual(value["b"], .array([.bool(true), .bool(false), .null]))
        XCTAssertEqual(value["3"], .array([]))
        XCTAssertEqual(value["c"], .array([.int(4)]))
        XCTAssertEqual(value["d"], .int(1000))
        for hostile in ["__import__('os')", "{'a': open('/etc/passwd')}", "{'a': b'bytes'}", "Truex", "{'a': 1", "[1, 2] + [3]",
                        "{'a': lambda: 1}", String(repeating: "[", count: 100) + String(repeating: "]", count: 100)] {
            XCTAssertThrowsError(try PythonLiteral.parse(hostile), hostile)
        }
    }

    func testPickleWalkerRecordsCodeReferencesWithoutCallingThem() throws {
        // os.system('echo') built with STACK_GLOBAL + REDUCE: only recorded.
        let hostile: [UInt8] = [0x80, 0x04, 0x8C, 0x02] + Array("os".utf8) + [0x8C, 0x06] + Array("system".utf8) + [0x93]
            + [0x8C, 0x04] + Array("echo".utf8) + [0x85, 0x52, 0x2E]
        let result = try PickleWalker.walk(hostile)
        defer { PickleWalker.release(result) }
        XCTAssertEqual(result.globals, ["os.system"])
        guard case .opaque(let description) = result.value else { return XCTFail("expected a placeholder") }
        XCTAssertEqual(description, "call of os.system")
    }

    func testPickleWalkerLimits() {
        // Depth: 100 nested lists.
        var deep: [UInt8] = [0x80, 0x04]
        for _ in 0..<100 { deep += [0x5D] }
        for _ in 0..<99 { deep += [0x61] }
        deep += [0x2E]
        XCTAssertThrowsError(try PickleWalker.walk(deep)) { XCTAssertEqual($0 as? PickleWalker.WalkError, .tooDeep) }
        // Operation count.
        let many: [UInt8] = [0x80, 0x04] + [UInt8](repeating: 0x4E, count: 2_000) + [0x2E]
        XCTAssertThrowsError(try PickleWalker.walk(many, limits: .init(maxOps: 1_000))) {
            XCTAssertEqual($0 as? PickleWalker.WalkError, .tooManyOps)
        }
        // Lying lengths, missing STOP, bad memo, underflow: errors, never traps.
        XCTAssertThrowsError(try PickleWalker.walk([0x80, 0x04, 0x58, 0xFF, 0xFF, 0xFF, 0x7F, 0x41]))
        XCTAssertThrowsError(try PickleWalker.walk([0x80, 0x04, 0x4E]))
        XCTAssertThrowsError(try PickleWalker.walk([0x80, 0x04, 0x68, 0x05, 0x2E]))
        XCTAssertThrowsError(try PickleWalker.walk([0x73, 0x2E]))
        // A list that contains itself through the memo is walked and released.
        let cyclic: [UInt8] = [0x80, 0x04, 0x5D, 0x94, 0x68, 0x00, 0x61, 0x2E]
        let result = try? PickleWalker.walk(cyclic)
        XCTAssertNotNil(result)
        if let result { PickleWalker.release(result) }
    }

    func testDeeplyNestedJSONIsRejectedNotFollowed() throws {
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        XCTAssertNil(FieldBounds.parseJSON(deep))
        let big = "{\"prompt\": \"" + String(repeating: "x", count: 200_000) + "\"}"
        let value = try XCTUnwrap(FieldBounds.parseJSON(big))
        XCTAssertLessThan(FieldBounds.clip(value)["prompt"]?.stringValue?.utf8.count ?? .max, 70_000)
    }

    func testEveryRuleNamesAKnownGeneratorAndUniquePrecedenceIsSane() {
        for rule in GeneratorRuleTable.rules {
            XCTAssertNotNil(GeneratorCatalog.names[rule.generator], rule.id)
            XCTAssertGreaterThan(rule.precedence, 0, rule.id)
        }
        XCTAssertGreaterThan(GeneratorRuleTable.rules.count, 40)
    }
}
