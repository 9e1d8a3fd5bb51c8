import Foundation
import ImprintBytes
import ImprintImaging
@testable import ImprintProvenance
import XCTest

/// Hostile input: random mutations of real stores, lying lengths, broken packet
/// sequences. Nothing may trap; every problem becomes a status.
final class C2PARobustnessTests: XCTestCase {
    private func sources() throws -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        for name in ["es256-ai-created.png", "ed25519-ai-created.webp", "ed25519-edited-from-ai.png"] {
            out.append((name, try C2PATestSupport.fixture(name)))
        }
        if let corpus = try? C2PATestSupport.corpus("C.jpg"), let bytes = try? C2PATestSupport.load(corpus) {
            out.append(("C.jpg", bytes))
        }
        return out
    }

    /// Random byte changes, truncations and length-field lies inside the store region of
    /// real files, through the whole validator (container parse included).
    func testRandomMutationsOfRealStoresNeverTrap() throws {
        var rng = SplitMix64(seed: 0xC2FA)
        var reports = 0
        for (name, original) in try sources() {
            let clean = try XCTUnwrap(C2PATestSupport.validate(original), name)
            let carrier = try XCTUnwrap(clean.carriers.first, name)
            let region = carrier.offset..<min(original.count, carrier.offset + carrier.length)
            for round in 0..<120 {
                var bytes = original
                switch round % 4 {
                case 0:  // a few random bytes anywhere in the store
                    for _ in 0..<Int.random(in: 1...8, using: &rng) {
                        bytes[Int.random(in: region, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                case 1:  // a lying 32-bit length at a random position
                    let at = Int.random(in: region.lowerBound..<(region.upperBound - 4), using: &rng)
                    let lie: [UInt32] = [0, 1, 2, 7, 8, 0xFFFF_FFFF, 0x7FFF_FFFF, UInt32.random(in: 0...0xFFFF, using: &rng)]
                    let value = lie[Int.random(in: 0..<lie.count, using: &rng)]
                    for i in 0..<4 { bytes[at + i] = UInt8((value >> (24 - 8 * UInt32(i))) & 0xFF) }
                case 2:  // truncated inside the store
                    bytes = Array(bytes[0..<Int.random(in: region, using: &rng)])
                default:  // a run of bytes zeroed (boxes collapse, CBOR breaks)
                    let at = Int.random(in: region, using: &rng)
                    for i in at..<min(region.upperBound, at + Int.random(in: 1...64, using: &rng)) { bytes[i] = 0 }
                }
                if let report = C2PATestSupport.validate(bytes) {
                    reports += 1
                    // A mutated store is never reported valid unless the mutation missed
                    // everything that is hashed or signed (e.g. padding).
                    if report.validationState == .valid {
                        XCTAssertTrue(report.statuses.contains { $0.code == "claimSignature.validated" }, name)
                    }
                }
            }
        }
        XCTAssertGreaterThan(reports, 100)
    }

    /// The box and CBOR layers alone, many more rounds (fast, no crypto).
    func testJUMBFAndCBORParsersSurviveMutations() throws {
        var rng = SplitMix64(seed: 0x1B0C)
        let bytes = try C2PATestSupport.fixture("ed25519-edited-from-ai.png")
        let located = try XCTUnwrap(C2PAStoreLocator.locate(bytes: bytes, container: ContainerParser.parse(bytes, format: .png)))
        let store = located.store
        for _ in 0..<3_000 {
            var mutated = store
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                mutated[Int.random(in: 0..<mutated.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { mutated = Array(mutated[0..<Int.random(in: 0..<mutated.count, using: &rng)]) }
            if let parsed = try? C2PAManifestStore.read(mutated) {
                for manifest in parsed.manifests {
                    for box in manifest.assertions + manifest.claims + manifest.signatures {
                        for content in box.children where content.type == "cbor" {
                            _ = try? C2PACBOR.decode(mutated, range: content.payload)
                            _ = try? C2PACOSESign1.read(Array(mutated[content.payload]))
                        }
                    }
                }
            }
        }
    }

    func testHostileBoxes() throws {
        typealias B = JUMBFTestBuilder
        // Deeper than the limit.
        var deep = B.box("cbor", [0xA0])
        for _ in 0..<40 { deep = B.superbox("cbor", label: "x", [deep]) }
        XCTAssertThrowsError(try JUMBFParser.parseStore(B.superbox("c2pa", label: "c2pa", [deep])))
        // LBox 2..7 and a box that overruns its parent.
        XCTAssertThrowsError(try JUMBFParser.parseStore(B.u32(5) + Array("jumb".utf8) + [0, 0, 0]))
        XCTAssertThrowsError(try JUMBFParser.parseStore(B.u32(4096) + Array("jumb".utf8) + [0, 0, 0, 0]))
        // An XLBox claiming more than exists.
        XCTAssertThrowsError(try JUMBFParser.parseStore(B.u32(1) + Array("jumb".utf8) + B.u64(1 << 40)))
        // A description label without its NUL.
        XCTAssertThrowsError(try JUMBFParser.parseStore(B.box("jumb", B.box("jumd", B.uuid("c2pa") + [0x03] + Array("c2pa".utf8)))))
        // A superbox whose first child is not a description.
        XCTAssertThrowsError(try JUMBFParser.parseStore(B.box("jumb", B.box("cbor", [0xA0]))))
        // Not a C2PA store at all, and a store with a wrong label.
        XCTAssertThrowsError(try C2PAManifestStore.read(B.superbox("c2ma", label: "c2pa", [])))
        XCTAssertThrowsError(try C2PAManifestStore.read(B.superbox("c2pa", label: "other", [])))
        // LBox 0: runs to the end of the parent.
        let open = B.u32(0) + Array("jumb".utf8) + B.description("c2pa", label: "c2pa")
        XCTAssertNoThrow(try JUMBFParser.parseStore(open))
    }

    func testStrictClaimCBOR() throws {
        // {"a": 1, "a": 2}: duplicate keys are invalid in C2PA.
        let duplicate: [UInt8] = [0xA2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02]
        XCTAssertThrowsError(try C2PACBOR.decode(duplicate, range: 0..<duplicate.count))
        // Trailing bytes after the item.
        let trailing: [UInt8] = [0xA0, 0x00]
        XCTAssertThrowsError(try C2PACBOR.decode(trailing, range: 0..<trailing.count))
        // An array claiming 2^32 items in 5 bytes.
        let lying: [UInt8] = [0x9A, 0xFF, 0xFF, 0xFF, 0xFF]
        XCTAssertThrowsError(try C2PACBOR.decode(lying, range: 0..<lying.count))
    }

    // MARK: APP11 reassembly (spec §1.1)

    private func cStore() throws -> (store: [UInt8], original: [UInt8]) {
        let original = try C2PATestSupport.load(try C2PATestSupport.corpus("C.jpg"))
        return (JUMBFTestBuilder.storeOfSinglePacketJPEG(original, at: 20), original)
    }

    private func report(_ packets: [[UInt8]]) throws -> C2PAReport {
        try XCTUnwrap(C2PATestSupport.validate(JUMBFTestBuilder.jpeg(segments: packets)))
    }

    func testPacketsReassembleInSequenceOrder() throws {
        let (store, _) = try cStore()
        let packets = JUMBFTestBuilder.packets(store, chunk: 20_000)
        XCTAssertEqual(packets.count, 3)
        // Written out of order: still reassembled by Z, and the signature still verifies.
        let shuffled = try report([packets[2], packets[0], packets[1]])
        XCTAssertFalse(shuffled.imprintCodes.contains("imprint.c2pa.storeCorrupt"), C2PATestSupport.describe(shuffled))
        XCTAssertTrue(shuffled.statuses.contains { $0.code == "claimSignature.validated" }, C2PATestSupport.describe(shuffled))
        XCTAssertEqual(shuffled.storeLength, store.count)
        // The pixels are not C.jpg's, so the binding fails; the exclusion no longer fits the store.
        XCTAssertTrue(shuffled.failureCodes.contains("assertion.dataHash.mismatch"))
        // Exclusions: one carrier per packet, from its FF marker to the segment end.
        XCTAssertEqual(shuffled.carriers.map(\.length), packets.map(\.count))
        XCTAssertEqual(shuffled.carriers.first?.offset, 2 + packets[2].count)
    }

    func testXLBoxContinuationHeaders() throws {
        let (store, _) = try cStore()
        let xl = JUMBFTestBuilder.withXLBox(store)
        let result = try report(JUMBFTestBuilder.packets(xl, chunk: 20_000, xlBox: true))
        XCTAssertFalse(result.imprintCodes.contains("imprint.c2pa.storeCorrupt"), C2PATestSupport.describe(result))
        XCTAssertTrue(result.statuses.contains { $0.code == "claimSignature.validated" }, C2PATestSupport.describe(result))
    }

    func testGapsDuplicatesAndWrongFirstPacket() throws {
        let (store, _) = try cStore()
        let packets = JUMBFTestBuilder.packets(store, chunk: 20_000)
        // A gap, a duplicate, and a renumbered first packet (Z = 2, 3, 4).
        let renumbered = packets.enumerated().map { index, packet in
            var copy = packet
            copy[9] = UInt8(index + 2)  // Z's low byte: FF EB Le(2) "JP" En(2) Z(4)
            return copy
        }
        for broken in [[packets[0], packets[2]], [packets[0], packets[1], packets[1], packets[2]], renumbered] {
            let result = try XCTUnwrap(C2PATestSupport.validate(JUMBFTestBuilder.jpeg(segments: broken)))
            XCTAssertTrue(result.imprintCodes.contains("imprint.c2pa.storeCorrupt"), C2PATestSupport.describe(result))
            XCTAssertEqual(result.validationState, .invalid)
        }
        // Without packet 1 nothing identifies a store (only the first packet carries the label).
        XCTAssertNil(C2PATestSupport.validate(JUMBFTestBuilder.jpeg(segments: [packets[1], packets[2]])))
    }

    func testTwoStoresAreReported() throws {
        let (store, _) = try cStore()
        let first = JUMBFTestBuilder.packets(store, instance: 1, chunk: 60_000)
        let second = JUMBFTestBuilder.packets(store, instance: 2, chunk: 60_000)
        let result = try report(first + second)
        XCTAssertTrue(result.imprintCodes.contains("imprint.c2pa.multipleStores"), C2PATestSupport.describe(result))
        XCTAssertEqual(result.validationState, .invalid)
    }

    func testMalformedDataHashExclusions() throws {
        func assertion(_ exclusions: [(Int, Int)]) -> C2PAAssertion {
            var cbor: [UInt8] = [0xA3] + C2PACBOR.text("exclusions") + C2PACBOR.header(major: 4, UInt64(exclusions.count))
            for (start, length) in exclusions {
                cbor += [0xA2] + C2PACBOR.text("start") + C2PACBOR.header(major: 0, UInt64(start))
                    + C2PACBOR.text("length") + C2PACBOR.header(major: 0, UInt64(length))
            }
            cbor += C2PACBOR.text("alg") + C2PACBOR.text("sha256") + C2PACBOR.text("hash") + C2PACBOR.byteStringHeader(32) + [UInt8](repeating: 0, count: 32)
            let store = JUMBFTestBuilder.superbox("cbor", label: "c2pa.hash.data", [JUMBFTestBuilder.box("cbor", cbor)])
            let box = try? JUMBFParser.parseStore(store)
            return C2PAAssertion.read(box ?? JUMBFBox(type: "jumb", range: 0..<0, headerLength: 8), store: store)
        }
        let file = [UInt8](repeating: 7, count: 100)
        let carriers = [C2PACarrier(element: "test", offset: 10, length: 20)]
        let overlap = C2PADataHash.verify(assertion([(10, 20), (25, 5)]), claimAlg: nil, file: file, carriers: carriers, manifest: "m")
        XCTAssertEqual(overlap.statuses.map(\.code), ["assertion.dataHash.additionalExclusionsPresent", "assertion.dataHash.malformed"])
        let pastEnd = C2PADataHash.verify(assertion([(90, 20)]), claimAlg: nil, file: file, carriers: carriers, manifest: "m")
        XCTAssertEqual(pastEnd.statuses.map(\.code), ["assertion.dataHash.malformed"])
        let beyond = C2PADataHash.verify(assertion([(5, 40)]), claimAlg: nil, file: file, carriers: carriers, manifest: "m")
        XCTAssertEqual(beyond.statuses.map(\.code), ["assertion.dataHash.mismatch", "imprint.c2pa.exclusionBeyondStore"])
    }
}
