import Foundation
import ImprintBytes
import ImprintProvenance
import XCTest

/// Positives in PNG and WebP made by scripts/fixtures/make-c2pa-fixtures.py with the
/// reference tool (c2pa-python) and the c2pa-rs test keys. Fixtures/expected.json holds
/// what the reference reports for each, and for each with one pixel-data byte flipped.
final class C2PAFixtureTests: XCTestCase {
    /// The embedded-manifest fixtures (the remote-only one, which the reference cannot
    /// read offline, is tested on its own).
    private func expected() throws -> [(String, JSONValue)] {
        try allExpected().filter { $0.1["error"] == nil }
    }

    private func allExpected() throws -> [(String, JSONValue)] {
        let json = try JSONParser.parse(try C2PATestSupport.fixture("expected.json"))
        guard case .object(let files)? = json["files"] else { throw XCTSkip("Fixtures/expected.json has no files") }
        return files.map { ($0.key, $0.value) }
    }

    func testFixturesMatchTheReferenceReading() throws {
        let files = try expected()
        XCTAssertEqual(Set(try allExpected().map(\.0)), ["es256-ai-created.png", "ed25519-ai-created.webp", "es256-capture.webp",
                                                        "ed25519-edited-from-ai.png", "es256-remote-only.png",
                                                        "es256-ai-created.gif", "es256-ai-created.tif"])
        for (name, entry) in files {
            let bytes = try C2PATestSupport.fixture(name)
            XCTAssertLessThan(bytes.count, 30 * 1024, name)
            let report = try XCTUnwrap(C2PATestSupport.validate(bytes), name)
            let dump = name + "\n" + C2PATestSupport.describe(report)
            XCTAssertTrue(report.storePresent, dump)
            XCTAssertEqual(report.validationState.rawValue, entry["validation_state"]?.stringValue?.lowercased(), dump)
            XCTAssertEqual(Set(report.failureCodes), Set(entry["status_codes"]?.arrayValue?.compactMap(\.stringValue) ?? []), dump)
            XCTAssertEqual(Int64(report.manifests.count), entry["manifest_count"]?.intValue, dump)
            XCTAssertEqual(report.active?.signature?.algorithm.lowercased(), entry["signature_alg"]?.stringValue?.lowercased(), dump)
            XCTAssertEqual(report.active?.signature?.signerOrganization, entry["signature_issuer"]?.stringValue, dump)
            // Valid and untrusted: test-signed.
            XCTAssertEqual(report.validationState, .valid, dump)
            XCTAssertFalse(report.trusted, dump)
            XCTAssertTrue(report.statuses.contains { $0.code == "assertion.dataHash.match" }, dump)
            XCTAssertTrue(report.statuses.contains { $0.code == "claimSignature.validated" }, dump)
            XCTAssertEqual(report.active?.hardBindingVerified, true, dump)
        }
    }

