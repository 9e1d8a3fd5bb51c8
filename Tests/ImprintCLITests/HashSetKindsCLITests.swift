import Foundation
import GRDB
import XCTest
import ImprintBytes
import ImprintImaging
import ImprintTestSupport

/// NSRL (known) and VICS (notable) sets end to end, SHA-1 matching, dihedral near matches,
/// tags and export, through the built `imprint` binary.
final class HashSetKindsCLITests: XCTestCase {
    private var work: FixtureTree!
    private var evidence: FixtureTree!
    private var casePath: String { work.absolute("case.imprint") }

    override func setUpWithError() throws {
        work = try FixtureTree("hashset-kinds")
        evidence = try FixtureTree("hashset-kinds-evidence")
    }

    override func tearDown() {
        work?.remove()
        evidence?.remove()
    }

    private func query<T: DatabaseValueConvertible>(_ sql: String, _ path: String? = nil) throws -> [T] {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: path ?? casePath, configuration: config).read { try T.fetchAll($0, sql: sql) }
    }

    private func value(_ column: String, of path: String) throws -> String {
        try XCTUnwrap((try query("SELECT \(column) FROM files WHERE path_text = '\(path)'") as [String]).first)
    }

    @discardableResult
    private func imprint(_ arguments: [String], status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> CLIRunner.Result {
        let result = try CLIRunner.run(arguments)
        XCTAssertEqual(result.status, status, "\(arguments): \(result.stdout)\n\(result.stderr)", file: file, line: line)
        return result
    }

    private func ingest(_ files: [String: [UInt8]]) throws {
        for (name, bytes) in files { try evidence.write(name, bytes) }
        try imprint(["case", "create", casePath, "--case-number", "C-1", "--examiner", "A. Examiner"])
        try imprint(["ingest", casePath, evidence.root, "--exhibit", "EX-1", "--quiet"])
    }

    private func matchFindings() throws -> [JSONValue] {
        let out = try imprint(["findings", casePath, "--label", "hashset.", "--json"]).stdout
        return out.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
    }

    private func makeNSRL(_ path: String, sha256: [String], sha1: [String] = []) throws {
        let db = try DatabaseQueue(path: path)
        try db.write { db in
            try db.execute(sql: """
                CREATE TABLE VERSION (version TEXT, build_set TEXT, build_date TEXT, release_date TEXT, description TEXT);
                INSERT INTO VERSION VALUES ('2024.03.1', 'Modern', '2024-03-01', '2024-03-15', 'fixture');
                CREATE TABLE FILE (sha256 TEXT, sha1 TEXT, md5 TEXT, crc32 TEXT, file_name TEXT, file_size INTEGER, package_id INTEGER);
                """)
            for hex in sha256 {
                try db.execute(sql: "INSERT INTO FILE VALUES (?, NULL, '00000000000000000000000000000000', '0', 'setup.png', 1, 7)",
                               arguments: [hex.uppercased()])
            }
            for hex in sha1 {
                try db.execute(sql: "INSERT INTO FILE VALUES (NULL, ?, NULL, '0', 'old.png', 1, 7)", arguments: [hex.uppercased()])
            }
        }
        try db.close()
    }

    func testKnownAndNotableSetsMatchBySHA256SHA1AndMD5WithTheirStrengths() throws {
        try ingest(["a.png": try PatternImages.png(pattern: 1), "b.png": try PatternImages.png(pattern: 2),
                    "c.png": try PatternImages.png(pattern: 3)])
        let sha1B = try value("sha1", of: "b.png")
        XCTAssertEqual(sha1B.count, 40, "SHA-1 is recorded at ingest")
        try makeNSRL(work.absolute("nsrl.db"), sha256: [try value("sha256", of: "a.png")])
        let vics = """
            {"@odata.context": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media",
             "value": [{"MediaID": 41, "Category": 1, "SHA1": "\(sha1B.uppercased())", "MD5": "\(try value("md5", of: "b.png").uppercased())"}]}
            """
        try work.write("vics.json", Array(vics.utf8))
        try work.write("md5.txt", Array("\(try value("md5", of: "c.png"))\n".utf8))

        XCTAssertTrue(try imprint(["hashset", "import", casePath, work.absolute("nsrl.db"), "--name", "NSRL"]).stdout
                        .contains("(nsrl, known): 1 record(s)"))
        XCTAssertTrue(try imprint(["hashset", "import", casePath, work.absolute("vics.json"), "--name", "VIC"]).stdout
                        .contains("(vics, notable): 2 record(s)"))
        try imprint(["hashset", "import", casePath, work.absolute("md5.txt"), "--name", "MD5 list", "--format", "md5"])
        try work.write("bad-map.json", Array("{\"categories\": {\"1\": 5}}".utf8))
        let badMap = try imprint(["match", casePath, "--category-map", work.absolute("bad-map.json")], status: 3)
        XCTAssertTrue(badMap.stderr.contains("category map"), badMap.stderr)
        XCTAssertEqual(try query("SELECT count(*) FROM analysis_runs WHERE kind = 'match'") as [Int], [0])
        try work.write("map.json", Array("{\"name\": \"US\", \"version\": \"2024-1\", \"categories\": {\"1\": \"Category one\"}}".utf8))
        let run = try imprint(["match", casePath, "--category-map", work.absolute("map.json")])
        XCTAssertTrue(run.stdout.contains("3 exact match(es) (1 known file(s))"), run.stdout)

        let findings = try matchFindings()
        func finding(_ path: String) throws -> JSONValue { try XCTUnwrap(findings.first { $0["path"]?.stringValue == path }) }
        XCTAssertEqual(findings.count, 3)
        XCTAssertEqual(try finding("a.png")["strength"]?.stringValue, "info")
        XCTAssertEqual(try finding("a.png")["details"]?["kind"]?.stringValue, "known")
        XCTAssertTrue(try finding("a.png")["summary"]?.stringValue?.contains("Known file") == true)
        XCTAssertEqual(try finding("a.png")["details"]?["setVersion"]?.stringValue, "2024.03.1")
        XCTAssertEqual(try finding("b.png")["strength"]?.stringValue, "conclusive")
        XCTAssertEqual(try finding("b.png")["details"]?["algorithms"], .array([.string("sha1"), .string("md5")]))
        XCTAssertEqual(try finding("b.png")["details"]?["categories"], .array([.string("1")]))
        XCTAssertEqual(try finding("b.png")["details"]?["categoryMapped"], .array([.string("Category one")]))
        XCTAssertEqual(try finding("b.png")["details"]?["categoryMap"]?["version"]?.stringValue, "2024-1")
        XCTAssertEqual(try finding("b.png")["details"]?["meta"]?["MediaID"]?.intValue, 41)
        XCTAssertEqual(try finding("c.png")["strength"]?.stringValue, "strong")
        XCTAssertTrue(try finding("c.png")["summary"]?.stringValue?.contains("MD5 is collision-broken") == true)
        try imprint(["verify", casePath, "--quiet"])
    }

    func testFilesWithoutSHA1AreNamedNotSilentlyMissed() throws {
        try ingest(["a.png": try PatternImages.png(pattern: 1)])
        let sha1 = try value("sha1", of: "a.png")
        // A row as an imprint before schema v6 recorded it: no SHA-1.
        try DatabaseQueue(path: casePath).write { db in
            try db.execute(sql: "DROP TRIGGER files_no_update; UPDATE files SET sha1 = NULL")
        }
        try makeNSRL(work.absolute("old.db"), sha256: [], sha1: [sha1])
        try imprint(["hashset", "import", casePath, work.absolute("old.db"), "--name", "NSRL", "--kind", "notable"])
        let run = try imprint(["match", casePath])
        XCTAssertTrue(run.stdout.contains("0 exact match(es)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("1 file(s) were recorded before imprint computed SHA-1"), run.stdout)
    }

    func testARotatedRepostNearMatchesThroughItsDihedralVariant() throws {
        try ingest(["repost.png": try PatternImages.rotatedPNG(pattern: 5), "other.png": try PatternImages.png(pattern: 6)])
        XCTAssertEqual(try query("SELECT count(*) FROM pdq_variants") as [Int], [2])
        // The PDQ of the upright original, as a hash list would carry it.
        let upright = try FixtureTree("hashset-kinds-upright")
        defer { upright.remove() }
        try upright.write("original.png", try PatternImages.png(pattern: 5))
        let other = work.absolute("upright.imprint")
        try imprint(["case", "create", other, "--case-number", "C-2", "--examiner", "B"])
        try imprint(["ingest", other, upright.root, "--exhibit", "EX-2", "--quiet"])
        let pdq = try XCTUnwrap((try query("SELECT pdq FROM perceptual_hashes", other) as [String]).first)
        let quality = try XCTUnwrap((try query("SELECT pdq_quality FROM perceptual_hashes", other) as [Int]).first)
        XCTAssertGreaterThanOrEqual(quality, 50)
        let stored: [String] = try query("SELECT pdq FROM perceptual_hashes h JOIN files f ON f.id = h.file_id WHERE f.path_text = 'repost.png'")
        let asStored = try XCTUnwrap(stored.first)
        XCTAssertGreaterThan(Self.distance(pdq, asStored), 31, "the rotation must defeat a plain PDQ comparison")
        try work.write("pdq.csv", Array("\(pdq),\(quality),notable-series\n".utf8))
        try imprint(["hashset", "import", casePath, work.absolute("pdq.csv"), "--name", "PDQ", "--format", "pdq"])

        let plain = try imprint(["match", casePath, "--no-dihedral"])
        XCTAssertTrue(plain.stdout.contains("0 PDQ near match(es)"), plain.stdout)
        let run = try imprint(["match", casePath])
        XCTAssertTrue(run.stdout.contains("1 PDQ near match(es) (threshold 31, 1 through a rotation or flip)"), run.stdout)
        let near = try XCTUnwrap(try matchFindings().first { $0["label"]?.stringValue == "hashset.near-match" })
        XCTAssertEqual(near["path"]?.stringValue, "repost.png")
        // The repost is the original turned counter-clockwise, so turning it clockwise matches.
        XCTAssertEqual(near["details"]?["variant"]?.stringValue, "rotate270")
        XCTAssertLessThanOrEqual(near["details"]?["distance"]?.intValue ?? 99, 31)
        XCTAssertTrue(near["summary"]?.stringValue?.contains("rotated 90° clockwise") == true, near.serialized())
        try imprint(["verify", casePath, "--quiet"])
    }

    static func gradientPNG() throws -> [UInt8] {
        let size = 64
        var pixels: [UInt8] = []
        for _ in 0..<size { for x in 0..<size { pixels += Array(repeating: UInt8(x * 4), count: 3) } }
        return try ImageEncoder.png(Raster(width: size, height: size, layout: .rgb, pixels: pixels))
    }

    static func distance(_ a: String, _ b: String) -> Int {
        guard let x = Hex.decode(a), let y = Hex.decode(b), x.count == y.count else { return Int.max }
        return zip(x, y).reduce(0) { $0 + ($1.0 ^ $1.1).nonzeroBitCount }
    }

    func testTagExportAndReimportRoundTripRecordedInCustodyAndVerified() throws {
        try ingest(["a.png": try PatternImages.png(pattern: 1), "b.png": try PatternImages.png(pattern: 2),
                    "c.png": try PatternImages.png(pattern: 3), "dup.png": try PatternImages.png(pattern: 1),
                    "grad.png": try Self.gradientPNG()])
        let shaA = try value("sha256", of: "a.png")
        // By SHA-256 (a.png and its copy dup.png) and by path.
        let tagged = try imprint(["tag", casePath, shaA, "b.png", "--tag", "confirmed", "--note", "reviewed by A"])
        XCTAssertTrue(tagged.stdout.contains("Tagged 'confirmed' on 3 file(s)"), tagged.stdout)
        XCTAssertTrue(try imprint(["tag", casePath, "b.png", "--tag", "confirmed"]).stdout.contains("Nothing changed"))
        let unknown = try imprint(["tag", casePath, "b.png", "missing.png", "--tag", "x"], status: 3)
        XCTAssertTrue(unknown.stderr.contains("missing.png"), unknown.stderr)
        XCTAssertEqual(try query("SELECT count(*) FROM tag_events WHERE tag = 'x'") as [Int], [0], "all or nothing")
        try imprint(["tag", casePath, "c.png", "--tag", "confirmed"])
        try imprint(["tag", casePath, "c.png", "--tag", "confirmed", "--remove"])
        XCTAssertTrue(try imprint(["tags", casePath]).stdout.contains("confirmed\t3 file(s)"))
        let listed = try imprint(["tags", casePath, "--tag", "confirmed", "--json"]).stdout.split(separator: "\n")
        XCTAssertEqual(listed.compactMap { try? JSONParser.parse(String($0)) }.compactMap { $0["path"]?.stringValue }.sorted(),
                       ["a.png", "b.png", "dup.png"])

        // Each format: deterministic, distinct values sorted, re-imported to the same set.
        var expected: [String: Set<String>] = [:]
        for format in ["md5", "sha1", "sha256"] {
            expected[format] = Set([try value(format, of: "a.png"), try value(format, of: "b.png")])
        }
        for format in ["md5", "sha1", "sha256", "pdq", "vics"] {
            let out = work.absolute("export.\(format)")
            try imprint(["hashset", "export", casePath, "--tag", "confirmed", "--format", format, "--out", out])
            let again = try imprint(["hashset", "export", casePath, "--tag", "confirmed", "--format", format])
            let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
            XCTAssertEqual(Data(again.stdout.utf8), bytes, "\(format) export is deterministic")
            try imprint(["hashset", "export", casePath, "--tag", "confirmed", "--format", format, "--out", out], status: 3)
            let importFormat = format == "vics" ? "auto" : format
            try imprint(["hashset", "import", casePath, out, "--name", "re-\(format)", "--format", importFormat])
            let values: [String] = try query("""
                SELECT lower(hex(e.value)) || coalesce(',' || e.quality, '') FROM hash_set_entries e JOIN hash_sets s ON s.id = e.set_id
                WHERE s.name = 're-\(format)' ORDER BY 1
                """)
            switch format {
            case "pdq":
                let rows: [String] = try query("""
                    SELECT DISTINCT h.pdq || ',' || h.pdq_quality FROM perceptual_hashes h JOIN files f ON f.id = h.file_id
                    WHERE f.path_text IN ('a.png', 'b.png') ORDER BY 1
                    """)
                XCTAssertEqual(values, rows)
                XCTAssertEqual(String(decoding: bytes, as: UTF8.self).split(separator: "\n").count, 2)
            case "vics":
                XCTAssertEqual(Set(values), expected["md5"]!.union(expected["sha1"]!))
            default:
                XCTAssertEqual(Set(values), expected[format])
                XCTAssertEqual(String(decoding: bytes, as: UTF8.self), expected[format]!.sorted().map { $0 + "\n" }.joined())
            }
        }
        // A low-quality PDQ (a smooth gradient) is left out of a PDQ export unless asked for.
        let gradient: [String] = try query("""
            SELECT h.pdq_quality || ',' || h.pdq FROM perceptual_hashes h JOIN files f ON f.id = h.file_id WHERE f.path_text = 'grad.png'
            """)
        let gradientQuality = Int(try XCTUnwrap(gradient.first).split(separator: ",")[0]) ?? 100
        XCTAssertLessThan(gradientQuality, 50)
        XCTAssertFalse(try XCTUnwrap(gradient.first).hasSuffix(String(repeating: "0", count: 64)))
        try imprint(["tag", casePath, "grad.png", "--tag", "low"])
        let low = try imprint(["hashset", "export", casePath, "--tag", "low", "--format", "pdq"])
        XCTAssertEqual(low.stdout, "")
        XCTAssertTrue(low.stderr.contains("1 low-quality PDQ"), low.stderr)
        let kept = try imprint(["hashset", "export", casePath, "--tag", "low", "--format", "pdq", "--include-low-quality"])
        XCTAssertTrue(kept.stdout.hasSuffix(",\(gradientQuality),imprint-f\(try value("CAST(id AS TEXT)", of: "grad.png"))\n"), kept.stdout)

        let typo = try imprint(["hashset", "export", casePath, "--tag", "confirmd", "--format", "md5"], status: 3)
        XCTAssertTrue(typo.stderr.contains("no file carries tag 'confirmd'"), typo.stderr)

        let named = try imprint(["hashset", "export", casePath, "--tag", "confirmed", "--format", "sha256", "--with-names"]).stdout
        XCTAssertTrue(named.contains("\(shaA)  EX-1/a.png\n\(shaA)  EX-1/dup.png\n"), named)
        XCTAssertFalse(try String(contentsOfFile: work.absolute("export.pdq"), encoding: .utf8).contains(".png"),
                       "no names unless asked")

        let custody = try imprint(["custody", casePath, "--json"]).stdout
        XCTAssertTrue(custody.contains("\"action\":\"tag.added\""), custody)
        XCTAssertTrue(custody.contains("\"action\":\"tag.removed\""), custody)
        let exportSHA = try XCTUnwrap(FixtureTree.sha256(ofFile: Array(work.absolute("export.md5").utf8)))
        XCTAssertTrue(custody.contains(exportSHA), "the export event carries the output's SHA-256")
        try imprint(["verify", casePath, "--quiet"])

        // A tag row removed behind imprint's back: the tag event and the exports that
        // depended on it no longer check.
        try DatabaseQueue(path: casePath).write { db in
            try db.execute(sql: "DROP TRIGGER tag_events_no_delete; DELETE FROM tag_events WHERE id = (SELECT min(id) FROM tag_events)")
        }
        let verify = try imprint(["verify", casePath, "--json"], status: 1)
        XCTAssertTrue(verify.stdout.contains("tags-mismatch"), verify.stdout)
        XCTAssertTrue(verify.stdout.contains("export-mismatch"), verify.stdout)
    }

    func testMalformedNSRLAndVICSFailClearlyAndRecordNothing() throws {
        try ingest(["a.png": try PatternImages.png(pattern: 1)])
        let events: [Int] = try query("SELECT count(*) FROM custody_events")
        try work.write("broken.json", Array("{\"value\": [{\"MD5\": \"d41d8cd98f00b204e9800998ecf8427e\"}, {\"MD5\": ".utf8))
        let vics = try imprint(["hashset", "import", casePath, work.absolute("broken.json"), "--name", "V"], status: 3)
        XCTAssertTrue(vics.stderr.contains("VICS JSON") && vics.stderr.contains("nothing was imported"), vics.stderr)
        let db = try DatabaseQueue(path: work.absolute("other.db"))
        try db.write { try $0.execute(sql: "CREATE TABLE FILE (md5 TEXT)") }
        try db.close()
        let nsrl = try imprint(["hashset", "import", casePath, work.absolute("other.db"), "--name", "N"], status: 3)
        XCTAssertTrue(nsrl.stderr.contains("RDSv3 minimal schema"), nsrl.stderr)
        XCTAssertEqual(try query("SELECT count(*) FROM hash_sets") as [Int], [0])
        XCTAssertEqual(try query("SELECT count(*) FROM hash_set_entries") as [Int], [0])
        XCTAssertEqual(try query("SELECT count(*) FROM custody_events") as [Int], events)
    }
}
