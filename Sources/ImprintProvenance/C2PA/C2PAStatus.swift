/// One validation outcome, named the way the reference SDK (c2pa-rs) names it, so an
/// examiner can compare imprint's result line by line with c2patool's or c2pa-python's.
/// Codes imprint adds (no C2PA equivalent) start with `imprint.c2pa.`.
public struct C2PAStatus: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case success, informational, failure
    }

    public var code: String
    public var kind: Kind
    /// The JUMBF URI of what was checked (`self#jumbf=/c2pa/<manifest>/…`), when known.
    public var url: String?
    public var explanation: String
    /// The manifest the outcome belongs to.
    public var manifest: String?
    /// Set when the outcome belongs to an ingredient's manifest: the absolute URI of the
    /// ingredient assertion that links it (c2pa-rs's `ingredientDeltas`).
    public var ingredientURI: String?
    /// True when the ingredient's signer already recorded this same failure in the
    /// ingredient assertion: c2pa-rs then leaves it out of the validation state, and so
    /// does imprint (it is still listed, beside the recorded status).
    public var recordedBySigner = false

    public init(_ code: String, _ kind: Kind? = nil, url: String? = nil, explanation: String,
                manifest: String? = nil, ingredientURI: String? = nil) {
        self.code = code
        self.kind = kind ?? C2PACode.kind(of: code)
        self.url = url
        self.explanation = explanation
        self.manifest = manifest
        self.ingredientURI = ingredientURI
    }

    public var isImprintCode: Bool { code.hasPrefix("imprint.") }
}

/// The status code strings (c2pa-rs `validation_codes`, C2PA 2.x §15) and their kind.
/// The kind is per code, as c2pa-rs reports it: e.g. `timeStamp.untrusted` and
/// `timeStamp.malformed` are informational there, `signingCredential.untrusted` a failure.
public enum C2PACode {
    // success
    public static let claimSignatureValidated = "claimSignature.validated"
    public static let claimSignatureInsideValidity = "claimSignature.insideValidity"
    public static let signingCredentialTrusted = "signingCredential.trusted"
    public static let ocspNotRevoked = "signingCredential.ocsp.notRevoked"
    public static let timeStampValidated = "timeStamp.validated"
    public static let timeStampTrusted = "timeStamp.trusted"
    public static let hashedURIMatch = "assertion.hashedURI.match"
    public static let dataHashMatch = "assertion.dataHash.match"
    public static let boxesHashMatch = "assertion.boxesHash.match"
    public static let bmffHashMatch = "assertion.bmffHash.match"
    public static let collectionHashMatch = "assertion.collectionHash.match"
    public static let ingredientManifestValidated = "ingredient.manifest.validated"
    public static let ingredientClaimSignatureValidated = "ingredient.claimSignature.validated"
    public static let ingredientUnknownProvenance = "ingredient.unknownProvenance"

    // informational
    public static let ocspSkipped = "signingCredential.ocsp.skipped"
    public static let ocspInaccessible = "signingCredential.ocsp.inaccessible"
    public static let ocspUnknown = "signingCredential.ocsp.unknown"
    public static let timeStampMismatch = "timeStamp.mismatch"
    public static let timeStampMalformed = "timeStamp.malformed"
    public static let timeStampOutsideValidity = "timeStamp.outsideValidity"
    public static let timeStampUntrusted = "timeStamp.untrusted"
    public static let manifestUnknownProvenance = "manifest.unknownProvenance"
    public static let manifestUnreferenced = "manifest.unreferenced"
    public static let algorithmDeprecated = "algorithm.deprecated"

