import Crypto
import XCTest
@testable import ImprintCase
import ImprintBytes

final class CustodyHashTests: XCTestCase {
    /// enc(x) = u32 big-endian length ‖ UTF-8 bytes; written out by hand here so the
    /// test does not reuse the code it checks.
    private func enc(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        let n = UInt32(bytes.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + bytes
    }

    func testEventHashMatchesTheDocumentedFormula() {
        let prev = String(repeating: "ab", count: 32)
        var input: [UInt8] = [UInt8](repeating: 0xAB, count: 32)
        for field in ["7", "2026-03-02T08:15:00.000Z", "A. Examiner", "lab-ws-03", "imprint 0.1.0", "ingest.completed",
                      "EX-1", "{\"a\":1}"] {
            input += enc(field)
        }
        let expected = Hex.encode(SHA256.hash(data: input))
        let computed = CustodyEvent.computeHash(seq: 7, atUTC: "2026-03-02T08:15:00.000Z", examiner: "A. Examiner",
                                                host: "lab-ws-03", toolVersion: "imprint 0.1.0",
                                                action: "ingest.completed", subject: "EX-1", detailsJSON: "{\"a\":1}",
                                                prevHash: prev)
        XCTAssertEqual(computed, expected)
    }

    func testLengthPrefixesPreventFieldBoundaryShifts() {
        let a = CustodyEvent.computeHash(seq: 1, atUTC: "t", examiner: "ab", host: "c", toolVersion: "v", action: "x",
                                         subject: "", detailsJSON: "{}", prevHash: CustodyEvent.genesisPrevHash)
        let b = CustodyEvent.computeHash(seq: 1, atUTC: "t", examiner: "a", host: "bc", toolVersion: "v", action: "x",
                                         subject: "", detailsJSON: "{}", prevHash: CustodyEvent.genesisPrevHash)
        XCTAssertNotEqual(a, b)
    }

    func testTimestampsAreRFC3339UTCWithMilliseconds() {
        XCTAssertEqual(Timestamp.rfc3339(seconds: 0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamp.rfc3339(seconds: 951_782_400, nanoseconds: 123_999_999), "2000-02-29T00:00:00.123Z")
        XCTAssertEqual(Timestamp.rfc3339(seconds: 1_772_439_300), "2026-03-02T08:15:00.000Z")
        XCTAssertEqual(Timestamp.rfc3339(seconds: -1), "1969-12-31T23:59:59.000Z")
        XCTAssertEqual(Timestamp.rfc3339(epochNanoseconds: -1), "1969-12-31T23:59:59.999Z")
        XCTAssertTrue(Timestamp.nowUTC().hasSuffix("Z"))
    }
}

final class MerkleTreeTests: XCTestCase {
    private func sha(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    func testEmptyTreeIsHashOfEmptyString() {
        XCTAssertEqual(Hex.encode(MerkleTree.root([])),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testRFC6962ShapeForThreeLeavesAndSorting() {
        let digest = [UInt8](repeating: 7, count: 32)
        let leaves = ["b", "a", "c"].map { MerkleTree.Leaf(path: Array($0.utf8), size: 10, sha256: digest) }
        // Leaf hash written out: 0x00 ‖ enc(path) ‖ enc("10") ‖ digest.
        func leaf(_ path: String) -> [UInt8] {
            sha([0x00, 0, 0, 0, 1] + Array(path.utf8) + [0, 0, 0, 2] + Array("10".utf8) + digest)
        }
        let expected = sha([0x01] + sha([0x01] + leaf("a") + leaf("b")) + leaf("c"))
        XCTAssertEqual(MerkleTree.root(leaves), expected)
        XCTAssertEqual(MerkleTree.root([leaves[1]]), leaf("a"))
    }

    func testAnyChangeToAnyLeafChangesTheRoot() {
        let base = (0..<9).map { MerkleTree.Leaf(path: Array("f\($0)".utf8), size: Int64($0), sha256: [UInt8](repeating: UInt8($0), count: 32)) }
        let root = MerkleTree.root(base)
        for index in base.indices {
            var changed = base
            changed[index].size += 1
            XCTAssertNotEqual(MerkleTree.root(changed), root)
            changed = base
            changed[index].sha256[31] ^= 1
            XCTAssertNotEqual(MerkleTree.root(changed), root)
        }
        XCTAssertNotEqual(MerkleTree.root(Array(base.dropLast())), root)
    }
}
