import Crypto
import Foundation
import ImprintBytes
import ImprintCase
import ImprintImaging
@testable import ImprintDetectors
import ImprintPipeline
import ImprintTestSupport
import XCTest

/// The C2PA analyzer's findings on the shared corpus and on the fixtures the reference
/// tool made (Tests/ImprintC2PATests/Fixtures, read by path).
final class C2PAAnalyzerTests: XCTestCase {
    private static var fixtures: String {
        SharedCorpus.repositoryRoot.appendingPathComponent("Tests/ImprintC2PATests/Fixtures").path
    }

    private func load(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    private func findings(_ bytes: [UInt8], name: String = "x", analyzer: C2PAAnalyzer = C2PAAnalyzer()) throws -> [Finding] {
        let artifact = Artifact(path: Array(name.utf8), name: Array(name.utf8), bytes: bytes, format: FormatSniffer.sniff(bytes))
        return try analyzer.analyze(artifact)
    }

    private func corpus(_ name: String) throws -> [UInt8] { try load(try SharedCorpus.require("c2pa") + "/" + name) }
    private func fixture(_ name: String) throws -> [UInt8] { try load(Self.fixtures + "/" + name) }

    func testRegisteredWithoutAnchors() {
        let registered = AnalyzerRegistry.all.compactMap { $0 as? C2PAAnalyzer }
        XCTAssertEqual(registered.count, 1)
        XCTAssertEqual(registered.first?.id, "provenance.c2pa")
        XCTAssertEqual(registered.first?.version, "1.1.0")
        XCTAssertEqual(registered.first?.needsPixels, false)
        XCTAssertEqual(registered.first?.parameters["trustAnchorsSHA256"], .null)
    }

    func testPresentOnC() throws {
        let result = try findings(try corpus("C.jpg"))
        XCTAssertEqual(result.map(\.label), ["c2pa.present"])
        let present = try XCTUnwrap(result.first)
        XCTAssertEqual(present.category, .provenance)
        XCTAssertEqual(present.strength, .info)
        XCTAssertEqual(present.details["validationState"]?.stringValue, "valid")
        XCTAssertEqual(present.details["statusCodes"], .array([.string("signingCredential.untrusted")]))
        XCTAssertEqual(present.details["manifestCount"]?.intValue, 1)
        XCTAssertEqual(present.details["algorithm"]?.stringValue, "PS256")
        XCTAssertEqual(present.details["signerOrganization"]?.stringValue, "C2PA Test Signing Cert")
        XCTAssertEqual(present.details["trusted"]?.boolValue, false)
        XCTAssertEqual(present.details["softwareAgents"], .array([.string("Make Test Images 0.33.1")]))
        XCTAssertEqual(present.details["claimGenerator"]?.stringValue, "make_test_images/0.33.1 c2pa-rs/0.33.1")
        XCTAssertEqual(present.location?["offset"]?.intValue, 20)
        XCTAssertEqual(present.location?["length"]?.intValue, 45884)
        XCTAssertTrue(present.summary.contains("untrusted"), present.summary)
    }

    func testInvalidOnXCA() throws {
        let present = try XCTUnwrap(try findings(try corpus("XCA.jpg")).first { $0.label == "c2pa.present" })
        XCTAssertEqual(present.details["validationState"]?.stringValue, "invalid")
        XCTAssertEqual(Set(present.details["statusCodes"]?.arrayValue?.compactMap(\.stringValue) ?? []),
                       ["assertion.dataHash.mismatch", "signingCredential.untrusted"])
        XCTAssertTrue(present.summary.contains("INVALID"), present.summary)
    }

    func testOrphanPointerOnStrippedFile() throws {
        let result = try findings(try corpus("no_manifest.jpg"))
        XCTAssertEqual(result.map(\.label), ["c2pa.orphan-pointer"])
        XCTAssertEqual(result.first?.strength, .moderate)
        XCTAssertTrue(result.first?.summary.contains("stripped") == true)
    }

    func testNothingOnPlainFiles() throws {
        XCTAssertTrue(try findings(try corpus("sample1.png")).isEmpty)
        XCTAssertTrue(try findings(try corpus("IMG_0003.jpg")).isEmpty)
    }

    /// Test-signed AI declaration: evidence of what the tool wrote, not proof (moderate);
    /// with the examiner trusting the signer it becomes strong.
    func testAIGeneratedStrengthFollowsValidityAndTrust() throws {
        let untrusted = try XCTUnwrap(try findings(try fixture("es256-ai-created.png")).first { $0.label == "c2pa.ai-generated" })
        XCTAssertEqual(untrusted.strength, .moderate)
        XCTAssertTrue(untrusted.summary.contains("not proof"), untrusted.summary)
        XCTAssertEqual(untrusted.details["derivedFromIngredient"]?.boolValue, false)

        let pem = try load(try SharedCorpus.require("c2pa") + "/certs/test-root-bundle.pem")
        let analyzer = C2PAAnalyzer(trustAnchorsPEM: pem)
        let all = try findings(try fixture("es256-ai-created.png"), analyzer: analyzer)
        let trusted = try XCTUnwrap(all.first { $0.label == "c2pa.ai-generated" })
        XCTAssertEqual(trusted.strength, .strong)
        XCTAssertEqual(trusted.details["trustListSHA256"]?.stringValue, Hex.encode(SHA256.hash(data: pem)))
        let present = try XCTUnwrap(all.first { $0.label == "c2pa.present" })
        XCTAssertEqual(present.details["trusted"]?.boolValue, true)
        XCTAssertEqual(present.details["testAnchorsLoaded"]?.boolValue, true)
        XCTAssertTrue(present.summary.contains("TEST ANCHORS LOADED"), present.summary)

        // One flipped pixel byte: the manifest no longer binds the file; still reported, weakly.
        var bytes = try fixture("es256-ai-created.png")
        bytes[bytes.count - 20] ^= 0x01  // inside IDAT (the chunks after caBX are IDAT, IEND)
        let invalid = try XCTUnwrap(try findings(bytes).first { $0.label == "c2pa.ai-generated" })
        XCTAssertEqual(invalid.strength, .weak)
        XCTAssertTrue(invalid.summary.contains("INVALID"), invalid.summary)
    }

    func testAIInIngredientAndAIEdit() throws {
        let result = try findings(try fixture("ed25519-edited-from-ai.png"))
        let generated = try XCTUnwrap(result.first { $0.label == "c2pa.ai-generated" })
        XCTAssertEqual(generated.details["derivedFromIngredient"]?.boolValue, true)
        XCTAssertTrue(generated.summary.contains("derived from AI-generated content"), generated.summary)
        let edited = try XCTUnwrap(result.first { $0.label == "c2pa.ai-edited" })
        XCTAssertTrue(edited.summary.contains("compositeWithTrainedAlgorithmicMedia"), edited.summary)
        XCTAssertEqual(edited.strength, .moderate)
    }

    func testWatermarkDeclaredIsInfoOnly() throws {
        let result = try findings(try fixture("es256-capture.webp"))
        XCTAssertEqual(result.map(\.label).sorted(), ["c2pa.present", "c2pa.watermark-declared"])
        let watermark = try XCTUnwrap(result.first { $0.label == "c2pa.watermark-declared" })
        XCTAssertEqual(watermark.strength, .info)
        XCTAssertTrue(watermark.summary.contains("not checkable offline"), watermark.summary)
        XCTAssertTrue(watermark.summary.contains("not evidence that the watermark is absent"), watermark.summary)
        XCTAssertEqual(watermark.details["status"]?.stringValue, "not_checkable_offline")
        let scheme = try XCTUnwrap(watermark.details["schemes"]?.arrayValue?.first)
        XCTAssertEqual(scheme["algorithm"]?.stringValue, "org.imprint.test-watermark")
        XCTAssertEqual(scheme["scheme"]?.stringValue, "unknown")
        XCTAssertEqual(scheme["status"]?.stringValue, "not_checkable_offline")
    }

    func testDeclaredSchemesAreNamed() {
        XCTAssertEqual(DeclaredWatermarkScheme.matching(algorithm: "com.adobe.trustmark.Q")?.scheme, "TrustMark")
        XCTAssertEqual(DeclaredWatermarkScheme.matching(algorithm: "com.google.SynthID.image")?.scheme, "SynthID")
        XCTAssertNil(DeclaredWatermarkScheme.matching(algorithm: "org.example.other"))
        for row in DeclaredWatermarkScheme.table { XCTAssertFalse(row.reason.isEmpty, row.scheme) }
    }

    func testRemoteManifest() throws {
        let result = try findings(try fixture("es256-remote-only.png"))
        XCTAssertEqual(result.map(\.label), ["c2pa.remote-manifest"])
        XCTAssertEqual(result.first?.details["url"]?.stringValue, "https://manifests.example.invalid/imprint-test.c2pa")
        XCTAssertEqual(result.first?.details["statusCodes"], .array([.string("manifest.inaccessible")]))
    }
}
