import ArgumentParser
import ImprintBytes
import ImprintCase
import ImprintSimilarity

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match the case's files against the imported hash sets.",
        discussion: """
            Exact: files' SHA-256, SHA-1 and MD5 against the sets' entries ('hashset.match', \
            one finding per file and set). Strength follows the set's kind: a 'known' set \
            (e.g. NSRL) gives 'info' ("known file": lowers priority, never clears a file); a \
            notable or reference set gives 'conclusive' for SHA-256 or SHA-1 and 'strong' for \
            an MD5-only match (MD5 is collision-broken). Files recorded before imprint computed \
            SHA-1 have none: SHA-1-only entries cannot match them, and the run says how many. \
            Near: each file's PDQ (quality ≥ 50) and its 7 rotations and flips against PDQ \
            entries (quality ≥ 50 or none) within --pdq-threshold ('hashset.near-match', \
            strong at distance ≤ 20, else moderate; info for a known set); the finding names \
            the transform that matched. VICS categories stay raw unless --category-map names \
            them (recorded with the run and in each finding). Each run is an 'analysis_runs' row of kind 'match' with \
            an 'analysis.run' custody event; a finding already recorded is not recorded again.
            """)

    static let analyzer = "hashset-match"
    static let analyzerVersion = "1.1.0"

    @Argument(help: "The case file.")
    var casefile: String

    @Option(help: "Largest PDQ Hamming distance reported as a near match (0–63).")
    var pdqThreshold: Int = PDQHash.matchThreshold

    @Flag(help: "Near-match only each file's PDQ as stored, not its rotations and flips.")
    var noDihedral = false

    @Option(help: ArgumentHelp("A versioned JSON map of raw VICS categories to names ({\"version\": …, \"categories\": {\"1\": …}}); without it categories stay raw.", valueName: "json-file"))
    var categoryMap: String?

    @OptionGroup var session: SessionOptions

    func validate() throws {
        guard (0...PDQMultiIndex.maximumRadius).contains(pdqThreshold) else {
            throw ValidationError("--pdq-threshold must be between 0 and \(PDQMultiIndex.maximumRadius)")
        }
    }

    func run() throws {
        let map = try categoryMap.map(CategoryMap.load(path:))
        let store = try CaseStore.open(at: casefile)
        let algorithms = try store.hashSetAlgorithms()
        var findings: [MatchFinding] = []
        var exact = 0
        var known = 0
        var withoutSHA1 = 0
        for file in try store.fileDigests() {
            if file.sha1 == nil && file.sha256 != nil { withoutSHA1 += 1 }
            // One finding per (file, set): every algorithm that matched, strongest first.
            var bySet: [(setID: Int64, hits: [HashSetHit])] = []
            for (algorithm, hex) in [("sha256", file.sha256), ("sha1", file.sha1), ("md5", file.md5)] {
                guard let hex, algorithms.contains(algorithm) else { continue }
                for hit in try store.hashSetEntries(algorithm: algorithm, hex: hex) {
                    if let i = bySet.firstIndex(where: { $0.setID == hit.setID }) { bySet[i].hits.append(hit) }
                    else { bySet.append((hit.setID, [hit])) }
                }
            }
            for group in bySet {
                let finding = Self.exactFinding(group.hits, categoryMap: map)
                if finding.strength == .info { known += 1 }
                findings.append(MatchFinding(fileID: file.fileID, finding: finding))
                exact += 1
            }
        }
        let near = algorithms.contains("pdq") ? try nearMatches(store) : NearMatches()
        findings += near.findings
        let options = JSONValue.object(["pdqThreshold": .integer(pdqThreshold), "dihedral": .bool(!noDihedral),
                                        "categoryMap": map?.json])
        let sha1Blind = algorithms.contains("sha1") ? withoutSHA1 : 0
        let summary = JSONValue.object([
            "exactMatches": .integer(exact),
            "knownFileMatches": .integer(known),
            "nearMatches": .integer(near.findings.count),
            "nearMatchesThroughTransform": .integer(near.throughTransform),
            "filesWithoutPdqVariants": .integer(near.filesWithoutVariants),
            "pdqSearchMethod": .string(near.method.rawValue),
            "filesWithoutSha1": .integer(withoutSHA1),
            "categoryMap": map?.json,
        ])
        let result = try store.recordMatchRun(findings, options: options, summary: summary,
                                              actor: try session.actor(for: store))
        Console.out("Match run \(result.runID): \(exact) exact match(es) (\(known) known file(s)), "
                    + "\(near.findings.count) PDQ near match(es) (threshold \(pdqThreshold), "
                    + "\(near.throughTransform) through a rotation or flip); \(result.recorded) finding(s) recorded, "
                    + "\(result.alreadyRecorded) already recorded")
        if sha1Blind > 0 {
            Console.out("\(sha1Blind) file(s) were recorded before imprint computed SHA-1: SHA-1-only entries cannot match them (their SHA-256 and MD5 were matched).")
        }
        if !noDihedral && near.filesWithoutVariants > 0 {
            Console.out("\(near.filesWithoutVariants) file(s) were recorded before imprint stored PDQ rotations and flips: only their PDQ as stored was near-matched.")
        }
    }

    /// Strength by set kind and the strongest algorithm (HASH-SETS.md §10).
    static func exactFinding(_ hits: [HashSetHit], categoryMap: CategoryMap? = nil) -> Finding {
        let first = hits[0]
        let order = ["sha256", "sha1", "md5"]
        let matched = order.filter { algorithm in hits.contains { $0.algorithm == algorithm } }
        let best = matched.first ?? first.algorithm
        let name = best == "sha256" ? "SHA-256" : best == "sha1" ? "SHA-1" : "MD5"
        let strength: Finding.Strength
        let summary: String
        switch first.kind {
        case .known:
            strength = .info
            summary = "Known file: \(name) listed in known set '\(first.setName)' (known, not necessarily benign; lowers priority, never clears the file)"
        case .notable, .reference:
            strength = best == "md5" ? .strong : .conclusive
            let caveat = best == "md5" ? " (MD5 match: MD5 is collision-broken)" : ""
            summary = "\(name) listed in \(first.kind.rawValue) hash set '\(first.setName)'\(caveat)"
        }
        let categories = Array(Set(hits.compactMap(\.category))).sorted()
        return Finding(analyzer: analyzer, analyzerVersion: analyzerVersion, category: .similarity,
                       label: "hashset.match", strength: strength, summary: summary,
                       details: .object([
                           "set": .string(first.setName),
                           "setId": .int(first.setID),
                           "kind": .string(first.kind.rawValue),
                           "setVersion": first.setVersion.map(JSONValue.string),
                           "setSourceSha256": .string(first.sourceSHA256),
                           "algorithm": .string(best),
                           "algorithms": .array(matched.map(JSONValue.string)),
                           "value": .string(hits.first { $0.algorithm == best }?.valueHex ?? first.valueHex),
                           "entries": .integer(hits.count),
                           "meta": metaJSON(hits.first { $0.algorithm == best }?.meta ?? first.meta),
                           "categories": categories.isEmpty ? nil : .array(categories.map(JSONValue.string)),
                           // VICS categories are imported raw; only the examiner's map names them.
                           "categoryMapped": categories.isEmpty ? nil : categoryMap.map { map in
                               .array(categories.map { map.categories[$0].map(JSONValue.string) ?? .null })
                           } ?? .null,
                           "categoryMap": categories.isEmpty ? nil : categoryMap?.json,
                       ]))
    }

    /// Entry metadata as JSON when it is JSON (NSRL, VICS), as text otherwise.
    static func metaJSON(_ meta: String?) -> JSONValue {
        guard let meta else { return .null }
        if meta.first == "{", let parsed = try? JSONParser.parse(meta) { return parsed }
        return .string(meta)
    }

    struct NearMatches {
        var findings: [MatchFinding] = []
        var method: PDQSearchMethod = .linear
        var throughTransform = 0
        var filesWithoutVariants = 0
    }

    static let transformText: [String: String] = [
        "original": "the file as stored",
        "rotate90": "the file rotated 90° counter-clockwise",
        "rotate180": "the file rotated 180°",
        "rotate270": "the file rotated 90° clockwise",
        "flipX": "the file flipped top to bottom",
        "flipY": "the file mirrored left to right",
        "flipPlus1": "the file transposed (main diagonal)",
        "flipMinus1": "the file anti-transposed",
    ]

    /// One index over the sets' PDQ entries; each file queries it with its PDQ and, unless
    /// --no-dihedral, its 7 stored variants (8× the probes, no 8× memory; SIMILARITY-INDEX
    /// §3.4). Per (file, entry) the closest variant is kept, the original on ties.
    private func nearMatches(_ store: CaseStore) throws -> NearMatches {
        var out = NearMatches()
        let table = try store.pdqEntryTable(minimumQuality: PDQHash.minimumMatchQuality)
        var rows: [Int] = []
        var hashes: [PDQHash] = []
        for (i, value) in table.values.enumerated() {
            guard let hash = PDQHash(bytes: value), !hash.isZero else { continue }
            rows.append(i)
            hashes.append(hash)
        }
        out.method = PDQSearchMethod.choose(count: hashes.count, radius: pdqThreshold)
        guard !hashes.isEmpty else { return out }
        let index = out.method == .multiIndex ? PDQMultiIndex(PDQCodeArray(hashes)) : nil
        var searcher = PDQMultiIndex.Searcher(count: hashes.count)
        var entryCache: [Int64: HashSetHit] = [:]
        for file in try store.pdqHashesWithVariants() where file.quality >= PDQHash.minimumMatchQuality {
            guard let original = PDQHash(hex: file.pdqHex), !original.isZero else { continue }
            var queries: [(String, PDQHash)] = [("original", original)]
            if !noDihedral {
                if file.variants.isEmpty { out.filesWithoutVariants += 1 }
                for variant in file.variants {
                    if let hash = PDQHash(hex: variant.hex) { queries.append((variant.name, hash)) }
                }
            }
            var best: [Int: (variant: String, distance: Int)] = [:]
            for (name, query) in queries {
                let hits: [RadiusHit]
                if let index {
                    hits = index.query(query, radius: pdqThreshold, searcher: &searcher)
                } else {
                    hits = hashes.indices.compactMap { row in
                        let d = hashes[row].distance(to: query)
                        return d <= pdqThreshold ? RadiusHit(row: row, distance: d) : nil
                    }
                }
                for hit in hits where best[hit.row].map({ hit.distance < $0.distance }) ?? true {
                    best[hit.row] = (name, hit.distance)
                }
            }
            for (row, match) in best.sorted(by: { $0.key < $1.key }) {
                let rowID = table.rowIDs[rows[row]]
                if entryCache[rowID] == nil { entryCache[rowID] = try store.hashSetEntry(rowID: rowID) }
                guard let entry = entryCache[rowID] else { continue }
                if match.variant != "original" { out.throughTransform += 1 }
                let strength: Finding.Strength = entry.kind == .known ? .info : match.distance <= 20 ? .strong : .moderate
                let how = match.variant == "original" ? "" : " after a rotation or flip (\(Self.transformText[match.variant] ?? match.variant))"
                let finding = Finding(
                    analyzer: Self.analyzer, analyzerVersion: Self.analyzerVersion, category: .similarity,
                    label: "hashset.near-match", strength: strength,
                    summary: "PDQ within \(match.distance) of an entry in \(entry.kind.rawValue) hash set '\(entry.setName)'\(how)",
                    details: .object([
                        "set": .string(entry.setName),
                        "setId": .int(entry.setID),
                        "kind": .string(entry.kind.rawValue),
                        "algorithm": .string("pdq"),
                        "value": .string(entry.valueHex),
                        "distance": .integer(match.distance),
                        "threshold": .integer(pdqThreshold),
                        "variant": .string(match.variant),
                        "transform": .string(Self.transformText[match.variant] ?? match.variant),
                        "entryQuality": entry.quality.map { .integer($0) } ?? .null,
                        "fileQuality": .integer(file.quality),
                        "meta": Self.metaJSON(entry.meta),
                    ]))
                out.findings.append(MatchFinding(fileID: file.fileID, finding: finding))
            }
        }
        return out
    }
}
