import Foundation
import XCTest
import ImprintBytes
import ImprintImaging
@testable import ImprintSimilarity

/// The hash value types: bit layout, text and byte forms, parsing, Hamming distance.
final class HashValueTests: XCTestCase {
    /// A deterministic pseudo-random 256-bit hash.
    static func sample(_ seed: UInt64) -> PDQHash {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        return PDQHash(limbs: SIMD4(next(), next(), next(), next()))
    }

    func testPDQBitLayoutAndHexOrder() throws {
        // Bit 0 is coefficient (0, 0): the lowest bit of w0, the last hex digit.
        let low = PDQHash(settingBitsWhere: { $0 == 0 })
        XCTAssertEqual(low.hex, String(repeating: "0", count: 63) + "1")
        XCTAssertEqual(low.word(0), 1)
        // Bit 255 is coefficient (15, 15): the top bit of w15, the first hex digit.
        let high = PDQHash(settingBitsWhere: { $0 == 255 })
        XCTAssertEqual(high.hex, "8" + String(repeating: "0", count: 63))
        XCTAssertEqual(high.word(15), 0x8000)
        // Bit 16·i + j lives in word i at bit j.
        let one = PDQHash(settingBitsWhere: { $0 == 16 * 3 + 5 })
        XCTAssertEqual(one.words, (0..<16).map { $0 == 3 ? UInt16(1 << 5) : 0 })
        XCTAssertTrue(one.bit(53))
        XCTAssertFalse(one.bit(52))
        // Text is w15…w0 as %04x.
        let words: [UInt16] = (0..<16).map { UInt16($0 * 0x1111 & 0xffff) }
        let fromWords = try XCTUnwrap(PDQHash(words: words))
        XCTAssertEqual(fromWords.hex, words.reversed().map { String(format: "%04x", $0) }.joined())
        XCTAssertEqual(fromWords.words, words)
        XCTAssertNil(PDQHash(words: [1, 2, 3]))
    }

    func testPDQTextAndBytesRoundTrip() throws {
        let reference = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
        let hash = try XCTUnwrap(PDQHash(hex: reference))
        XCTAssertEqual(hash.hex, reference)
        XCTAssertEqual(hash.description, reference)
        XCTAssertEqual(PDQHash(hex: reference.uppercased()), hash, "uppercase is accepted and normalised")
        XCTAssertEqual(hash.bytes, Hex.decode(reference))
        XCTAssertEqual(PDQHash(bytes: hash.bytes), hash)
        XCTAssertEqual(hash.setBitCount, 128)
        for seed in 1...50 {
            let sample = Self.sample(UInt64(seed))
            XCTAssertEqual(PDQHash(hex: sample.hex), sample)
            XCTAssertEqual(PDQHash(bytes: sample.bytes), sample)
            XCTAssertEqual(PDQHash(words: sample.words), sample)
        }
        // Anything but exactly 64 hex characters is rejected.
        for bad in ["", String(reference.dropLast()), reference + "0", "g" + reference.dropFirst(),
                    " " + reference.dropFirst(), "0x" + reference.dropFirst(2)] {
            XCTAssertNil(PDQHash(hex: bad), bad)
        }
        XCTAssertNil(PDQHash(bytes: [UInt8](repeating: 0, count: 31)))
        XCTAssertTrue(PDQHash.zero.isZero)
        XCTAssertEqual(PDQHash(hex: String(repeating: "0", count: 64)), .zero)
    }

    func testPDQHammingDistanceIsAMetric() {
        let hashes = (1...20).map { Self.sample(UInt64($0)) }
        for a in hashes {
            XCTAssertEqual(a.distance(to: a), 0)
            XCTAssertEqual(a.distance(to: PDQHash(limbs: ~a.limbs)), 256)
            XCTAssertEqual(a.distance(to: .zero), a.setBitCount)
            for b in hashes {
                XCTAssertEqual(a.distance(to: b), b.distance(to: a))
                XCTAssertEqual(PDQHash.hammingDistance(a, b), (0..<256).filter { a.bit($0) != b.bit($0) }.count)
                for c in hashes.prefix(5) {
                    XCTAssertLessThanOrEqual(a.distance(to: c), a.distance(to: b) + b.distance(to: c))
                }
            }
        }
        let a = hashes[0]
        let flipped = PDQHash(settingBitsWhere: { a.bit($0) != ($0 % 37 == 0) })
        XCTAssertEqual(a.distance(to: flipped), 7, "bits 0, 37, …, 222 flipped")
        XCTAssertEqual(PDQHash.hammingDistance(hex: a.hex, flipped.hex.uppercased()), 7)
        XCTAssertNil(PDQHash.hammingDistance(hex: a.hex, "abc"))
    }

