import Foundation
import ImprintBytes
import ImprintProvenance
import XCTest

/// Conformance against ../shared/corpus/c2pa: for every file, what imprint reports must
/// equal what the reference implementation (c2pa-rs via c2pa-python 0.38, offline, no trust
/// list) reports in expected.json: presence, validation state and the set of status codes.
final class C2PACorpusConformanceTests: XCTestCase {
    private func expectations() throws -> (dir: String, files: [(String, JSONValue)]) {
        let dir = try C2PATestSupport.corpus("")
        let json = try JSONParser.parse(try C2PATestSupport.load(dir + "expected.json"))
        guard case .object(let members) = json else { throw XCTSkip("expected.json is not an object") }
        return (dir, members.map { ($0.key, $0.value) })
    }

    func testEveryCorpusFileIsCovered() throws {
        let (dir, files) = try expectations()
        let listed = Set(files.map(\.0))
        let present = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: dir + $0, isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue && $0 != "expected.json" && !$0.hasPrefix(".")
        }
        XCTAssertEqual(Set(present), listed, "every corpus file must have an expectation and vice versa")
    }

    func testPresenceStateAndStatusCodesEqualTheReference() throws {
        let (dir, files) = try expectations()
        XCTAssertFalse(files.isEmpty)
        for (name, expected) in files {
            let bytes = try C2PATestSupport.load(dir + name)
            let report = C2PATestSupport.validate(bytes)
            let dump = "\(name):\n" + C2PATestSupport.describe(report)
            let present = expected["present"]?.boolValue ?? false
            XCTAssertEqual(report?.storePresent ?? false, present, dump)
            guard present, let report else { continue }

            let state = expected["validation_state"]?.stringValue?.lowercased()
            XCTAssertEqual(report.validationState.rawValue, state, dump)
            let codes = Set(expected["status_codes"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            XCTAssertEqual(Set(report.failureCodes), codes, dump)
            if let count = expected["manifest_count"]?.intValue {
                XCTAssertEqual(Int64(report.manifests.count), count, dump)
            }
            let signature = report.active?.signature
            if let alg = expected["signature_alg"]?.stringValue {
                XCTAssertEqual(signature?.algorithm.lowercased(), alg.lowercased(), dump)
            }
            if let issuer = expected["signature_issuer"]?.stringValue {
                // c2pa-rs's "issuer" is the organisation of the signing certificate's subject.
                XCTAssertEqual(signature?.signerOrganization, issuer, dump)
            }
            if let types = expected["digital_source_types"]?.arrayValue?.compactMap(\.stringValue) {
                XCTAssertEqual(report.ai.digitalSourceTypes, types, dump)
            }
            if let agents = expected["software_agents"]?.arrayValue?.compactMap(\.stringValue) {
                XCTAssertEqual(report.manifests.flatMap(\.softwareAgents), agents, dump)
            }
        }
    }

    /// The spec's confirmed facts about the carriers (spec §1.1).
    func testAPP11ExclusionsAndPackets() throws {
        let c = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus("C.jpg"))))
        XCTAssertEqual(c.carriers, [C2PACarrier(element: "APP11", offset: 20, length: 45884)])
        let ca = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus("CA.jpg"))))
        XCTAssertEqual(ca.carriers.count, 2)
        XCTAssertEqual(ca.carriers.last?.offset, 64032)
        XCTAssertEqual(ca.storeLength, 117241)
        XCTAssertTrue(ca.statuses.contains { $0.code == "assertion.dataHash.match" })
    }

    /// XCA.jpg: the pixels changed after signing, the signature itself still holds.
    func testReembeddedStoreKeepsItsSignature() throws {
        let report = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus("XCA.jpg"))))
        XCTAssertEqual(report.active?.signature?.signatureValid, true)
        XCTAssertTrue(report.statuses.contains { $0.code == "claimSignature.validated" })
        XCTAssertEqual(report.validationState, .invalid)
    }

    /// C.jpg: PS256 with two certificates, a DigiCert time stamp gives the signing time;
    /// algorithmicMedia is synthetic but not AI.
    func testSignatureTimeStampAndAIClassOfC() throws {
        let report = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus("C.jpg"))))
        let signature = try XCTUnwrap(report.active?.signature)
        XCTAssertEqual(signature.algorithm, "PS256")
        XCTAssertEqual(signature.chain.count, 2)
        XCTAssertEqual(signature.timeBasis, "timeStamp")
        XCTAssertEqual(signature.timeStamp, Date(timeIntervalSince1970: 1_722_981_217))  // 2024-08-06T21:53:37Z
        XCTAssertTrue(report.statuses.contains { $0.code == "timeStamp.validated" })
        XCTAssertFalse(report.ai.isAIGenerated)
        XCTAssertFalse(report.ai.isAIModified)
        XCTAssertEqual(report.ai.digitalSourceTypes, ["algorithmicMedia"])
    }

    func testStrippedManifestLeavesAnOrphanPointer() throws {
        let report = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus("no_manifest.jpg"))))
        XCTAssertFalse(report.storePresent)
        XCTAssertTrue(report.orphanPointer)
        XCTAssertEqual(report.imprintCodes, ["imprint.c2pa.orphanProvenancePointer"])
        XCTAssertTrue(report.provenancePointer?.hasPrefix("self#jumbf=/c2pa/") == true)
    }
}
