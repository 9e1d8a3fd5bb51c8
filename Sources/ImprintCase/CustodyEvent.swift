import Crypto
import ImprintBytes

/// One row of the append-only, hash-chained custody log (docs/custody.md).
public struct CustodyEvent: Sendable, Equatable {
    public var seq: Int64
    public var atUTC: String
    public var examiner: String
    public var host: String
    public var toolVersion: String
    /// What happened: `case.created`, `exhibit.registered`, `ingest.started`, …
    public var action: String
    /// What it happened to (an exhibit number, a file, a report path), or "".
    public var subject: String
    /// RFC 8785 canonical JSON text, exactly as hashed.
    public var detailsJSON: String
    /// The previous event's hash in lowercase hex; 64 zeros for seq 1.
    public var prevHash: String
    public var hash: String

    public static let genesisPrevHash = String(repeating: "0", count: 64)

    /// SHA-256(prev_hash ‖ enc(seq) ‖ enc(at_utc) ‖ enc(examiner) ‖ enc(host) ‖
    /// enc(tool_version) ‖ enc(action) ‖ enc(subject) ‖ enc(details_json)), where
    /// prev_hash is the previous event's 32 raw bytes. A `prevHash` that is not 64 hex
    /// digits can only come from tampering; it is then taken as SHA-256 of its text, so a
    /// new event can still be chained (and `verify` names the damaged event).
    public static func computeHash(seq: Int64, atUTC: String, examiner: String, host: String,
                                   toolVersion: String, action: String, subject: String,
                                   detailsJSON: String, prevHash: String) -> String {
        var bytes: [UInt8]
        if let previous = Hex.decode(prevHash), previous.count == 32 {
            bytes = previous
        } else {
            bytes = Array(SHA256.hash(data: Array(prevHash.utf8)))
        }
        CanonicalEncoding.append(seq, to: &bytes)
        for field in [atUTC, examiner, host, toolVersion, action, subject, detailsJSON] {
            CanonicalEncoding.append(field, to: &bytes)
        }
        return Hex.encode(SHA256.hash(data: bytes))
    }

    /// The hash this event's fields call for.
    public var expectedHash: String {
        Self.computeHash(seq: seq, atUTC: atUTC, examiner: examiner, host: host, toolVersion: toolVersion,
                         action: action, subject: subject, detailsJSON: detailsJSON, prevHash: prevHash)
    }

    public var json: JSONValue {
        let details = (try? JSONParser.parse(detailsJSON)) ?? .string(detailsJSON)
        return .object([
            .init("seq", .int(seq)), .init("atUtc", .string(atUTC)), .init("examiner", .string(examiner)),
            .init("host", .string(host)), .init("toolVersion", .string(toolVersion)),
            .init("action", .string(action)), .init("subject", .string(subject)),
            .init("details", details), .init("prevHash", .string(prevHash)), .init("hash", .string(hash)),
        ])
    }
}

/// Who performs the actions a session records: the examiner, the workstation, the build.
public struct Actor: Sendable {
    public var examiner: String
    public var host: String
    public var toolVersion: String

    public init(examiner: String, host: String = HostInfo.hostname(), toolVersion: String = ImprintBuild.toolVersion) {
        self.examiner = examiner
        self.host = host
        self.toolVersion = toolVersion
    }
}