    func testContainersAndExclusions() throws {
        let png = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.fixture("es256-ai-created.png")))
        XCTAssertEqual(png.container, "PNG caBX")
        XCTAssertEqual(png.carriers.count, 1)
        XCTAssertEqual(png.carriers.first?.length, (png.storeLength ?? 0) + 12, "the caBX exclusion is the whole chunk")
        let webp = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.fixture("ed25519-ai-created.webp")))
        XCTAssertEqual(webp.container, "RIFF C2PA")
        XCTAssertEqual(webp.active?.signature?.algorithm, "Ed25519")
        XCTAssertFalse(png.imprintCodes.contains("imprint.c2pa.exclusionBeyondStore"))
        XCTAssertFalse(webp.imprintCodes.contains("imprint.c2pa.exclusionBeyondStore"))
        let gif = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.fixture("es256-ai-created.gif")))
        XCTAssertEqual(gif.container, "GIF C2PA_GIF")
        XCTAssertFalse(gif.imprintCodes.contains("imprint.c2pa.exclusionBeyondStore"))
        // TIFF: c2pa-rs also excludes the 4-byte value offset of the 0xCD41 IFD entry, which
        // is not part of the store: reported (informational), the manifest stays valid.
        let tiff = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.fixture("es256-ai-created.tif")))
        XCTAssertEqual(tiff.container, "TIFF tag 0xCD41")
        XCTAssertEqual(tiff.imprintCodes, ["imprint.c2pa.exclusionBeyondStore"])
        XCTAssertEqual(tiff.validationState, .valid)
    }

    func testAIIndicators() throws {
        for name in ["es256-ai-created.png", "ed25519-ai-created.webp", "es256-ai-created.gif", "es256-ai-created.tif"] {
            let report = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.fixture(name)))
            XCTAssertTrue(report.ai.isAIGenerated, name)
            XCTAssertFalse(report.ai.isAIModified, name)
            XCTAssertEqual(report.ai.generated.first?.action, "c2pa.created", name)
            XCTAssertEqual(report.ai.generated.first?.inIngredient, false, name)
            XCTAssertEqual(report.ai.generated.first?.softwareAgent, "Imprint Test Generator 1.0", name)
        }
        let capture = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.fixture("es256-capture.webp")))
        XCTAssertFalse(capture.ai.isAIGenerated)
        XCTAssertFalse(capture.ai.isAIModified)
        XCTAssertEqual(capture.ai.digitalSourceTypes, ["digitalCapture"])

        // The edit: AI-generated only through its parent ingredient (whose manifest is in the
        // store and validated without its binding), AI-modified by its own action.
        let edit = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.fixture("ed25519-edited-from-ai.png")))
        XCTAssertTrue(edit.ai.isAIGenerated)
        XCTAssertTrue(edit.ai.generated.allSatisfy(\.inIngredient))
        XCTAssertTrue(edit.ai.isAIModified)
        XCTAssertEqual(edit.ai.modified.first?.digitalSourceType, "compositeWithTrainedAlgorithmicMedia")
        XCTAssertTrue(edit.successCodes.contains("ingredient.manifest.validated"), C2PATestSupport.describe(edit))
        XCTAssertTrue(edit.successCodes.contains("ingredient.claimSignature.validated"), C2PATestSupport.describe(edit))
        XCTAssertEqual(edit.manifests.map(\.role).sorted(), ["active", "ingredient"])
    }

    /// A manifest kept only remotely: the reference refuses to read it offline ("must fetch
    /// remote manifests"); imprint reports manifest.inaccessible and the URL, never fetching.
    func testRemoteOnlyManifest() throws {
        let entry = try XCTUnwrap(try allExpected().first { $0.0 == "es256-remote-only.png" }?.1)
        XCTAssertEqual(entry["error"]?.stringValue, "Remote")
        let report = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.fixture("es256-remote-only.png")))
        XCTAssertFalse(report.storePresent)
        XCTAssertEqual(report.failureCodes, ["manifest.inaccessible"])
        XCTAssertEqual(report.remoteManifestURL, "https://manifests.example.invalid/imprint-test.c2pa")
        XCTAssertEqual(report.validationState, .invalid)
    }

    func testDeclaredWatermark() throws {
        let report = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.fixture("es256-capture.webp")))
        XCTAssertEqual(report.ai.softBindings, ["org.imprint.test-watermark"])
        XCTAssertEqual(report.ai.watermarkedActions, 1)
        XCTAssertEqual(report.validationState, .valid)
    }

    /// One byte of pixel data flipped after signing: the hard binding breaks, exactly as
    /// the reference reported for the same flip.
    func testFlippedPixelByteBreaksTheDataHash() throws {
        for (name, entry) in try expected() where entry["flipped_pixel_byte"] != nil {
            var bytes = try C2PATestSupport.fixture(name)
            let offset = try XCTUnwrap(Self.pixelByteOffset(bytes), name)
            XCTAssertEqual(Int64(offset), entry["flipped_pixel_byte"]?.intValue, "same flip rule as the script")
            bytes[offset] ^= 0x01
            let report = try XCTUnwrap(C2PATestSupport.validate(bytes), name)
            let dump = name + "\n" + C2PATestSupport.describe(report)
            XCTAssertEqual(report.validationState, .invalid, dump)
            XCTAssertEqual(Set(report.failureCodes),
                           Set(entry["flipped_status_codes"]?.arrayValue?.compactMap(\.stringValue) ?? []), dump)
            XCTAssertTrue(report.failureCodes.contains("assertion.dataHash.mismatch"), dump)
            XCTAssertTrue(report.statuses.contains { $0.code == "claimSignature.validated" }, "the signature itself still holds")
        }
    }

    func testTestRootMakesFixturesTrusted() throws {
        let root = try C2PATestSupport.load(try C2PATestSupport.corpus("certs/test-root-bundle.pem"))
        let validator = C2PAValidator(trustAnchorsPEM: root)
        for (name, _) in try expected() {
            let report = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.fixture(name), validator: validator))
            XCTAssertEqual(report.validationState, .valid, name + "\n" + C2PATestSupport.describe(report))
            XCTAssertTrue(report.trusted, name)
            XCTAssertEqual(report.failureCodes, [], name)
        }
    }

    /// The middle byte of the first IDAT (PNG) or VP8L/VP8 (WebP) chunk's data: the same
    /// rule as `pixel_byte_offset` in the fixture script.
    static func pixelByteOffset(_ bytes: [UInt8]) -> Int? {
        func be32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        func le32(_ at: Int) -> Int { Int(bytes[at + 3]) << 24 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 1]) << 8 | Int(bytes[at]) }
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<(at + 4)], as: UTF8.self) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            var position = 8
            while position + 8 <= bytes.count {
                let length = be32(position)
                if tag(position + 4) == "IDAT" { return position + 8 + length / 2 }
                position += 12 + length
            }
        } else if bytes.starts(with: Array("RIFF".utf8)) {
            var position = 12
            while position + 8 <= bytes.count {
                let length = le32(position + 4)
                if ["VP8L", "VP8 "].contains(tag(position)) { return position + 8 + length / 2 }
                position += 8 + length + (length & 1)
            }
        }
        return nil
    }
}
