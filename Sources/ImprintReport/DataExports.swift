import ImprintBytes
import ImprintCase

/// The machine-readable exports: `report.json` (everything the report states, for
/// scripts) and `files.csv` / `findings.csv` (for spreadsheets). Same order as the
/// report, so the same case gives the same bytes.
public enum DataExports {
    public static let formatVersion = 1

    public static func json(_ model: ReportModel) -> String {
        let files = model.filesByID
        let counts = model.summary
        var summary: [JSONValue.Member] = [
            .init("filesRecorded", .integer(counts.filesRecorded)),
            .init("bytesRecorded", .int(counts.bytesRecorded)),
            .init("filesWithFindings", .integer(counts.filesWithFindings)),
            .init("findings", .integer(model.findings.count)),
        ]
        for line in counts.lines {
            summary.append(.init(line.key, .object(["files": .integer(line.count.files), "findings": .integer(line.count.findings)])))
        }
        summary += [.init("clusters", .integer(counts.clusters)), .init("clusteredFiles", .integer(counts.clusteredFiles)),
                    .init("filesWithErrors", .integer(counts.filesWithErrors)), .init("errors", .integer(counts.errors))]
        var members: [JSONValue.Member] = [
            .init("format", .string("imprint-report")),
            .init("formatVersion", .integer(formatVersion)),
            .init("reportId", .string(model.reportID)),
            .init("generatedAtUtc", .string(model.generatedAtUTC)),
            .init("examiner", .string(model.examiner)),
        ]
        members.append(.init("case", caseJSON(model.caseInfo)))
        members.append(.init("tool", toolJSON(model.tool)))
        members.append(.init("analyzers", .array(model.analyzers.map(analyzerJSON))))
        members.append(.init("trustLists", .array(model.trustLists.map(trustListJSON))))
        members.append(.init("hashSets", .array(model.hashSets.map(hashSetJSON))))
        members.append(.init("summary", .object(summary)))
        members.append(.init("verification", verificationJSON(model.verification)))
        members.append(.init("imageHandling", imageHandlingJSON(model.imageHandling)))
        members.append(.init("exhibits", .array(model.exhibits.map(exhibitJSON))))
        members.append(.init("files", .array(model.files.map(fileJSON))))
        var findings: [JSONValue] = []
        for row in model.findings {
            let file = files[row.fileID]
            var item: [JSONValue.Member] = [.init("findingId", .int(row.id)), .init("fileId", .int(row.fileID)),
                                            .init("exhibit", .string(file?.exhibitNumber ?? "")),
                                            .init("sha256", file?.sha256.map(JSONValue.string) ?? .null),
                                            .init("runId", .int(row.runID))]
            item += row.finding.json.objectMembers
            findings.append(.object(item))
        }
        members.append(.init("findings", .array(findings)))
        var errors: [JSONValue] = []
        for row in model.errors {
            errors.append(.object([JSONValue.Member("fileId", .int(row.fileID))] + row.error.json.objectMembers))
        }
        members.append(.init("errors", .array(errors)))
        members.append(.init("clustering", model.clustering.map(clusteringJSON) ?? .null))
        let head: JSONValue = model.custody.last.map { .object(["seq": .int($0.seq), "hash": .string($0.hash)]) } ?? .null
        members.append(.init("custody", .object([.init("events", .array(model.custody.map(\.json))), .init("head", head)])))
        let notes: JSONValue = model.notes.map {
            .object([.init("fileName", .string($0.fileName)), .init("sha256", .string($0.sha256)), .init("text", .string($0.text))])
        } ?? .null
        members.append(.init("notes", notes))
        // The raw recorded metadata of every flagged file, complete (the HTML shows the first 4 KiB).
        let metadata = model.flaggedFileIDs.compactMap { id -> JSONValue.Member? in
            model.flaggedMetadata[id].map { JSONValue.Member(String(id), CaseStore.parsedOrText($0)) }
        }
        members.append(.init("flaggedMetadata", .object(metadata)))
        let document = JSONValue.object(members)
        return PrettyJSON.string(document) + "\n"
    }

