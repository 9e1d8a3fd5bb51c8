import Crypto
import Foundation
import GRDB
import ImprintBytes

/// What `imprint hashset export` writes (HASH-SETS.md §3, §4, §6).
public enum HashSetExportFormat: String, Sendable, CaseIterable {
    case pdq, md5, sha1, sha256, vics
}

public struct HashSetExportOptions: Sendable, Equatable {
    public var format: HashSetExportFormat
    /// Write evidence paths (opt-in: names can identify victims).
    public var withNames: Bool
    /// PDQ: keep hashes of quality below 50 (flagged by their quality field); default off.
    public var includeLowQuality: Bool

    public init(format: HashSetExportFormat, withNames: Bool = false, includeLowQuality: Bool = false) {
        self.format = format
        self.withNames = withNames
        self.includeLowQuality = includeLowQuality
    }

    var json: JSONValue {
        .object(["format": .string(format.rawValue), "withNames": .bool(withNames),
                 "includeLowQuality": .bool(includeLowQuality)])
    }
}

/// An export's bytes and what was left out.
public struct HashSetExportOutput: Sendable {
    public var bytes: [UInt8]
    public var records: Int
    /// Tagged files with no value of the format (no PDQ, no SHA-1 recorded, unread).
    public var excludedNoValue: Int
    /// PDQ hashes of quality below 50, and all-zero (unhashable) PDQs.
    public var excludedLowQuality: Int
    /// The custody head the export was built at: tags recorded up to this event.
    public var asOfSeq: Int64
    public var sha256: String { Hex.encode(SHA256.hash(data: bytes)) }
}

extension CaseStore {
    public static let vicsExportContext = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media"

    /// Builds the export of the files tagged `tag` as of custody event `asOfSeq` (the
    /// current head when nil). The output depends only on recorded, immutable rows, in a
    /// fixed order, so the same tag state always gives the same bytes (and `verify`
    /// rebuilds it to check the recorded SHA-256).
    public func buildExport(tag: String, options: HashSetExportOptions, asOfSeq: Int64? = nil) throws -> HashSetExportOutput {
        try pool.read { db in
            let head = try asOfSeq ?? Int64.fetchOne(db, sql: "SELECT max(seq) FROM custody_events") ?? 0
            let files = try Self.taggedFiles(db, tag: tag, asOfSeq: head)
            return Self.render(files, options: options, asOfSeq: head)
        }
    }

    static func render(_ files: [TaggedFile], options: HashSetExportOptions, asOfSeq: Int64) -> HashSetExportOutput {
        var out = HashSetExportOutput(bytes: [], records: 0, excludedNoValue: 0, excludedLowQuality: 0, asOfSeq: asOfSeq)
        func name(_ f: TaggedFile) -> String { "\(f.exhibitNumber)/\(f.pathText)" }
        var lines: [String] = []
        switch options.format {
        case .md5, .sha1, .sha256:
            var seen: [String: [String]] = [:]
            for file in files {
                let value: String?
                switch options.format {
                case .md5: value = file.md5
                case .sha1: value = file.sha1
                default: value = file.sha256
                }
                guard let value, let bytes = Hex.decode(value) else { out.excludedNoValue += 1; continue }
                seen[Hex.encode(bytes), default: []].append(name(file))
            }
            for hex in seen.keys.sorted() {
                if options.withNames {
                    // GNU md5sum form; a name holding '\' or a newline is escaped and the line starts with '\'.
                    for n in seen[hex, default: []].sorted() {
                        let escaped = n.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
                        lines.append((escaped == n ? "" : "\\") + "\(hex)  \(escaped)")
                    }
                } else {
                    lines.append(hex)
                }
            }
            out.records = seen.count
        case .pdq:
            var rows: [(String, Int, String)] = []
            var contents = Set<String>()
            // One line per distinct content (the smallest file id names it): copies of one
            // file would only repeat its hash.
            for file in files {
                if let sha = file.sha256, !contents.insert(sha).inserted { continue }
                guard let pdq = file.pdq, let quality = file.pdqQuality, let bytes = Hex.decode(pdq), bytes.count == 32 else {
                    out.excludedNoValue += 1; continue
                }
                if bytes.allSatisfy({ $0 == 0 }) || (quality < 50 && !options.includeLowQuality) {
                    out.excludedLowQuality += 1; continue
                }
                let id = options.withNames ? name(file).replacingOccurrences(of: ",", with: "\\x2c")
                                           : "imprint-f\(file.fileID)"
                rows.append((Hex.encode(bytes), quality, id))
            }
            rows.sort { ($0.0, $0.2) < ($1.0, $1.2) }
            lines = rows.map { "\($0.0),\($0.1),\($0.2)" }
            out.records = rows.count
        case .vics:
            // One media record per distinct content (SHA-256), ordered by MD5 then SHA-256.
            var byContent: [String: TaggedFile] = [:]
            for file in files {
                guard let sha = file.sha256, file.md5 != nil else { out.excludedNoValue += 1; continue }
                if let existing = byContent[sha], existing.taggedAtUTC <= file.taggedAtUTC { continue }
                byContent[sha] = file
            }
            let ordered = byContent.values.sorted { ($0.md5 ?? "", $0.sha256 ?? "") < ($1.md5 ?? "", $1.sha256 ?? "") }
            var text = "{\"@odata.context\":" + JSONValue.string(vicsExportContext).serialized() + ",\"value\":["
            for (index, file) in ordered.enumerated() {
                var members: [JSONValue.Member] = [
                    .init("MediaID", .integer(index + 1)),
                    .init("Category", .null),
                    .init("MD5", .string((file.md5 ?? "").uppercased())),
                    .init("SHA1", file.sha1.map { .string($0.uppercased()) } ?? .null),
                    .init("MediaSize", .int(file.size)),
                    .init("DateUpdated", .string(file.taggedAtUTC)),
                ]
                if options.withNames { members.append(.init("RelativeFilePath", .string(name(file)))) }
                text += (index == 0 ? "\n" : ",\n") + JSONValue.object(members).serialized()
            }
            text += "\n]}\n"
            out.records = ordered.count
            out.bytes = Array(text.utf8)
            return out
        }
        out.bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        return out
    }

    /// Appends the `hashset.exported` event for an export written to `destination`.
    public func recordExport(tag: String, options: HashSetExportOptions, output: HashSetExportOutput,
                             destination: String, actor: Actor) throws -> CustodyEvent {
        try appendCustody(actor: actor, action: "hashset.exported", subject: "tag \(tag)", details: .object([
            "tag": .string(tag),
            "options": options.json,
            "asOfSeq": .int(output.asOfSeq),
            "records": .integer(output.records),
            "excludedNoValue": .integer(output.excludedNoValue),
            "excludedLowQuality": .integer(output.excludedLowQuality),
            "outputSha256": .string(output.sha256),
            "outputBytes": .integer(output.bytes.count),
            "destination": .string(destination),
        ]))
    }
}

extension HashSetExportOptions {
    init?(json: JSONValue?) {
        guard let json, let raw = json["format"]?.stringValue, let format = HashSetExportFormat(rawValue: raw) else { return nil }
        self.init(format: format, withNames: json["withNames"]?.boolValue ?? false,
                  includeLowQuality: json["includeLowQuality"]?.boolValue ?? false)
    }
}
