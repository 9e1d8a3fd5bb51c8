import ImprintBytes
import ImprintCase

/// Gathers a `ReportModel` from a case. Only the hash-chained custody log is trusted for
/// what ran (analyzers, versions, parameters, trust lists); the tables give the rows.
public enum ReportModelBuilder {
    /// What the caller contributes: the run's own facts, decided outside the case.
    public struct Inputs: Sendable {
        public var generatedAtUTC: String
        public var examiner: String
        public var tool: ToolInfo
        /// The custody log as it stood when generation began.
        public var custody: [CustodyEvent]
        public var verification: ReportVerification
        public var imageHandling: ImageHandling
        public var notes: ExaminerNotes?
        public var withNames: Bool

        public init(generatedAtUTC: String, examiner: String, tool: ToolInfo, custody: [CustodyEvent],
                    verification: ReportVerification, imageHandling: ImageHandling, notes: ExaminerNotes?, withNames: Bool) {
            self.generatedAtUTC = generatedAtUTC
            self.examiner = examiner
            self.tool = tool
            self.custody = custody
            self.verification = verification
            self.imageHandling = imageHandling
            self.notes = notes
            self.withNames = withNames
        }
    }

    public static func build(store: CaseStore, inputs: Inputs) throws -> ReportModel {
        let info = try store.caseInfo()
        let custody = inputs.custody
        let findings = try store.reportFindings()
        let priorReports = custody.filter { $0.action == "report.generated" }.count
        var model = ReportModel(
            caseInfo: info, reportID: "\(info.caseNumber)-R\(priorReports + 1)", generatedAtUTC: inputs.generatedAtUTC,
            examiner: inputs.examiner, tool: inputs.tool,
            analyzers: analyzers(custody: custody, findings: findings), trustLists: trustLists(custody: custody),
            hashSets: try store.reportHashSets(), exhibits: try exhibits(store: store, custody: custody),
            files: try store.reportFiles(), findings: findings, errors: try store.reportErrors(),
            clustering: try store.latestClustering(), custody: custody, verification: inputs.verification,
            imageHandling: inputs.imageHandling, notes: inputs.notes, flaggedMetadata: [:], thumbnails: [:],
            withNames: inputs.withNames)
        model.flaggedMetadata = try store.metadataJSON(fileIDs: model.flaggedFileIDs)
        return model
    }

    /// Files that get a thumbnail, in report order: flagged files, then cluster members,
    /// each once, at most `limit`. Returns the chosen ids and how many were left out.
    public static func thumbnailFileIDs(_ model: ReportModel, limit: Int) -> (ids: [Int64], omitted: Int) {
        var seen = Set<Int64>()
        var ordered: [Int64] = []
        for id in model.flaggedFileIDs where seen.insert(id).inserted { ordered.append(id) }
        for cluster in model.clustering?.clusters ?? [] {
            for member in cluster.members where seen.insert(member.fileID).inserted { ordered.append(member.fileID) }
        }
        return (Array(ordered.prefix(limit)), max(0, ordered.count - limit))
    }

    static func exhibits(store: CaseStore, custody: [CustodyEvent]) throws -> [ExhibitSummary] {
        try store.verifyExhibits(events: custody).map { check in
            let committing = custody.last {
                $0.subject == check.exhibit.number && ($0.action == "ingest.completed" || $0.action == "ingest.interrupted")
            }
            return ExhibitSummary(number: check.exhibit.number, description: check.exhibit.description,
                                  rootPath: check.exhibit.rootPathText, registeredAtUTC: check.exhibit.registeredAtUTC,
                                  inventory: check.inventory, recordedMerkleRoot: check.recordedRoot,
                                  committedBySeq: committing?.seq)
        }
    }

    /// Analyzers as the custody log records them (ingest runs, clustering, matching), plus
    /// any analyzer that has findings but no such record, grouped by (id, version, parameters).
    static func analyzers(custody: [CustodyEvent], findings: [ReportFindingRow]) -> [AnalyzerUse] {
        var uses: [AnalyzerUse] = []
        func add(_ id: String, _ version: String, _ parameters: JSONValue, _ seq: Int64?) {
            let key = parameters.canonical()
            if let index = uses.firstIndex(where: { $0.id == id && $0.version == version && $0.parameters.canonical() == key }) {
                if let seq, !uses[index].runEvents.contains(seq) { uses[index].runEvents.append(seq) }
            } else {
                uses.append(AnalyzerUse(id: id, version: version, parameters: parameters, runEvents: seq.map { [$0] } ?? []))
            }
        }
        for event in custody {
            guard let details = try? JSONParser.parse(event.detailsJSON) else { continue }
            switch event.action {
            case "ingest.started":
                for analyzer in details["analyzers"]?.arrayValue ?? [] {
                    guard let id = analyzer["id"]?.stringValue, let version = analyzer["version"]?.stringValue else { continue }
                    add(id, version, analyzer["parameters"] ?? .object([]), event.seq)
                }
            case "analysis.run":
                if details["analysis"]?.stringValue == "near-duplicate-clustering" {
                    let version = [details["algorithm"]?.stringValue, details["algorithmVersion"]?.stringValue]
                        .compactMap { $0 }.joined(separator: " ")
                    add("near-duplicate-clustering", version,
                        .object(["threshold": details["threshold"], "searchMethod": details["searchMethod"]]), event.seq)
                }
            default:
                continue
            }
        }
        // hashset-match and any analyzer without an ingest record: from its findings.
        for row in findings {
            let f = row.finding
            if !uses.contains(where: { $0.id == f.analyzer && $0.version == f.analyzerVersion }) {
                add(f.analyzer, f.analyzerVersion, .object([]), nil)
            }
        }
        return uses
    }

    static func trustLists(custody: [CustodyEvent]) -> [TrustListUse] {
        var lists: [TrustListUse] = []
        for event in custody where event.action == "ingest.started" {
            guard let details = try? JSONParser.parse(event.detailsJSON) else { continue }
            for analyzer in details["analyzers"]?.arrayValue ?? [] where analyzer["id"]?.stringValue == "provenance.c2pa" {
                guard let sha = analyzer["parameters"]?["trustAnchorsSHA256"]?.stringValue else { continue }
                if let index = lists.firstIndex(where: { $0.sha256 == sha }) {
                    lists[index].runEvents.append(event.seq)
                } else {
                    lists.append(TrustListUse(sha256: sha, anchorCount: analyzer["parameters"]?["trustAnchorCount"]?.intValue,
                                              runEvents: [event.seq]))
                }
            }
        }
        return lists
    }
}