    static func caseJSON(_ info: CaseInfo) -> JSONValue {
        .object([
            .init("caseUuid", .string(info.caseUUID)), .init("caseNumber", .string(info.caseNumber)),
            .init("title", info.title.map(JSONValue.string) ?? .null),
            .init("agency", info.agency.map(JSONValue.string) ?? .null),
            .init("authorization", info.authorization.map(JSONValue.string) ?? .null),
            .init("examiner", .string(info.examiner)), .init("createdAtUtc", .string(info.createdAtUTC)),
        ])
    }

    static func toolJSON(_ tool: ToolInfo) -> JSONValue {
        let libraries = tool.libraries.sorted { $0.key < $1.key }.map { JSONValue.Member($0.key, .string($0.value)) }
        return .object([
            .init("name", .string(tool.name)), .init("version", .string(tool.version)),
            .init("executableSha256", tool.executableSHA256.map(JSONValue.string) ?? .null),
            .init("host", .string(tool.host)), .init("operatingSystem", .string(tool.operatingSystem)),
            .init("libraries", .object(libraries)),
            .init("pdfEngine", tool.pdfEngine.map(JSONValue.string) ?? .null),
        ])
    }

    static func analyzerJSON(_ use: AnalyzerUse) -> JSONValue {
        .object([
            .init("id", .string(use.id)), .init("version", .string(use.version)), .init("parameters", use.parameters),
            .init("custodyEvents", .array(use.runEvents.map(JSONValue.int))),
            .init("methodologyGeneric", .bool(MethodologyTable.methodology(for: use.id).isGeneric)),
        ])
    }

    static func trustListJSON(_ list: TrustListUse) -> JSONValue {
        .object([.init("sha256", .string(list.sha256)), .init("anchorCount", list.anchorCount.map(JSONValue.int) ?? .null),
                 .init("custodyEvents", .array(list.runEvents.map(JSONValue.int)))])
    }

    static func hashSetJSON(_ set: ReportHashSet) -> JSONValue {
        .object([.init("id", .int(set.id)), .init("name", .string(set.name)), .init("format", .string(set.format)),
                 .init("sourceSha256", .string(set.sourceSHA256)), .init("recordCount", .int(set.recordCount)),
                 .init("importedAtUtc", .string(set.importedAtUTC))])
    }

    static func verificationJSON(_ v: ReportVerification) -> JSONValue {
        let evidence = JSONValue.object([.init("checked", .integer(v.evidenceChecked)), .init("matched", .integer(v.evidenceMatched)),
                                         .init("skipped", .integer(v.evidenceSkipped))])
        let reports = JSONValue.object([.init("checked", .integer(v.reportsChecked)), .init("matched", .integer(v.reportsMatched))])
        return .object([
            .init("pass", .bool(v.passed)), .init("chainIntact", .bool(v.chainIntact)), .init("chainEvents", .integer(v.chainEvents)),
            .init("chainHeadSeq", v.chainHeadSeq.map(JSONValue.int) ?? .null),
            .init("chainHeadHash", v.chainHeadHash.map(JSONValue.string) ?? .null),
            .init("evidenceRehashed", .bool(v.evidenceRehashed)), .init("evidence", evidence), .init("reports", reports),
            .init("custodyEventSeq", v.eventSeq.map(JSONValue.int) ?? .null),
            .init("discrepancies", .array(v.discrepancies.map(\.json))),
        ])
    }

    static func imageHandlingJSON(_ h: ImageHandling) -> JSONValue {
        .object([.init("revealed", .bool(h.revealed)), .init("revealedBy", h.revealedBy.map(JSONValue.string) ?? .null),
                 .init("revealEventSeq", h.revealEventSeq.map(JSONValue.int) ?? .null),
                 .init("mosaicBlocks", .integer(h.mosaicBlocks))])
    }

    static func exhibitJSON(_ x: ExhibitSummary) -> JSONValue {
        .object([.init("exhibitNumber", .string(x.number)), .init("description", x.description.map(JSONValue.string) ?? .null),
                 .init("rootPath", .string(x.rootPath)), .init("registeredAtUtc", .string(x.registeredAtUTC)),
                 .init("inventory", x.inventory.json), .init("recordedMerkleRoot", x.recordedMerkleRoot.map(JSONValue.string) ?? .null),
                 .init("committedBySeq", x.committedBySeq.map(JSONValue.int) ?? .null)])
    }

