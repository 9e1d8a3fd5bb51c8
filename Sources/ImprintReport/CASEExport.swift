import Crypto
import Foundation
import ImprintBytes
import ImprintCase

/// The case as CASE/UCO 1.x JSON-LD (CUSTODY-AND-EXCHANGE.md §5): the investigation, the
/// examiner, imprint as the analytic tool, one acquisition action and provenance record per
/// exhibit, every hashed file with its hash facets, one analysis per analyzer with an
/// analytic result per finding, and the verification and report actions.
///
/// Node ids are `kb:<kind>-<uuid>` where the UUID is derived from the case UUID and the
/// item (RFC 4122 version 5, in the case UUID's namespace), so the same case gives the same graph. File
/// names are left out unless `--with-names` (they can name depicted people).
public enum CASEExport {
    static let context: JSONValue = .object([
        .init("kb", .string("http://example.org/kb/")),
        .init("case-investigation", .string("https://ontology.caseontology.org/case/investigation/")),
        .init("uco-action", .string("https://ontology.unifiedcyberontology.org/uco/action/")),
        .init("uco-analysis", .string("https://ontology.unifiedcyberontology.org/uco/analysis/")),
        .init("uco-core", .string("https://ontology.unifiedcyberontology.org/uco/core/")),
        .init("uco-identity", .string("https://ontology.unifiedcyberontology.org/uco/identity/")),
        .init("uco-observable", .string("https://ontology.unifiedcyberontology.org/uco/observable/")),
        .init("uco-tool", .string("https://ontology.unifiedcyberontology.org/uco/tool/")),
        .init("uco-types", .string("https://ontology.unifiedcyberontology.org/uco/types/")),
        .init("xsd", .string("http://www.w3.org/2001/XMLSchema#")),
    ])

