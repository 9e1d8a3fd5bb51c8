import Foundation
import GRDB
import XCTest
@testable import ImprintCase
import ImprintBytes
import ImprintTestSupport

/// NSRL RDSv3 and VICS import through `CaseStore`, on fixtures made here: what is read,
/// what a set's kind is, what a malformed source leaves behind (nothing), and what
/// `verifyHashSetsAndTags` notices.
final class HashSetFormatsTests: XCTestCase {
    private var folder: FixtureTree!
    private var casePath: String { folder.absolute("case.imprint") }
    private let actor = Actor(examiner: "A. Examiner", host: "test-host", toolVersion: "imprint test")

    override func setUpWithError() throws { folder = try FixtureTree("hashset-formats") }
    override func tearDown() { folder?.remove() }

    private func makeStore() throws -> CaseStore {
        try CaseStore.create(at: casePath, case: NewCase(caseNumber: "C-7", examiner: "A. Examiner"), actor: actor)
    }

    private func query<T: DatabaseValueConvertible>(_ sql: String) throws -> [T] {
        try DatabaseQueue(path: casePath).read { try T.fetchAll($0, sql: sql) }
    }

    static func hex(_ n: Int, bytes: Int) -> String {
        var out = ""
        var state = UInt64(n) &* 0x9E37_79B9_7F4A_7C15 | 1
        while out.count < bytes * 2 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            out += String(format: "%016llX", state)
        }
        return String(out.prefix(bytes * 2))
    }

    /// An RDSv3 "minimal"-shaped database: VERSION, PKG and FILE with uppercase hex.
    static func makeNSRL(at path: String, rows: [(sha256: String?, sha1: String?, md5: String?, name: String)],
                         fileColumns: String = "sha256 TEXT, sha1 TEXT, md5 TEXT, crc32 TEXT, file_name TEXT, file_size INTEGER, package_id INTEGER") throws {
        let db = try DatabaseQueue(path: path)
        try db.write { db in
            try db.execute(sql: """
                CREATE TABLE VERSION (version TEXT, build_set TEXT, build_date TEXT, release_date TEXT, description TEXT);
                INSERT INTO VERSION VALUES ('2024.03.1', 'Modern', '2024-03-01', '2024-03-15', 'fixture');
                CREATE TABLE PKG (package_id INTEGER PRIMARY KEY, name TEXT, version TEXT);
                INSERT INTO PKG VALUES (1, 'Office', '1.0');
                CREATE TABLE FILE (\(fileColumns));
                """)
            if fileColumns.contains("sha256") {
                for (i, row) in rows.enumerated() {
                    try db.execute(sql: "INSERT INTO FILE (sha256, sha1, md5, file_name, file_size, package_id) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [row.sha256, row.sha1, row.md5, row.name, 100 + i, 1])
                }
            }
        }
        try db.close()
    }

    func testNSRLImportIsKnownReadOnlyAndTakesTheStrongestHash() throws {
        let store = try makeStore()
        let nsrl = folder.absolute("RDS_2024.03.1_modern_minimal.db")
        let sha256 = Self.hex(1, bytes: 32), sha1 = Self.hex(2, bytes: 20), md5 = Self.hex(3, bytes: 16)
        try Self.makeNSRL(at: nsrl, rows: [
            (sha256, sha1, md5, "a.dll"),
            (nil, sha1.lowercased(), md5, "b.dll"),   // no SHA-256: SHA-1
            ("", "", md5, "c.dll"),                   // MD5 only
            ("XYZ", nil, nil, "bad.dll"),             // malformed
            (nil, nil, nil, "empty.dll"),             // nothing
            (Self.hex(4, bytes: 32), nil, nil, "we\"ird\\näme\u{1}.dll"),  // a name that needs escaping
        ])
        let before = FixtureTree.sha256(ofFile: Array(nsrl.utf8))
        let result = try store.importHashSet(path: nsrl, name: "NSRL", format: .auto, actor: actor)
        XCTAssertEqual(result.format, .nsrl)
        XCTAssertEqual(result.kind, .known)
        XCTAssertEqual(result.recordCount, 4)
        XCTAssertEqual(result.invalidLines, 2)
        XCTAssertEqual(result.invalidSamples.map(\.line), [4, 5])
        XCTAssertEqual(result.sourceSHA256, before)
        XCTAssertEqual(FixtureTree.sha256(ofFile: Array(nsrl.utf8)), before, "the NSRL database must not be written")
        XCTAssertEqual(try query("SELECT algorithm FROM hash_set_entries ORDER BY algorithm") as [String], ["md5", "sha1", "sha256", "sha256"])
        XCTAssertEqual(try query("SELECT version FROM hash_sets") as [String], ["2024.03.1"])
        XCTAssertEqual(try query("SELECT kind FROM hash_sets") as [String], ["known"])
        let hit = try XCTUnwrap(store.hashSetEntries(algorithm: "sha256", hex: sha256.lowercased()).first)
        XCTAssertEqual(hit.kind, .known)
        XCTAssertEqual(hit.meta, JSONValue.object(["fileName": .string("a.dll"), "fileSize": .int(100), "packageId": .int(1)]).canonical())
        let weird = try XCTUnwrap(store.hashSetEntries(algorithm: "sha256", hex: Self.hex(4, bytes: 32)).first)
        XCTAssertEqual(weird.meta, JSONValue.object(["fileName": .string("we\"ird\\näme\u{1}.dll"), "fileSize": .int(105),
                                                     "packageId": .int(1)]).canonical())
        XCTAssertEqual(try store.hashSetEntries(algorithm: "sha1", hex: sha1).count, 1)
        XCTAssertEqual(try store.verifyHashSetsAndTags(events: store.custodyEvents()), [])

        // --kind overrides the format's default.
        let notable = try store.importHashSet(path: nsrl, name: "NSRL as notable", format: .nsrl, kind: .notable, actor: actor)
        XCTAssertEqual(notable.kind, .notable)
    }

    func testNSRLWithAnotherSchemaOrNotSQLiteIsRefusedAndLeavesNothing() throws {
        let store = try makeStore()
        let odd = folder.absolute("odd.db")
        try Self.makeNSRL(at: odd, rows: [], fileColumns: "hash TEXT, name TEXT")
        XCTAssertThrowsError(try store.importHashSet(path: odd, name: "Odd", format: .nsrl, actor: actor)) { error in
            XCTAssertTrue(String(describing: error).contains("missing sha256, sha1, md5, file_name, file_size, package_id"), "\(error)")
        }
        _ = try folder.write("text.db", Array("not a database\n".utf8))
        XCTAssertThrowsError(try store.importHashSet(path: folder.absolute("text.db"), name: "T", format: .nsrl, actor: actor)) { error in
            XCTAssertTrue(String(describing: error).contains("no SQLite header"), "\(error)")
        }
        // A SQLite header over garbage: SQLite's own error, reported, nothing kept.
        _ = try folder.write("broken.db", Array("SQLite format 3\u{0}".utf8) + [UInt8](repeating: 0x41, count: 2000))
        XCTAssertThrowsError(try store.importHashSet(path: folder.absolute("broken.db"), name: "B", format: .auto, actor: actor))
        XCTAssertEqual(try query("SELECT count(*) FROM hash_sets") as [Int], [0])
        XCTAssertEqual(try query("SELECT count(*) FROM hash_set_entries") as [Int], [0])
        XCTAssertEqual(try store.custodyEvents().map(\.action), ["case.created"])
    }

    func testVICSShapesAStreamsMediaAndKeepsMetadata() throws {
        let store = try makeStore()
        let md5 = Self.hex(10, bytes: 16), sha1 = Self.hex(11, bytes: 20)
        let json = """
            \u{FEFF}{"@odata.context": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media",
             "value": [
              {"MediaID": 1, "Category": 2, "MD5": "\(md5)", "SHA1": "\(sha1)", "PhotoDNA": "QUJD",
               "VictimIdentified": "true", "Series": {"Name": "S-1"}, "Tags": ["a", "b"], "Unknown\\u0041": [1, {"x": "}]"}]},
              {"MediaID": 2, "Category": null, "md5": "\(Self.hex(12, bytes: 16).lowercased())"},
              {"MediaID": 3, "MD5": "12345"},
              {"MediaID": 4},
              "not an object"
             ]}
            """
        _ = try folder.write("vics.json", Array(json.utf8))
        let result = try store.importHashSet(path: folder.absolute("vics.json"), name: "VIC", format: .auto, actor: actor)
        XCTAssertEqual(result.format, .vics)
        XCTAssertEqual(result.kind, .notable)
        XCTAssertEqual(result.recordCount, 3)  // MD5 + SHA1 of media 1, MD5 of media 2
        XCTAssertEqual(result.invalidLines, 3)
        XCTAssertEqual(result.sourceInfo["photoDNAValuesNotStored"]?.intValue, 1)
        XCTAssertEqual(result.sourceInfo["mediaRecords"]?.intValue, 5)
        let hit = try XCTUnwrap(store.hashSetEntries(algorithm: "sha1", hex: sha1.lowercased()).first)
        XCTAssertEqual(hit.category, "2")
        let meta = try JSONParser.parse(try XCTUnwrap(hit.meta))
        XCTAssertEqual(meta["Series"]?["Name"]?.stringValue, "S-1")
        XCTAssertEqual(meta["UnknownA"]?.arrayValue?.count, 2, "unknown fields are preserved")
        XCTAssertNil(meta["PhotoDNA"])
        XCTAssertNil(meta["MD5"])
        XCTAssertEqual(try store.hashSetEntries(algorithm: "md5", hex: md5).count, 1)
        XCTAssertEqual(try store.verifyHashSetsAndTags(events: store.custodyEvents()), [])
    }

    func testVICSShapeBCasesAndOlderHeader() throws {
        let store = try makeStore()
        let json = """
            {"odata.metadata": "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Cases", "value": [
              {"CaseID": 9, "CaseNumber": "K-9", "Media": [
                {"MediaID": 1, "MD5": "\(Self.hex(20, bytes: 16))", "Category": "1"},
                {"MediaID": 2, "SHA1": "\(Self.hex(21, bytes: 20))"}]},
              {"CaseID": 10, "Media": []}
            ]}
            """
        _ = try folder.write("cases.json", Array(json.utf8))
        let result = try store.importHashSet(path: folder.absolute("cases.json"), name: "Cases", format: .vics, actor: actor)
        XCTAssertEqual(result.recordCount, 2)
        XCTAssertEqual(result.sourceInfo["cases"]?.intValue, 2)
        let hit = try XCTUnwrap(store.hashSetEntries(algorithm: "md5", hex: Self.hex(20, bytes: 16)).first)
        XCTAssertEqual(try JSONParser.parse(try XCTUnwrap(hit.meta))["_case"]?["CaseNumber"]?.stringValue, "K-9")
        XCTAssertEqual(hit.category, "1")
    }

    func testMalformedVICSIsRefusedWithItsOffsetAndLeavesNothing() throws {
        let store = try makeStore()
        let many = (0..<60_000).map { "{\"MediaID\": \($0), \"MD5\": \"\(Self.hex($0, bytes: 16))\"}" }.joined(separator: ",")
        let cases: [(String, String)] = [
            ("truncated.json", "{\"value\": [\(many), {\"MD5\": \"ab"),       // cut after a full batch was written
            ("noarray.json", "{\"@odata.context\": \"x\", \"items\": []}"),
            ("array.json", "[{\"MD5\": \"\(Self.hex(1, bytes: 16))\"}]"),
            ("trailing.json", "{\"value\": []} {"),
            ("badvalue.json", "{\"value\": [{\"MD5\": tru}]}"),
        ]
        for (name, text) in cases {
            _ = try folder.write(name, Array(text.utf8))
            XCTAssertThrowsError(try store.importHashSet(path: folder.absolute(name), name: name, format: .vics, actor: actor),
                                 name) { error in
                XCTAssertTrue(String(describing: error).contains("nothing was imported"), "\(name): \(error)")
            }
        }
        XCTAssertEqual(try query("SELECT count(*) FROM hash_sets") as [Int], [0])
        XCTAssertEqual(try query("SELECT count(*) FROM hash_set_entries") as [Int], [0])
        XCTAssertEqual(try store.custodyEvents().map(\.action), ["case.created"])
    }

    func testVerifyNamesEditedEntriesAndUnrecordedSets() throws {
        let store = try makeStore()
        _ = try folder.write("list.txt", Array("\(Self.hex(5, bytes: 16))\n\(Self.hex(6, bytes: 16))\n".utf8))
        _ = try store.importHashSet(path: folder.absolute("list.txt"), name: "L", format: .md5, actor: actor)
        XCTAssertEqual(try store.verifyHashSetsAndTags(events: store.custodyEvents()), [])
        try DatabaseQueue(path: casePath).write { db in
            try db.execute(sql: "UPDATE hash_set_entries SET value = x'00112233445566778899aabbccddeeff' WHERE rowid = 1")
            try db.execute(sql: """
                INSERT INTO hash_sets (name, format, source_sha256, record_count, invalid_lines, imported_at_utc)
                VALUES ('planted', 'md5', 'ab', 0, 0, 'x')
                """)
        }
        let codes = try store.verifyHashSetsAndTags(events: store.custodyEvents()).map(\.code)
        XCTAssertEqual(codes, ["hashset-mismatch", "hashset-unaccounted"])
    }

    func testASetLeftByAKilledImportIsNeverMatchedNorFlagged() throws {
        let store = try makeStore()
        let md5 = Self.hex(30, bytes: 16)
        // What a process killed between batches leaves: the set row without a source
        // SHA-256, some entries, no custody event.
        try DatabaseQueue(path: casePath).write { db in
            try db.execute(sql: """
                INSERT INTO hash_sets (name, format, source_sha256, record_count, invalid_lines, imported_at_utc)
                VALUES ('killed', 'md5', '', 0, 0, 'x')
                """)
            try db.execute(sql: "INSERT INTO hash_set_entries (set_id, algorithm, value) VALUES (1, 'md5', ?)",
                           arguments: [Data(try XCTUnwrap(Hex.decode(md5)))])
        }
        XCTAssertEqual(try store.hashSetEntries(algorithm: "md5", hex: md5).count, 0)
        XCTAssertEqual(try store.hashSetAlgorithms(), [])
        XCTAssertEqual(try store.verifyHashSetsAndTags(events: store.custodyEvents()), [])
    }

    func testACaseFromSchemaV5IsUpgradedInPlace() throws {
        // A case as imprint wrote it before migration 6, with a hash set.
        let queue = try DatabaseQueue(path: casePath)
        var migrator = Schema.migrator
        migrator.eraseDatabaseOnSchemaChange = false
        try migrator.migrate(queue, upTo: "v5-hash-sets")
        try queue.write { db in
            try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
            try db.execute(sql: "PRAGMA user_version = 5")
            try db.execute(sql: """
                INSERT INTO case_info (id, case_uuid, case_number, examiner, created_at_utc, tool_version)
                VALUES (1, 'u', 'OLD-1', 'A. Examiner', '2026-01-01T00:00:00.000Z', 'imprint 0.1.0');
                INSERT INTO hash_sets (name, format, source_sha256, record_count, invalid_lines, imported_at_utc)
                VALUES ('old list', 'md5', 'ab', 0, 0, 'x');
                """)
        }
        try queue.close()
        let store = try CaseStore.open(at: casePath)
        let (kind, hasSHA1, tables): (String?, Bool, [String]) = try DatabaseQueue(path: casePath).read { db in
            (try String.fetchOne(db, sql: "SELECT kind FROM hash_sets"),
             try db.columns(in: "files").contains { $0.name == "sha1" },
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name IN ('tag_events', 'pdq_variants') ORDER BY name"))
        }
        XCTAssertEqual(kind, "notable")
        XCTAssertTrue(hasSHA1)
        XCTAssertEqual(tables, ["pdq_variants", "tag_events"])
        XCTAssertEqual(try DatabaseQueue(path: casePath).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }, Schema.version)
        _ = store
    }

    func testAutoDetection() throws {
        _ = try folder.write("a.json", Array("\u{FEFF}  \n{\"value\": []}".utf8))
        _ = try folder.write("b.txt", Array("d41d8cd98f00b204e9800998ecf8427e\n".utf8))
        XCTAssertEqual(try HashSetFormatDetector.detect(path: folder.absolute("a.json")), .vics)
        XCTAssertEqual(try HashSetFormatDetector.detect(path: folder.absolute("b.txt")), .auto)
        XCTAssertThrowsError(try HashSetFormatDetector.detect(path: folder.absolute("missing")))
    }
}
