import ArgumentParser
import ImprintBytes
import ImprintCase
import ImprintSimilarity

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match the case's files against the imported hash sets.",
        discussion: """
            Exact: files' MD5 and SHA-256 against md5/sha256 entries ('hashset.match'). SHA-1 \
            entries are not matched: imprint records no SHA-1 for files. Near: files' PDQ hashes \
            (quality ≥ 50) against PDQ entries (quality ≥ 50 or none) within --pdq-threshold \
            ('hashset.near-match', strong at distance ≤ 20, else moderate). Each run is an \
            'analysis_runs' row of kind 'match' with an 'analysis.run' custody event; a finding \
            already recorded by an earlier match run is not recorded again.
            """)

    static let analyzer = "hashset-match"
    static let analyzerVersion = "1.0.0"

    @Argument(help: "The case file.")
    var casefile: String

    @Option(help: "Largest PDQ Hamming distance reported as a near match (0–63).")
    var pdqThreshold: Int = PDQHash.matchThreshold

    @OptionGroup var session: SessionOptions

    func validate() throws {
        guard (0...PDQMultiIndex.maximumRadius).contains(pdqThreshold) else {
            throw ValidationError("--pdq-threshold must be between 0 and \(PDQMultiIndex.maximumRadius)")
        }
    }

    func run() throws {
        let store = try CaseStore.open(at: casefile)
        var findings: [MatchFinding] = []
        var exact = 0
        for file in try store.fileDigests() {
            for (algorithm, hex) in [("sha256", file.sha256), ("md5", file.md5)] {
                guard let hex else { continue }
                for hit in try store.hashSetEntries(algorithm: algorithm, hex: hex) {
                    findings.append(MatchFinding(fileID: file.fileID, finding: Self.exactFinding(hit)))
                    exact += 1
                }
            }
        }
        let near = try nearMatches(store)
        findings += near.findings
        let options = JSONValue.object(["pdqThreshold": .integer(pdqThreshold)])
        let summary = JSONValue.object([
            "exactMatches": .integer(exact),
            "nearMatches": .integer(near.findings.count),
            "pdqSearchMethod": .string(near.method.rawValue),
            "sha1Matched": .bool(false),
        ])
        let result = try store.recordMatchRun(findings, options: options, summary: summary,
                                              actor: try session.actor(for: store))
        Console.out("Match run \(result.runID): \(exact) exact match(es), \(near.findings.count) PDQ near match(es) "
                    + "(threshold \(pdqThreshold)); \(result.recorded) finding(s) recorded, "
                    + "\(result.alreadyRecorded) already recorded")
        Console.out("SHA-1 entries are not matched: files have no recorded SHA-1.")
    }

    static func exactFinding(_ hit: HashSetHit) -> Finding {
        let caveat = hit.algorithm == "md5" ? " (MD5 match: MD5 is collision-broken)" : ""
        return Finding(analyzer: analyzer, analyzerVersion: analyzerVersion, category: .similarity,
                       label: "hashset.match", strength: .strong,
                       summary: "\(hit.algorithm.uppercased()) listed in hash set '\(hit.setName)'\(caveat)",
                       details: .object([
                           "set": .string(hit.setName),
                           "setId": .int(hit.setID),
                           "algorithm": .string(hit.algorithm),
                           "value": .string(hit.valueHex),
                           "meta": hit.meta.map(JSONValue.string) ?? .null,
                       ]))
    }

    private func nearMatches(_ store: CaseStore) throws -> (findings: [MatchFinding], method: PDQSearchMethod) {
        var fileIDs: [Int64] = []
        var fileQualities: [Int] = []
        var hashes: [PDQHash] = []
        for row in try store.pdqHashes() where row.quality >= PDQHash.minimumMatchQuality {
            guard let hash = PDQHash(hex: row.pdqHex), !hash.isZero else { continue }
            fileIDs.append(row.fileID)
            fileQualities.append(row.quality)
            hashes.append(hash)
        }
        let method = PDQSearchMethod.choose(count: hashes.count, radius: pdqThreshold)
        guard !hashes.isEmpty else { return ([], method) }
        let index = method == .multiIndex ? PDQMultiIndex(PDQCodeArray(hashes)) : nil
        var searcher = PDQMultiIndex.Searcher(count: hashes.count)
        var out: [MatchFinding] = []
        for entry in try store.pdqHashSetEntries(minimumQuality: PDQHash.minimumMatchQuality) {
            guard let query = PDQHash(hex: entry.valueHex) else { continue }
            let hits: [RadiusHit]
            if let index {
                hits = index.query(query, radius: pdqThreshold, searcher: &searcher)
            } else {
                hits = hashes.indices.compactMap { row in
                    let d = hashes[row].distance(to: query)
                    return d <= pdqThreshold ? RadiusHit(row: row, distance: d) : nil
                }
            }
            for hit in hits {
                let finding = Finding(
                    analyzer: Self.analyzer, analyzerVersion: Self.analyzerVersion, category: .similarity,
                    label: "hashset.near-match", strength: hit.distance <= 20 ? .strong : .moderate,
                    summary: "PDQ within \(hit.distance) of an entry in hash set '\(entry.setName)'",
                    details: .object([
                        "set": .string(entry.setName),
                        "setId": .int(entry.setID),
                        "algorithm": .string("pdq"),
                        "value": .string(entry.valueHex),
                        "distance": .integer(hit.distance),
                        "threshold": .integer(pdqThreshold),
                        "entryQuality": entry.quality.map { .integer($0) } ?? .null,
                        "fileQuality": .integer(fileQualities[hit.row]),
                        "meta": entry.meta.map(JSONValue.string) ?? .null,
                    ]))
                out.append(MatchFinding(fileID: fileIDs[hit.row], finding: finding))
            }
        }
        return (out, method)
    }
}