    public static func jsonLD(_ model: ReportModel) -> String {
        var graph: [JSONValue] = []
        let ids = NodeIDs(caseUUID: model.caseInfo.caseUUID)
        func ref(_ id: String) -> JSONValue { .object(["@id": .string(id)]) }
        func time(_ text: String) -> JSONValue { .object(["@type": .string("xsd:dateTime"), "@value": .string(text)]) }

        let examiner = ids.node("person", model.caseInfo.examiner)
        graph.append(.object(["@id": .string(examiner), "@type": .string("uco-identity:Person"),
                              "uco-core:name": .string(model.caseInfo.examiner)]))
        var performer = examiner
        if model.examiner != model.caseInfo.examiner {
            performer = ids.node("person", model.examiner)
            graph.append(.object(["@id": .string(performer), "@type": .string("uco-identity:Person"),
                                  "uco-core:name": .string(model.examiner)]))
        }
        let tool = ids.node("tool", model.tool.display)
        graph.append(.object(["@id": .string(tool), "@type": .string("uco-tool:AnalyticTool"),
                              "uco-core:name": .string(model.tool.name), "uco-tool:version": .string(model.tool.version)]))

        var actionIDs: [String] = []
        var acquisitionByExhibit: [String: String] = [:]
        let filesByExhibit = Dictionary(grouping: model.files.filter { $0.kind == "file" && $0.sha256 != nil }, by: \.exhibitNumber)
        var fileNode: [Int64: String] = [:]

        for exhibit in model.exhibits {
            let fileRows = filesByExhibit[exhibit.number] ?? []
            for file in fileRows {
                let node = ids.node("file", "F\(file.id)")
                fileNode[file.id] = node
                graph.append(fileJSON(file, node: node, ids: ids, withNames: model.withNames))
            }
            let provenance = ids.node("provenance", exhibit.number)
            graph.append(.object([
                "@id": .string(provenance), "@type": .string("case-investigation:ProvenanceRecord"),
                "case-investigation:exhibitNumber": .string(exhibit.number),
                "case-investigation:rootExhibitNumber": .string(exhibit.number),
                "uco-core:description": .string("Files recorded from exhibit \(exhibit.number); Merkle root \(exhibit.inventory.merkleRoot)"),
                "uco-core:object": .array(fileRows.compactMap { fileNode[$0.id] }.map(ref)),
            ]))
            let action = ids.node("action-acquire", exhibit.number)
            acquisitionByExhibit[exhibit.number] = action
            actionIDs.append(action)
            let started = model.custody.first { $0.action == "ingest.started" && $0.subject == exhibit.number }
            let ended = model.custody.last { ($0.action == "ingest.completed" || $0.action == "ingest.interrupted") && $0.subject == exhibit.number }
            var members: [JSONValue.Member] = [
                .init("@id", .string(action)), .init("@type", .string("case-investigation:InvestigativeAction")),
                .init("uco-core:name", .string("Acquire and hash exhibit \(exhibit.number)")),
            ]
            if let started { members.append(.init("uco-core:startTime", time(started.atUTC))) }
            if let ended { members.append(.init("uco-core:endTime", time(ended.atUTC))) }
            members += [.init("uco-action:performer", ref(examiner)), .init("uco-action:instrument", ref(tool)),
                        .init("uco-action:result", .array(fileRows.compactMap { fileNode[$0.id] }.map(ref) + [ref(provenance)]))]
            graph.append(.object(members))
        }

        // One analysis per analyzer id and version, with an analytic result per finding.
        let files = model.filesByID
        var order: [String] = []
        var grouped: [String: [ReportFindingRow]] = [:]
        for row in model.findings {
            let key = "\(row.finding.analyzer) \(row.finding.analyzerVersion)"
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(row)
        }
        for key in order {
            let rows = grouped[key] ?? []
            let analysis = ids.node("analysis", key)
            actionIDs.append(analysis)
            var objects: [String] = []
            for row in rows { if let node = fileNode[row.fileID], !objects.contains(node) { objects.append(node) } }
            let informedBy = Set(rows.compactMap { files[$0.fileID]?.exhibitNumber }).sorted().compactMap { acquisitionByExhibit[$0] }
            var resultIDs: [JSONValue] = []
            for row in rows {
                let result = ids.node("result", "finding \(row.id)")
                resultIDs.append(ref(result))
                let f = row.finding
                let file = files[row.fileID]
                var classification: [JSONValue.Member] = [
                    .init("@id", .string(ids.node("classification", "finding \(row.id)"))),
                    .init("@type", .string("uco-analysis:ArtifactClassification")),
                    .init("uco-analysis:class", .string(f.label)),
                ]
                if let score = f.score {
                    classification.append(.init("uco-analysis:classificationConfidence",
                                                .object(["@type": .string("xsd:decimal"), "@value": .string(decimal(score))])))
                }
                let subject = "\(file?.exhibitNumber ?? "?") F\(row.fileID) (SHA-256 \(file?.sha256 ?? "none"))"
                graph.append(.object([
                    "@id": .string(result), "@type": .string("uco-analysis:AnalyticResult"),
                    "uco-analysis:originatingAnalysis": ref(analysis),
                    "uco-core:statement": .string("Indicator, not a verdict: \(f.label) (\(f.strength.rawValue)\(f.score.map { ", score \(decimal($0))" } ?? "")) on \(subject): \(f.summary)"),
                    "uco-core:hasFacet": .array([.object([
                        "@id": .string(ids.node("classification-facet", "finding \(row.id)")),
                        "@type": .string("uco-analysis:ArtifactClassificationResultFacet"),
                        "uco-analysis:classification": .array([.object(classification)]),
                    ])]),
                ]))
            }
            var members: [JSONValue.Member] = [
                .init("@id", .string(analysis)),
                .init("@type", .array([.string("case-investigation:InvestigativeAction"), .string("uco-analysis:Analysis")])),
                .init("uco-core:name", .string("imprint analyzer \(key)")),
            ]
            if !informedBy.isEmpty { members.append(.init("case-investigation:wasInformedBy", .array(informedBy.map(ref)))) }
            members += [.init("uco-action:performer", ref(examiner)), .init("uco-action:instrument", ref(tool)),
                        .init("uco-action:object", .array(objects.map(ref))), .init("uco-action:result", .array(resultIDs))]
            graph.append(.object(members))
        }

        let verify = ids.node("action-verify", model.reportID)
        actionIDs.append(verify)
        graph.append(.object([
            "@id": .string(verify), "@type": .string("case-investigation:InvestigativeAction"),
            "uco-core:name": .string("Verify custody chain, Merkle roots and evidence (\(model.reportID))"),
            "uco-core:description": .string(model.verification.statement(at: model.generatedAtUTC, tool: model.tool.display)),
            "uco-core:startTime": time(model.generatedAtUTC),
            "uco-action:performer": ref(performer), "uco-action:instrument": ref(tool),
            "case-investigation:wasInformedBy": .array(acquisitionByExhibit.keys.sorted().compactMap { acquisitionByExhibit[$0] }.map(ref)),
        ]))
        let report = ids.node("action-report", model.reportID)
        actionIDs.append(report)
        graph.append(.object([
            "@id": .string(report), "@type": .string("case-investigation:InvestigativeAction"),
            "uco-core:name": .string("Generate report \(model.reportID)"),
            "uco-core:startTime": time(model.generatedAtUTC),
            "uco-action:performer": ref(performer), "uco-action:instrument": ref(tool),
            "case-investigation:wasInformedBy": .array([ref(verify)]),
        ]))

        var investigation: [JSONValue.Member] = [
            .init("@id", .string(ids.node("investigation", model.caseInfo.caseUUID))),
            .init("@type", .string("case-investigation:Investigation")),
            .init("uco-core:name", .string(model.caseInfo.caseNumber)),
            .init("case-investigation:investigationForm", .string("case")),
        ]
        if let title = model.caseInfo.title { investigation.append(.init("uco-core:description", .string(title))) }
        if let authorization = model.caseInfo.authorization {
            let node = ids.node("authorization", authorization)
            graph.append(.object(["@id": .string(node), "@type": .string("case-investigation:Authorization"),
                                  "case-investigation:authorizationIdentifier": .array([.string(authorization)])]))
            investigation.append(.init("case-investigation:relevantAuthorization", .array([ref(node)])))
        }
        investigation.append(.init("uco-core:object", .array(actionIDs.map(ref))))
        graph.insert(.object(investigation), at: 0)

        return PrettyJSON.string(.object([.init("@context", context), .init("@graph", .array(graph))])) + "\n"
    }

