import ImprintBytes

/// Case identification, one row (`case_info`).
public struct CaseInfo: Sendable, Equatable {
    public var caseUUID: String
    public var caseNumber: String
    public var title: String?
    public var agency: String?
    public var authorization: String?
    public var examiner: String
    public var createdAtUTC: String
    public var toolVersion: String
}

/// What `imprint case create` is given.
public struct NewCase: Sendable {
    public var caseNumber: String
    public var examiner: String
    public var title: String?
    public var agency: String?
    public var authorization: String?

    public init(caseNumber: String, examiner: String, title: String? = nil, agency: String? = nil, authorization: String? = nil) {
        self.caseNumber = caseNumber
        self.examiner = examiner
        self.title = title
        self.agency = agency
        self.authorization = authorization
    }
}

public struct Exhibit: Sendable, Equatable {
    public var id: Int64
    public var number: String
    /// Absolute path of the evidence root as bytes (names are not necessarily UTF-8).
    public var rootPath: [UInt8]
    public var rootPathText: String
    public var description: String?
    public var registeredAtUTC: String
}

/// The kind of directory entry; only regular files are opened and hashed.
public enum FileKind: String, Sendable, CaseIterable {
    case file, symlink, fifo, socket
    /// Recorded only when a directory could not be listed (with the error).
    case directory
    case charDevice = "char-device"
    case blockDevice = "block-device"
    case unknown
}

/// `lstat` facts about an entry, as observed when it was recorded.
public struct FileStat: Sendable, Equatable {
    public var kind: FileKind
    public var size: Int64
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var inode: UInt64
    public var device: UInt64
    public var nlink: UInt64
    public var mtimeNs: Int64
    public var ctimeNs: Int64
    public var atimeNs: Int64

    public init(kind: FileKind, size: Int64, mode: UInt32, uid: UInt32, gid: UInt32, inode: UInt64, device: UInt64,
                nlink: UInt64, mtimeNs: Int64, ctimeNs: Int64, atimeNs: Int64) {
        self.kind = kind
        self.size = size
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.inode = inode
        self.device = device
        self.nlink = nlink
        self.mtimeNs = mtimeNs
        self.ctimeNs = ctimeNs
        self.atimeNs = atimeNs
    }
}

/// A typed, recorded error: the stage that failed, a stable code, and one clear sentence.
public struct RecordedError: Sendable, Equatable, Error {
    /// `walk`, `read`, `parse`, `decode`, `analyze`, …
    public var stage: String
    public var analyzer: String?
    /// A stable code such as `permission-denied`, `changed-during-read`, `truncated`.
    public var code: String
    public var message: String

    public init(stage: String, analyzer: String? = nil, code: String, message: String) {
        self.stage = stage
        self.analyzer = analyzer
        self.code = code
        self.message = message
    }

    public var json: JSONValue {
        .object(["stage": .string(stage), "analyzer": analyzer.map(JSONValue.string), "code": .string(code),
                 "message": .string(message)])
    }
}

/// One directory entry as imprint observed, read and analysed it: what a `files` row,
/// its `file_errors` and its `findings` record.
public struct ObservedFile: Sendable {
    public var path: [UInt8]
    public var stat: FileStat
    public var linkTarget: [UInt8]?
    public var sha256: String?
    public var md5: String?
    /// SHA-1 of the same bytes (NULL in rows an imprint before schema v6 recorded).
    public var sha1: String? = nil
    public var format: String?
    public var errors: [RecordedError]
    public var findings: [Finding]
    /// Image dimensions as the stream declares them (SOF, IHDR, VP8X, ispe, …).
    public var width: Int?
    public var height: Int?
    /// The normalised metadata record and raw tag list (docs/analyze-json.md).
    public var metadata: JSONValue?
    /// The container structure: elements with offsets, issues, trailing data.
    public var structure: JSONValue?
    /// Perceptual hashes of the decoded pixels (PDQ, pHash, dHash), when decodable.
    public var perceptualHashes: PerceptualHashRecord?

    public init(path: [UInt8], stat: FileStat, linkTarget: [UInt8]? = nil, sha256: String? = nil, md5: String? = nil,
                format: String? = nil, errors: [RecordedError] = [], findings: [Finding] = []) {
        self.path = path
        self.stat = stat
        self.linkTarget = linkTarget
        self.sha256 = sha256
        self.md5 = md5
        self.format = format
        self.errors = errors
        self.findings = findings
    }

    public var pathText: String { PathBytes.display(path) }

    /// `ok` when the content was read and hashed; `error` when a regular file could not
    /// be, or an entry could not even be examined or listed; `not-read` for links and
    /// special files (never opened, by design).
    public var status: String {
        if errors.contains(where: { $0.stage == "walk" }) { return "error" }
        if stat.kind != .file { return "not-read" }
        return sha256 == nil ? "error" : "ok"
    }
}