    // failure
    public static let claimMalformed = "claim.malformed"
    public static let claimMissing = "claim.missing"
    public static let claimMultiple = "claim.multiple"
    public static let hardBindingsMissing = "claim.hardBindings.missing"
    public static let multipleHardBindings = "assertion.multipleHardBindings"
    public static let claimRequiredMissing = "claim.required.missing"
    public static let claimCBORInvalid = "claim.cbor.invalid"
    public static let ingredientHashedURIMismatch = "ingredient.hashedURI.mismatch"
    public static let ingredientManifestMismatch = "ingredient.manifest.mismatch"
    public static let ingredientManifestMissing = "ingredient.manifest.missing"
    public static let ingredientClaimSignatureMismatch = "ingredient.claimSignature.mismatch"
    public static let ingredientClaimSignatureMissing = "ingredient.claimSignature.missing"
    public static let claimSignatureMissing = "claimSignature.missing"
    public static let claimSignatureMismatch = "claimSignature.mismatch"
    public static let claimSignatureOutsideValidity = "claimSignature.outsideValidity"
    public static let manifestInaccessible = "manifest.inaccessible"
    public static let manifestMultipleParents = "manifest.multipleParents"
    public static let manifestUpdateInvalid = "manifest.update.invalid"
    public static let manifestUpdateWrongParents = "manifest.update.wrongParents"
    public static let manifestCompressedInvalid = "manifest.compressed.invalid"
    public static let signingCredentialUntrusted = "signingCredential.untrusted"
    public static let signingCredentialInvalid = "signingCredential.invalid"
    public static let signingCredentialRevoked = "signingCredential.ocsp.revoked"
    public static let signingCredentialExpired = "signingCredential.expired"
    public static let hashedURIMismatch = "assertion.hashedURI.mismatch"
    public static let assertionMissing = "assertion.missing"
    public static let assertionUndeclared = "assertion.undeclared"
    public static let assertionInaccessible = "assertion.inaccessible"
    public static let assertionRequiredMissing = "assertion.required.missing"
    public static let assertionJSONInvalid = "assertion.json.invalid"
    public static let assertionCBORInvalid = "assertion.cbor.invalid"
    public static let assertionOutsideManifest = "assertion.outsideManifest"
    public static let actionMalformed = "assertion.action.malformed"
    public static let actionIngredientMismatch = "assertion.action.ingredientMismatch"
    public static let dataHashMismatch = "assertion.dataHash.mismatch"
    public static let dataHashMalformed = "assertion.dataHash.malformed"
    public static let bmffHashMismatch = "assertion.bmffHash.mismatch"
    public static let boxesHashMismatch = "assertion.boxesHash.mismatch"
    public static let collectionHashMismatch = "assertion.collectionHash.mismatch"
    public static let algorithmUnsupported = "algorithm.unsupported"
    public static let generalError = "general.error"
    public static let prerelease = "com.adobe.prerelease"

    // imprint's own
    public static let storeCorrupt = "imprint.c2pa.storeCorrupt"
    public static let multipleStores = "imprint.c2pa.multipleStores"
    public static let exclusionBeyondStore = "imprint.c2pa.exclusionBeyondStore"
    public static let bindingNotImplemented = "imprint.c2pa.bindingNotImplemented"
    public static let orphanProvenancePointer = "imprint.c2pa.orphanProvenancePointer"
    public static let unsupportedContainer = "imprint.c2pa.unsupportedContainer"
    public static let provenancePointerMismatch = "imprint.c2pa.provenancePointerMismatch"
    public static let limitExceeded = "imprint.c2pa.limitExceeded"
    public static let certificateUnsupported = "imprint.c2pa.certificateUnsupported"
    public static let claimUnknownKeys = "imprint.c2pa.claimUnknownKeys"
    public static let compressedManifestUnsupported = "imprint.c2pa.compressedManifestUnsupported"
    public static let remoteManifestPointer = "imprint.c2pa.remoteManifestPointer"

    private static let success: Set<String> = [
        claimSignatureValidated, claimSignatureInsideValidity, signingCredentialTrusted, ocspNotRevoked,
        timeStampValidated, timeStampTrusted, hashedURIMatch, dataHashMatch, boxesHashMatch, bmffHashMatch,
        collectionHashMatch, ingredientManifestValidated, ingredientClaimSignatureValidated,
        "assertion.accessible",
    ]
    private static let informational: Set<String> = [
        ocspSkipped, ocspInaccessible, ocspUnknown, timeStampMismatch, timeStampMalformed,
        timeStampOutsideValidity, timeStampUntrusted, manifestUnknownProvenance, manifestUnreferenced,
        algorithmDeprecated, "timeOfSigning.insideValidity", "assertion.dataHash.additionalExclusionsPresent",
        // c2pa-rs lists it among success codes but logs it as informational (CA.jpg).
        ingredientUnknownProvenance,
        // imprint: facts worth reporting that do not make a manifest invalid by themselves.
        exclusionBeyondStore, bindingNotImplemented, orphanProvenancePointer, unsupportedContainer,
        provenancePointerMismatch, claimUnknownKeys, compressedManifestUnsupported, remoteManifestPointer,
    ]

    /// Success, informational or failure, as c2pa-rs classes the code; unknown codes
    /// (and imprint's structural errors) are failures.
    public static func kind(of code: String) -> C2PAStatus.Kind {
        if success.contains(code) { return .success }
        if informational.contains(code) { return .informational }
        return .failure
    }
}