    static func fileJSON(_ file: ReportFileRow, node: String, ids: NodeIDs, withNames: Bool) -> JSONValue {
        var fileFacet: [JSONValue.Member] = [.init("@id", .string(ids.node("file-facet", "F\(file.id)"))),
                                             .init("@type", .string("uco-observable:FileFacet"))]
        if withNames {
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            fileFacet.append(.init("uco-observable:fileName", .string(name)))
            fileFacet.append(.init("uco-observable:filePath", .string(file.path)))
        }
        fileFacet.append(.init("uco-observable:sizeInBytes", .int(file.size)))
        var hashes: [JSONValue] = []
        for (method, value) in [("SHA256", file.sha256), ("MD5", file.md5)] {
            guard let value else { continue }
            hashes.append(.object(["@id": .string(ids.node("hash", "F\(file.id) \(method)")), "@type": .string("uco-types:Hash"),
                                   "uco-types:hashMethod": .string(method),
                                   "uco-types:hashValue": .object(["@type": .string("xsd:hexBinary"), "@value": .string(value)])]))
        }
        var facets: [JSONValue] = [
            .object(fileFacet),
            .object(["@id": .string(ids.node("content-facet", "F\(file.id)")), "@type": .string("uco-observable:ContentDataFacet"),
                     "uco-observable:sizeInBytes": .int(file.size), "uco-observable:hash": .array(hashes)]),
        ]
        if let width = file.width, let height = file.height {
            facets.append(.object(["@id": .string(ids.node("raster-facet", "F\(file.id)")),
                                   "@type": .string("uco-observable:RasterPictureFacet"),
                                   "uco-observable:pictureWidth": .integer(width), "uco-observable:pictureHeight": .integer(height)]))
        }
        return .object(["@id": .string(node), "@type": .string("uco-observable:File"), "uco-core:hasFacet": .array(facets)])
    }

    /// A score as an xsd:decimal lexical form (no exponent), three decimals.
    static func decimal(_ value: Double) -> String {
        let thousandths = Int((min(max(value, 0), 1) * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Deterministic node ids: `kb:<kind>-<uuid>`, the UUID name-based (RFC 4122 version 5,
    /// SHA-1) in the case UUID's namespace over "<kind>\0<key>".
    struct NodeIDs {
        var namespace: [UInt8]

        init(caseUUID: String) {
            if let uuid = UUID(uuidString: caseUUID) {
                namespace = withUnsafeBytes(of: uuid.uuid) { Array($0) }
            } else {
                namespace = Array(SHA256.hash(data: Array(caseUUID.utf8)).prefix(16))
            }
        }

        func node(_ kind: String, _ key: String) -> String {
            var bytes = Array(Insecure.SHA1.hash(data: namespace + Array("\(kind)\u{0}\(key)".utf8)).prefix(16))
            bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5
            bytes[8] = (bytes[8] & 0x3F) | 0x80  // variant 10
            let hex = Hex.encode(bytes)
            let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
                         hex.dropFirst(20)]
            return "kb:\(kind)-" + parts.map(String.init).joined(separator: "-")
        }
    }
}
