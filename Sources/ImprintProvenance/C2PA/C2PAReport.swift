import Foundation

/// Everything imprint learned from one file's Content Credentials, offline.
///
/// `validationState` follows c2pa-rs: `invalid` when any failure code other than
/// `signingCredential.untrusted` applies to the active manifest or (unless the ingredient's
/// signer recorded it) to an ingredient; imprint adds `incomplete` for a store whose hard
/// binding it could not check (box/BMFF/collection hashes, compressed manifests), which is
/// never reported as valid.
public struct C2PAReport: Sendable {
    public enum ValidationState: String, Sendable {
        case valid, invalid, incomplete
    }

    /// Whether a manifest store is embedded in the file.
    public var storePresent: Bool
    /// The carrier kind (`JPEG APP11`, `PNG caBX`, …) and the units that hold the store.
    public var container: String?
    public var carriers: [C2PACarrier] = []
    /// File offset of the store's first byte and its (reassembled) length.
    public var storeOffset: Int?
    public var storeLength: Int?
    /// Every manifest in the store, in store order; the last one is the active manifest.
    public var manifests: [C2PAManifestSummary] = []
    public var activeManifest: String?
    /// All outcomes, success, informational and failure, c2pa-rs codes and imprint's own.
    public var statuses: [C2PAStatus] = []
    public var validationState: ValidationState = .invalid
    /// The active manifest's signer chains to an anchor the examiner supplied.
    public var trusted = false
    /// What the manifest says about AI generation or modification (never a verdict).
    public var ai = C2PAAIIndicators()
    /// XMP `dcterms:provenance`, when the file carries one.
    public var provenancePointer: String?
    /// The pointer names a manifest store that is no longer in the file (stripped).
    public var orphanPointer = false
    /// A remote manifest URL (never fetched: imprint is offline).
    public var remoteManifestURL: String?
    /// The anchors and time used, for the report.
    public var trust: C2PATrustSummary

    /// The c2pa-rs failure codes that decide the state (c2pa-rs `validation_status`):
    /// failures of the active manifest and of ingredients not already recorded by their
    /// signer, in first-seen order, without duplicates. imprint codes are excluded.
    public var failureCodes: [String] {
        unique(statuses.filter { $0.kind == .failure && !$0.isImprintCode && !$0.recordedBySigner }.map(\.code))
    }

    public var successCodes: [String] { unique(statuses.filter { $0.kind == .success && !$0.isImprintCode }.map(\.code)) }
    public var informationalCodes: [String] { unique(statuses.filter { $0.kind == .informational && !$0.isImprintCode }.map(\.code)) }
    public var imprintCodes: [String] { unique(statuses.filter(\.isImprintCode).map(\.code)) }

    public var active: C2PAManifestSummary? { manifests.first { $0.label == activeManifest } }

    init(storePresent: Bool, trust: C2PATrustSummary) {
        self.storePresent = storePresent
        self.trust = trust
    }

    private func unique(_ codes: [String]) -> [String] {
        var seen: Set<String> = []
        return codes.filter { seen.insert($0).inserted }
    }
}

/// Which anchors were loaded (the examiner's own PEM bundle, identified by its SHA-256).
public struct C2PATrustSummary: Sendable {
    public var anchorCount: Int
    public var anchorsSHA256: String?
    public var unreadableAnchors: Int
    /// Set when the bundle contains the c2pa-rs test roots (`OU=FOR TESTING_ONLY`): the
    /// report must then say TEST ANCHORS LOADED.
    public var testAnchorsLoaded: Bool
    public var tsaAnchorCount: Int
    public var allowedEKUs: [String]
    /// "now" as used for certificates when no valid time stamp gives the signing time.
    public var validationTime: Date
}

/// One manifest as read (and, when reachable from the active one, validated).
public struct C2PAManifestSummary: Sendable {
    public var label: String
    /// `c2ma` standard, `c2um` update, `c2cm` compressed, `c2md` alternative tag.
    public var kind: String
    public var isActive: Bool
    /// How it is reached: `active`, `ingredient` (via an ingredient link), `unreferenced`.
    public var role: String
    public var claimVersion: Int?
    public var claimGenerator: String?
    public var claimGeneratorInfo: [String] = []
    public var title: String?
    public var format: String?
    public var instanceID: String?
    public var assertionLabels: [String] = []
    public var actions: [C2PAAction] = []
    public var softwareAgents: [String] = []
    public var ingredients: [C2PAIngredient] = []
    public var signature: C2PASignatureSummary?
    /// Which hard binding the manifest declares and whether it was checked.
    public var hardBinding: String?
    public var hardBindingVerified = false
}

/// What the claim signature said and how it held up.
public struct C2PASignatureSummary: Sendable {
    /// `ES256`, `PS256`, `Ed25519`, … or the raw COSE value when unknown.
    public var algorithm: String
    public var signatureValid: Bool
    public var signerSubject: String?
    public var signerIssuer: String?
    /// The subject's organisation (what c2pa-rs calls the signature "issuer").
    public var signerOrganization: String?
    public var signerCommonName: String?
    public var serialNumber: String?
    public var chain: [String] = []
    public var notBefore: Date?
    public var notAfter: Date?
    public var trusted = false
    public var trustAnchor: String?
    public var timeStamp: Date?
    public var timeStampValid = false
    /// `timeStamp` when a valid time stamp gave the signing time, else `now`.
    public var timeBasis: String
    public var ocsp: String?
}

/// An ingredient assertion and what its link to a manifest gave.
public struct C2PAIngredient: Sendable {
    public var assertionURI: String
    public var title: String?
    public var format: String?
    public var relationship: String?
    public var manifest: String?
    /// The statuses the signer recorded in the ingredient assertion, as written.
    public var recordedStatuses: [String] = []
}

/// One action from a `c2pa.actions` assertion.
public struct C2PAAction: Sendable, Equatable {
    public var action: String
    public var when: String?
    public var softwareAgent: String?
    public var digitalSourceType: String?
    public var manifest: String
}

/// AI indicators, per spec §6: what was declared and where, never a verdict.
public struct C2PAAIIndicators: Sendable {
    public struct Hit: Sendable, Equatable {
        public var manifest: String
        public var action: String
        public var digitalSourceType: String
        public var softwareAgent: String?
        /// The manifest is an ingredient's, not the active one.
        public var inIngredient: Bool
    }

    public var generated: [Hit] = []
    public var modified: [Hit] = []
    /// Generator names, Firefly operations and the like (never decisive alone).
    public var supportingSignals: [String] = []
    /// `c2pa.soft-binding` algorithms (watermarks/fingerprints declared, not verified).
    public var softBindings: [String] = []
    public var watermarkedActions: Int = 0
    /// Every digital source type seen, in order (short form, e.g. `algorithmicMedia`).
    public var digitalSourceTypes: [String] = []

    public var isAIGenerated: Bool { !generated.isEmpty }
    public var isAIModified: Bool { !modified.isEmpty }
}