/// The recorded facts about a file that a re-run compares against what it sees now.
public struct RecordedFile: Sendable, Equatable {
    public var id: Int64
    public var kind: FileKind
    public var size: Int64
    public var mtimeNs: Int64
    public var ctimeNs: Int64
    public var linkTarget: [UInt8]?
    public var sha256: String?
    public var md5: String?
    public var status: String
    /// The most recent evidence change recorded for this file, if any: a re-run compares
    /// with it too, so a lasting change is recorded once, not on every run.
    public var lastChange: ObservedState?

    /// The comparable state of an entry at one observation.
    public struct ObservedState: Sendable, Equatable {
        public var kind: String
        public var size: Int64?
        public var mtimeNs: Int64?
        public var ctimeNs: Int64?
        public var linkTarget: [UInt8]?

        public init(kind: String, size: Int64?, mtimeNs: Int64?, ctimeNs: Int64?, linkTarget: [UInt8]?) {
            self.kind = kind
            self.size = size
            self.mtimeNs = mtimeNs
            self.ctimeNs = ctimeNs
            self.linkTarget = linkTarget
        }
    }
}

/// A recorded file that no longer matches what was recorded (found by a re-run of ingest).
public struct EvidenceChange: Sendable {
    public var fileID: Int64
    public var path: [UInt8]
    /// `content`, `metadata`, `type`, `link-target`, `unreadable`.
    public var kind: String
    /// What the entry is now (`file`, `symlink`, …).
    public var entryKind: FileKind
    public var size: Int64?
    public var mtimeNs: Int64?
    public var ctimeNs: Int64?
    public var sha256: String?
    public var md5: String?
    public var linkTarget: [UInt8]?
    public var description: String

    public init(fileID: Int64, path: [UInt8], kind: String, entryKind: FileKind, size: Int64?, mtimeNs: Int64?,
                ctimeNs: Int64?, sha256: String?, md5: String?, linkTarget: [UInt8]? = nil, description: String) {
        self.fileID = fileID
        self.path = path
        self.kind = kind
        self.entryKind = entryKind
        self.size = size
        self.mtimeNs = mtimeNs
        self.ctimeNs = ctimeNs
        self.sha256 = sha256
        self.md5 = md5
        self.linkTarget = linkTarget
        self.description = description
    }
}

/// An analyzer as a run records it (`run_analyzers`).
public struct AnalyzerDescriptor: Sendable, Equatable {
    public var id: String
    public var version: String
    public var parameters: JSONValue
    public var modelSHA256: String?

    public init(id: String, version: String, parameters: JSONValue = .object([]), modelSHA256: String? = nil) {
        self.id = id
        self.version = version
        self.parameters = parameters
        self.modelSHA256 = modelSHA256
    }

    public var json: JSONValue {
        .object(["id": .string(id), "version": .string(version), "parameters": parameters,
                 "modelSha256": modelSHA256.map(JSONValue.string)])
    }
}

/// Totals over an exhibit's recorded files, and the Merkle root that commits to them.
public struct ExhibitInventory: Sendable, Equatable {
    public var files: Int64
    public var regularFiles: Int64
    public var hashedFiles: Int64
    public var links: Int64
    public var otherEntries: Int64
    public var unreadable: Int64
    public var bytes: Int64
    public var merkleRoot: String
    /// Rows whose stored SHA-256 is not 64 hex digits (only possible by tampering).
    public var malformedRows: [String]

    public var json: JSONValue {
        .object([
            .init("files", .int(files)), .init("regularFiles", .int(regularFiles)),
            .init("hashedFiles", .int(hashedFiles)), .init("links", .int(links)),
            .init("otherEntries", .int(otherEntries)), .init("unreadable", .int(unreadable)),
            .init("bytes", .int(bytes)), .init("merkleRoot", .string(merkleRoot)),
        ])
    }
}

/// The perceptual hashes recorded for a file (docs/similarity.md), as lowercase hex.
public struct PerceptualHashRecord: Sendable, Equatable {
    public var pdq: String
    public var pdqQuality: Int
    public var phash: String
    public var dhash: String
    /// The 7 non-trivial dihedral PDQ variants, in `PDQVariantColumns.names` order (empty: none).
    public var pdqVariants: [String] = []

    public init(pdq: String, pdqQuality: Int, phash: String, dhash: String) {
        self.pdq = pdq
        self.pdqQuality = pdqQuality
        self.phash = phash
        self.dhash = dhash
    }

    public var json: JSONValue {
        .object([.init("pdq", .string(pdq)), .init("pdqQuality", .integer(pdqQuality)), .init("phash", .string(phash)),
                 .init("dhash", .string(dhash))])
    }
}
