import Foundation
import ImprintBytes
@testable import ImprintProvenance
import XCTest

final class C2PAUnitTests: XCTestCase {
    func testLabelsDropInstanceAndVersionSuffixes() {
        XCTAssertEqual(C2PALabel.base("c2pa.actions.v2"), "c2pa.actions")
        XCTAssertEqual(C2PALabel.base("c2pa.ingredient.v3__2"), "c2pa.ingredient")
        XCTAssertEqual(C2PALabel.base("c2pa.ingredient__1"), "c2pa.ingredient")
        XCTAssertEqual(C2PALabel.base("c2pa.hash.data"), "c2pa.hash.data")
        XCTAssertEqual(C2PALabel.base("c2pa.hash.bmff.v3"), "c2pa.hash.bmff")
        XCTAssertEqual(C2PALabel.version("c2pa.claim.v2"), 2)
        XCTAssertEqual(C2PALabel.version("c2pa.claim"), 1)
    }

    func testURIs() {
        XCTAssertEqual(C2PAURI.absolute("self#jumbf=c2pa.assertions/c2pa.hash.data", manifest: "urn:c2pa:x"),
                       "self#jumbf=/c2pa/urn:c2pa:x/c2pa.assertions/c2pa.hash.data")
        XCTAssertEqual(C2PAURI.manifestLabel(of: "self#jumbf=/c2pa/contentauth:urn:uuid:1/c2pa.claim"), "contentauth:urn:uuid:1")
        XCTAssertNil(C2PAURI.manifestLabel(of: "self#jumbf=c2pa.claim"))
    }

    func testProvenancePointerKinds() {
        XCTAssertEqual(C2PAProvenancePointer("https://cai-manifests.adobe.com/x"), .remote("https://cai-manifests.adobe.com/x"))
        XCTAssertEqual(C2PAProvenancePointer(" self#jumbf=/c2pa/urn:x/c2pa.claim "), .embedded(url: "self#jumbf=/c2pa/urn:x/c2pa.claim", manifest: "urn:x"))
        XCTAssertNil(C2PAProvenancePointer("  "))
    }

    func testDigitalSourceTypes() {
        let iptc = "http://cv.iptc.org/newscodes/digitalsourcetype/"
        XCTAssertTrue(C2PADigitalSourceType.isAIGenerated(iptc + "trainedAlgorithmicMedia"))
        XCTAssertTrue(C2PADigitalSourceType.isAIComposite(iptc + "compositeWithTrainedAlgorithmicMedia"))
        XCTAssertFalse(C2PADigitalSourceType.isAIGenerated(iptc + "algorithmicMedia"))
        XCTAssertEqual(C2PADigitalSourceType.shortName("http://c2pa.org/digitalsourcetype/trainedAlgorithmicData"), "trainedAlgorithmicData")
    }

    /// The decision rule (spec §6): created + trained = generated; trained on another
    /// action, or composite anywhere = modified; ingredient hits are flagged.
    func testAIDecisionRule() {
        let iptc = "http://cv.iptc.org/newscodes/digitalsourcetype/"
        func facts(_ label: String, ingredient: Bool, _ actions: [(String, String?)]) -> C2PAAIDerivation.ManifestFacts {
            C2PAAIDerivation.ManifestFacts(label: label, inIngredient: ingredient,
                                           actions: actions.map { C2PAAction(action: $0.0, digitalSourceType: $0.1.map { iptc + $0 }, manifest: label) },
                                           generatorNames: ["Adobe Photoshop"], softwareAgents: ["Adobe Firefly"], signals: [], softBindings: ["com.adobe.trustmark.Q"])
        }
        let ai = C2PAAIDerivation.derive([
            facts("active", ingredient: false, [("c2pa.edited", "compositeWithTrainedAlgorithmicMedia"), ("c2pa.watermarked", nil)]),
            facts("parent", ingredient: true, [("c2pa.created", "trainedAlgorithmicMedia"), ("c2pa.placed", "trainedAlgorithmicMedia")]),
        ])
        XCTAssertEqual(ai.generated.map(\.manifest), ["parent"])
        XCTAssertTrue(ai.generated.allSatisfy(\.inIngredient))
        XCTAssertEqual(ai.modified.map(\.action), ["c2pa.edited", "c2pa.placed"])
        XCTAssertEqual(ai.supportingSignals, ["Adobe Firefly"])
        XCTAssertEqual(ai.softBindings, ["com.adobe.trustmark.Q"])
        XCTAssertEqual(ai.watermarkedActions, 1)
    }

    func testStatusKinds() {
        XCTAssertEqual(C2PACode.kind(of: "signingCredential.untrusted"), .failure)
        XCTAssertEqual(C2PACode.kind(of: "timeStamp.malformed"), .informational)
        XCTAssertEqual(C2PACode.kind(of: "assertion.dataHash.match"), .success)
        XCTAssertEqual(C2PACode.kind(of: "imprint.c2pa.storeCorrupt"), .failure)
        XCTAssertEqual(C2PACode.kind(of: "imprint.c2pa.bindingNotImplemented"), .informational)
        XCTAssertEqual(C2PAValidator.state([C2PAStatus("signingCredential.untrusted", explanation: "")], incomplete: []), .valid)
        XCTAssertEqual(C2PAValidator.state([C2PAStatus("imprint.c2pa.bindingNotImplemented", explanation: "")],
                                           incomplete: ["c2pa.hash.boxes not verified"]), .incomplete)
        var recorded = C2PAStatus("claimSignature.mismatch", explanation: "")
        recorded.recordedBySigner = true
        XCTAssertEqual(C2PAValidator.state([recorded], incomplete: []), .valid)
    }

    /// A COSE ECDSA signature of the wrong length is a mismatch, not a crash.
    func testWrongLengthECDSASignatureIsAMismatch() throws {
        let bytes = try C2PATestSupport.fixture("es256-ai-created.png")
        let report = try XCTUnwrap(C2PATestSupport.validate(bytes))
        XCTAssertTrue(report.statuses.contains { $0.code == "claimSignature.validated" })
        // Find the 64-byte signature (CBOR bstr header 0x58 0x40 at the end of the COSE array)
        // and shorten the header to 63 bytes: the structure stays CBOR-valid only if the
        // rest is consistent, so the COSE read fails or the verify fails — both mismatches.
        var mutated = bytes
        var found = false
        for index in stride(from: mutated.count - 66, to: 0, by: -1) where mutated[index] == 0x58 && mutated[index + 1] == 0x40 {
            mutated[index + 1] = 0x3F
            found = true
            break
        }
        XCTAssertTrue(found)
        let broken = try XCTUnwrap(C2PATestSupport.validate(mutated))
        XCTAssertFalse(broken.statuses.contains { $0.code == "claimSignature.validated" }, C2PATestSupport.describe(broken))
        XCTAssertEqual(broken.validationState, .invalid)
    }
}