    func testPDQOrderFollowsTheText() {
        let hashes = (1...30).map { Self.sample(UInt64($0)) }
        XCTAssertEqual(hashes.sorted().map(\.hex), hashes.map(\.hex).sorted())
    }

    func testImageHash64FirstElementIsTheMostSignificantBit() throws {
        var bits = [Bool](repeating: false, count: 64)
        bits[0] = true
        XCTAssertEqual(ImageHash64(bits: bits)?.hex, "8000000000000000")
        bits = [Bool](repeating: false, count: 64)
        bits[63] = true
        XCTAssertEqual(ImageHash64(bits: bits)?.hex, "0000000000000001")
        XCTAssertNil(ImageHash64(bits: [true]))

        let hash = try XCTUnwrap(ImageHash64(hex: "aca29c1c33dc23d7"))
        XCTAssertEqual(hash.hex, "aca29c1c33dc23d7")
        XCTAssertEqual(ImageHash64(hex: "ACA29C1C33DC23D7"), hash)
        XCTAssertTrue(hash.bit(0))   // a = 1010
        XCTAssertFalse(hash.bit(1))
        XCTAssertTrue(hash.bit(63))  // 7 = 0111
        XCTAssertEqual(ImageHash64(bits: (0..<64).map(hash.bit)), hash)
        for bad in ["", "aca29c1c33dc23d", "aca29c1c33dc23d7a", "zca29c1c33dc23d7"] {
            XCTAssertNil(ImageHash64(hex: bad), bad)
        }
    }

    func testImageHash64Distance() throws {
        // sharpen-a-lot vs the original, from the corpus table: 4 bits apart.
        let a = try XCTUnwrap(ImageHash64(hex: "aca29c1c33dc23d7"))
        let b = try XCTUnwrap(ImageHash64(hex: "ac229d1c33dc62d7"))
        XCTAssertEqual(a.distance(to: b), 4)
        XCTAssertEqual(ImageHash64.hammingDistance(b, a), 4)
        XCTAssertEqual(a.distance(to: a), 0)
        XCTAssertEqual(a.distance(to: ImageHash64(value: ~a.value)), 64)
        XCTAssertEqual(ImageHash64.hammingDistance(hex: "ffffffffffffffff", "0000000000000000"), 64)
        XCTAssertNil(ImageHash64.hammingDistance(hex: "ff", "00"))
    }

    func testJSONHasExactlyTheFourKeysInOrder() {
        let hashes = PerceptualHashes(pdq: String(repeating: "a", count: 64), pdqQuality: 87,
                                      phash: "0123456789abcdef", dhash: "fedcba9876543210", ahash: "0000000000000000")
        guard case .object(let members) = hashes.json else {
            return XCTFail("json is not an object")
        }
        XCTAssertEqual(members.map(\.key), ["pdq", "pdqQuality", "phash", "dhash"])
        XCTAssertEqual(hashes.json["pdqQuality"]?.intValue, 87)
        XCTAssertEqual(hashes.json["phash"]?.stringValue, "0123456789abcdef")
        XCTAssertEqual(hashes.json.serialized(),
                       #"{"pdq":"\#(String(repeating: "a", count: 64))","pdqQuality":87,"phash":"0123456789abcdef","dhash":"fedcba9876543210"}"#)
        XCTAssertEqual(hashes.pdqHash?.hex, String(repeating: "a", count: 64))
        XCTAssertEqual(hashes.pHash?.hex, "0123456789abcdef")
        XCTAssertEqual(hashes.dHash?.hex, "fedcba9876543210")
    }
}