    static func fileJSON(_ file: ReportFileRow) -> JSONValue {
        .object([
            .init("fileId", .int(file.id)), .init("exhibit", .string(file.exhibitNumber)), .init("path", .string(file.path)),
            .init("kind", .string(file.kind)), .init("size", .int(file.size)),
            .init("mtimeUtc", .string(Timestamp.rfc3339(epochNanoseconds: file.mtimeNs))),
            .init("sha256", file.sha256.map(JSONValue.string) ?? .null), .init("md5", file.md5.map(JSONValue.string) ?? .null),
            .init("format", file.format.map(JSONValue.string) ?? .null), .init("status", .string(file.status)),
            .init("width", file.width.map { .integer($0) } ?? .null), .init("height", file.height.map { .integer($0) } ?? .null),
            .init("errors", .integer(file.errorCount)), .init("findings", .integer(file.findingCount)),
        ])
    }

    static func clusteringJSON(_ c: StoredClustering) -> JSONValue {
        .object([
            .init("clusteringId", .int(c.id)), .init("createdAtUtc", .string(c.createdAtUTC)),
            .init("algorithm", .string(c.algorithm)), .init("algorithmVersion", .string(c.algorithmVersion)),
            .init("threshold", .integer(c.threshold)), .init("hashesConsidered", .integer(c.hashesConsidered)),
            .init("excludedLowQuality", .integer(c.excludedLowQuality)), .init("membersSha256", .string(c.membersSHA256)),
            .init("clusters", .array(c.clusters.map { cluster in
                .object([.init("number", .integer(cluster.number)), .init("size", .integer(cluster.size)),
                         .init("diameter", .integer(cluster.diameter)), .init("diameterExact", .bool(cluster.diameterExact)),
                         .init("chained", .bool(cluster.chained)), .init("medoidFileId", .int(cluster.medoidFileID)),
                         .init("members", .array(cluster.members.map { .object(["fileId": .int($0.fileID),
                                                                               "distanceToMedoid": .integer($0.distanceToMedoid)]) }))])
            })),
        ])
    }

    public static let filesCSVHeader = "file_id,exhibit,path,kind,size,mtime_utc,sha256,md5,format,status,width,height,errors,findings"

    public static func filesCSV(_ model: ReportModel) -> String {
        var out = filesCSVHeader + "\r\n"
        for f in model.files {
            let fields = [String(f.id), f.exhibitNumber, f.path, f.kind, String(f.size), Timestamp.rfc3339(epochNanoseconds: f.mtimeNs),
                          f.sha256 ?? "", f.md5 ?? "", f.format ?? "", f.status, f.width.map(String.init) ?? "",
                          f.height.map(String.init) ?? "", String(f.errorCount), String(f.findingCount)]
            out += fields.map(Escape.csv).joined(separator: ",") + "\r\n"
        }
        return out
    }

    public static let findingsCSVHeader = "finding_id,file_id,exhibit,sha256,analyzer,analyzer_version,category,label,strength,score,summary,details_json,location_json"

    public static func findingsCSV(_ model: ReportModel) -> String {
        let files = model.filesByID
        var out = findingsCSVHeader + "\r\n"
        for row in model.findings {
            let f = row.finding
            let fields = [String(row.id), String(row.fileID), files[row.fileID]?.exhibitNumber ?? "", files[row.fileID]?.sha256 ?? "",
                          f.analyzer, f.analyzerVersion, f.category.rawValue, f.label, f.strength.rawValue,
                          f.score.map { JSONValue.double($0).serialized() } ?? "", f.summary, f.details.canonical(),
                          f.location?.canonical() ?? ""]
            out += fields.map(Escape.csv).joined(separator: ",") + "\r\n"
        }
        return out
    }
}

extension JSONValue {
    /// The members of an object (empty for anything else).
    var objectMembers: [Member] {
        if case .object(let members) = self { return members }
        return []
    }
}
