import Crypto
import Foundation
import ImprintBytes
import ImprintProvenance
import XCTest

/// Trust comes only from anchors the examiner supplies. The reference files are signed by
/// the c2pa-rs test root: the official C2PA trust list must not trust them, the test root
/// bundle must.
final class C2PATrustTests: XCTestCase {
    private func anchors(_ path: String) throws -> [UInt8] {
        try C2PATestSupport.load(try C2PATestSupport.corpus(path))
    }

    private let signedFiles = ["C.jpg", "CA.jpg", "XCA.jpg"]

    func testOfficialTrustListLeavesTestSignedFilesUntrusted() throws {
        let pem = try anchors("trust/C2PA-TRUST-LIST.pem")
        let validator = C2PAValidator(trustAnchorsPEM: pem)
        XCTAssertGreaterThan(validator.trustSummary.anchorCount, 20, "the C2PA trust list should load")
        XCTAssertFalse(validator.trustSummary.testAnchorsLoaded)
        XCTAssertEqual(validator.trustSummary.anchorsSHA256, Hex.encode(SHA256.hash(data: pem)))
        for name in signedFiles {
            let report = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus(name)), validator: validator))
            XCTAssertTrue(report.failureCodes.contains("signingCredential.untrusted"), name)
            XCTAssertFalse(report.successCodes.contains("signingCredential.trusted"), name)
            XCTAssertFalse(report.trusted, name)
        }
    }

    func testTestRootBundleMakesThemTrusted() throws {
        let validator = C2PAValidator(trustAnchorsPEM: try anchors("certs/test-root-bundle.pem"))
        XCTAssertTrue(validator.trustSummary.testAnchorsLoaded, "the report must say TEST ANCHORS LOADED")
        for name in signedFiles {
            let report = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus(name)), validator: validator))
            let dump = name + "\n" + C2PATestSupport.describe(report)
            XCTAssertTrue(report.successCodes.contains("signingCredential.trusted"), dump)
            XCTAssertFalse(report.failureCodes.contains("signingCredential.untrusted"), dump)
            XCTAssertEqual(report.active?.signature?.trusted, true, dump)
            XCTAssertTrue(report.active?.signature?.trustAnchor?.contains("C2PA Test Root CA") == true, dump)
        }
        // Trusted and valid only where the manifest is valid: XCA's pixels changed.
        let c = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus("C.jpg")), validator: validator))
        XCTAssertEqual(c.validationState, .valid)
        XCTAssertTrue(c.trusted)
        XCTAssertEqual(c.failureCodes, [])
        let xca = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus("XCA.jpg")), validator: validator))
        XCTAssertEqual(xca.validationState, .invalid)
        XCTAssertFalse(xca.trusted)
        XCTAssertEqual(xca.failureCodes, ["assertion.dataHash.mismatch"])
    }

    func testAllowedEKUConfigFile() throws {
        let text = String(decoding: try anchors("trust/allowed-ekus.cfg"), as: UTF8.self)
        let ekus = try C2PAAllowedEKUs(config: text)
        XCTAssertEqual(ekus.oids, ["1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.36", "1.3.6.1.5.5.7.3.8", "1.3.6.1.5.5.7.3.9"])
        XCTAssertThrowsError(try C2PAAllowedEKUs(config: "// comment\nnot-an-oid\n"))
        // A list without emailProtection makes the test signer (EKU emailProtection) invalid.
        let strict = C2PAValidator(trustAnchorsPEM: nil, allowedEKUs: C2PAAllowedEKUs(oids: [C2PAAllowedEKUs.documentSigning]))
        let report = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus("C.jpg")), validator: strict))
        XCTAssertTrue(report.failureCodes.contains("signingCredential.invalid"), C2PATestSupport.describe(report))
        XCTAssertEqual(report.validationState, .invalid)
    }

    /// Certificates are checked at the time-stamp's genTime when it holds, else at "now":
    /// the test chain expires in 2030, so a validation time after that makes it expired —
    /// unless the time stamp (2024) vouches for the signing time.
    func testValidityUsesTheTimeStamp() throws {
        let later = C2PAValidator(trustAnchorsPEM: nil, now: Date(timeIntervalSince1970: 2_000_000_000 + 100_000_000))  // 2036
        let c = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus("C.jpg")), validator: later))
        XCTAssertEqual(c.validationState, .valid, C2PATestSupport.describe(c))
        XCTAssertTrue(c.successCodes.contains("claimSignature.insideValidity"))
        let fixture = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.fixture("es256-ai-created.png"), validator: later))
        XCTAssertTrue(fixture.failureCodes.contains("signingCredential.expired"), C2PATestSupport.describe(fixture))
        XCTAssertEqual(fixture.active?.signature?.timeBasis, "now")
    }
}

extension C2PATrustTests {
    /// TSA anchors are separate from claim-signing anchors. C.jpg's time stamp comes from
    /// DigiCert's general chain (DigiCert Trusted Root G4, cross-signed by Assured ID Root),
    /// which is not on the C2PA TSA list: untrusted, informational, state unchanged.
    func testTSAAnchorsAreOptional() throws {
        let tsa = try anchors("trust/C2PA-TSA-TRUST-LIST.pem")
        let validator = C2PAValidator(trustAnchorsPEM: nil, tsaTrustAnchorsPEM: tsa)
        XCTAssertGreaterThan(validator.trustSummary.tsaAnchorCount, 10)
        let report = try XCTUnwrap(C2PATestSupport.validate(try C2PATestSupport.load(try C2PATestSupport.corpus("C.jpg")), validator: validator))
        XCTAssertTrue(report.successCodes.contains("timeStamp.validated"))
        XCTAssertFalse(report.successCodes.contains("timeStamp.trusted"))
        XCTAssertTrue(report.informationalCodes.contains("timeStamp.untrusted"))
        XCTAssertEqual(report.validationState, .valid)
    }
}
