import Foundation
import GRDB
import ImprintBytes

/// Analysis runs and the recording of observed files.
extension CaseStore {
    public struct StartedRun: Sendable {
        public var runID: Int64
        /// Earlier runs of the same exhibit left `running` by a killed process.
        public var interruptedRunIDs: [Int64]
    }

    /// Starts an ingest run: marks runs a killed process left `running` as `interrupted`,
    /// records the analyzers with versions and parameters, and appends `ingest.started`.
    public func beginIngestRun(exhibit: Exhibit, actor: Actor, options: JSONValue,
                               analyzers: [AnalyzerDescriptor]) throws -> StartedRun {
        try pool.write { db in
            let stale = try Int64.fetchAll(db, sql: """
                SELECT id FROM analysis_runs WHERE exhibit_id = ? AND status = 'running' ORDER BY id
                """, arguments: [exhibit.id])
            let now = Timestamp.nowUTC()
            try db.execute(sql: """
                UPDATE analysis_runs SET status = 'interrupted', ended_at_utc = ?
                WHERE exhibit_id = ? AND status = 'running'
                """, arguments: [now, exhibit.id])
            let recorded = try Int64.fetchOne(db, sql: "SELECT count(*) FROM files WHERE exhibit_id = ?",
                                              arguments: [exhibit.id]) ?? 0
            try db.execute(sql: """
                INSERT INTO analysis_runs (kind, exhibit_id, started_at_utc, status, examiner, host, tool_version,
                                           options_json)
                VALUES ('ingest', ?, ?, 'running', ?, ?, ?, ?)
                """, arguments: [exhibit.id, now, actor.examiner, actor.host, actor.toolVersion, options.canonical()])
            let runID = db.lastInsertedRowID
            for (position, analyzer) in analyzers.enumerated() {
                try db.execute(sql: """
                    INSERT INTO run_analyzers (run_id, position, analyzer, version, parameters_json, model_sha256)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [runID, position, analyzer.id, analyzer.version, analyzer.parameters.canonical(),
                                     analyzer.modelSHA256])
            }
            _ = try appendCustody(db, actor: actor, action: "ingest.started", subject: exhibit.number, details: .object([
                "runId": .int(runID),
                "exhibitNumber": .string(exhibit.number),
                "rootPath": .string(exhibit.rootPathText),
                "filesAlreadyRecorded": .int(recorded),
                "resumesInterruptedRuns": .array(stale.map(JSONValue.int)),
                "analyzers": .array(analyzers.map(\.json)),
                "options": options,
            ]))
            return StartedRun(runID: runID, interruptedRunIDs: stale)
        }
    }

    /// Ends a run: records its status and summary, computes the exhibit's inventory and
    /// Merkle root from the file rows, and appends `ingest.completed` (or
    /// `ingest.interrupted`), all in one transaction.
    @discardableResult
    public func finishIngestRun(runID: Int64, exhibit: Exhibit, actor: Actor, completed: Bool,
                                summary: JSONValue) throws -> (CustodyEvent, ExhibitInventory) {
        try pool.write { db in
            let inventory = try Self.inventory(db, exhibitID: exhibit.id)
            try db.execute(sql: "UPDATE analysis_runs SET status = ?, ended_at_utc = ?, summary_json = ? WHERE id = ?",
                           arguments: [completed ? "completed" : "interrupted", Timestamp.nowUTC(),
                                       summary.canonical(), runID])
            let event = try appendCustody(
                db, actor: actor, action: completed ? "ingest.completed" : "ingest.interrupted", subject: exhibit.number,
                details: .object([
                    .init("runId", .int(runID)),
                    .init("exhibitNumber", .string(exhibit.number)),
                    .init("inventory", inventory.json),
                    .init("merkleRoot", .string(inventory.merkleRoot)),
                    .init("run", summary),
                ]))
            return (event, inventory)
        }
    }

    /// What is already recorded for these paths of an exhibit (one read for the batch).
    public func recordedFiles(exhibitID: Int64, paths: [[UInt8]]) throws -> [[UInt8]: RecordedFile] {
        if paths.isEmpty { return [:] }
        return try pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT f.id, f.kind, f.size, f.mtime_ns, f.ctime_ns, f.link_target, f.sha256, f.md5, f.status,
                       c.id AS c_id, c.entry_kind AS c_kind, c.size AS c_size, c.mtime_ns AS c_mtime_ns,
                       c.ctime_ns AS c_ctime_ns, c.link_target AS c_link_target
                FROM files f
                LEFT JOIN evidence_changes c ON c.id = (SELECT max(id) FROM evidence_changes WHERE file_id = f.id)
                WHERE f.exhibit_id = ? AND f.path = ?
                """)
            var found: [[UInt8]: RecordedFile] = [:]
            for path in paths {
                guard let row = try Row.fetchOne(statement, arguments: [exhibitID, Data(path)]) else { continue }
                found[path] = RecordedFile(
                    id: try row.decode(forColumn: "id"),
                    kind: FileKind(rawValue: Self.text(row["kind"])) ?? .unknown,
                    size: try row.decode(forColumn: "size"),
                    mtimeNs: try row.decode(forColumn: "mtime_ns"),
                    ctimeNs: try row.decode(forColumn: "ctime_ns"),
                    linkTarget: try row.decode(Data?.self, forColumn: "link_target").map { [UInt8]($0) },
                    sha256: try row.decode(forColumn: "sha256"),
                    md5: try row.decode(forColumn: "md5"),
                    status: Self.text(row["status"]),
                    lastChange: Int64.fromDatabaseValue(row["c_id"]) == nil ? nil : RecordedFile.ObservedState(
                        kind: Self.text(row["c_kind"]), size: Int64.fromDatabaseValue(row["c_size"]),
                        mtimeNs: Int64.fromDatabaseValue(row["c_mtime_ns"]), ctimeNs: Int64.fromDatabaseValue(row["c_ctime_ns"]),
                        linkTarget: Data.fromDatabaseValue(row["c_link_target"]).map { [UInt8]($0) }))
            }
            return found
        }
    }

    /// Records a batch of observed files (with their errors and findings) and detected
    /// evidence changes in one transaction.
    public func record(files: [ObservedFile], changes: [EvidenceChange], runID: Int64, exhibitID: Int64) async throws {
        try await pool.write { db in
            try Self.insert(db, files: files, changes: changes, runID: runID, exhibitID: exhibitID)
        }
    }

    static func insert(_ db: Database, files: [ObservedFile], changes: [EvidenceChange], runID: Int64,
                       exhibitID: Int64) throws {
        let now = Timestamp.nowUTC()
        let fileInsert = try db.cachedStatement(sql: """
            INSERT INTO files (exhibit_id, path, path_text, kind, link_target, size, mode, uid, gid, inode, nlink,
                               mtime_ns, ctime_ns, atime_ns, sha256, md5, format, status, run_id, recorded_at_utc, sha1)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let errorInsert = try db.cachedStatement(sql: """
            INSERT INTO file_errors (file_id, run_id, stage, analyzer, code, message) VALUES (?, ?, ?, ?, ?, ?)
            """)
        let findingInsert = try db.cachedStatement(sql: """
            INSERT INTO findings (file_id, run_id, analyzer, analyzer_version, category, label, strength, score,
                                  summary, details_json, location_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let metadataInsert = try db.cachedStatement(sql: """
            INSERT INTO file_metadata (file_id, width, height, structure_json, metadata_json) VALUES (?, ?, ?, ?, ?)
            """)
        let hashInsert = try db.cachedStatement(sql: """
            INSERT INTO perceptual_hashes (file_id, pdq, pdq_quality, phash, dhash) VALUES (?, ?, ?, ?, ?)
            """)
        for file in files {
            let s = file.stat
            try fileInsert.execute(arguments: [
                exhibitID, Data(file.path), file.pathText, s.kind.rawValue, file.linkTarget.map { Data($0) },
                s.size, Int64(s.mode), Int64(s.uid), Int64(s.gid), Int64(bitPattern: s.inode),
                Int64(bitPattern: s.nlink), s.mtimeNs, s.ctimeNs, s.atimeNs, file.sha256, file.md5, file.format,
                file.status, runID, now, file.sha1,
            ])
            let fileID = db.lastInsertedRowID
            if file.metadata != nil || file.structure != nil || file.width != nil {
                try metadataInsert.execute(arguments: [fileID, file.width, file.height, file.structure?.serialized(),
                                                       file.metadata?.serialized()])
            }
            if let hashes = file.perceptualHashes {
                try hashInsert.execute(arguments: [fileID, hashes.pdq, hashes.pdqQuality, hashes.phash, hashes.dhash])
                try PDQVariantColumns.insert(db, fileID: fileID, variants: hashes.pdqVariants)
            }
            for error in file.errors {
                try errorInsert.execute(arguments: [fileID, runID, error.stage, error.analyzer, error.code, error.message])
            }
            for finding in file.findings {
                try findingInsert.execute(arguments: [
                    fileID, runID, finding.analyzer, finding.analyzerVersion, finding.category.rawValue, finding.label,
                    finding.strength.rawValue, finding.score, finding.summary, finding.details.canonical(),
                    finding.location?.canonical(),
                ])
            }
        }
        let changeInsert = try db.cachedStatement(sql: """
            INSERT INTO evidence_changes (file_id, run_id, observed_at_utc, kind, entry_kind, size, mtime_ns, ctime_ns,
                                          sha256, md5, link_target, description)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for change in changes {
            try changeInsert.execute(arguments: [change.fileID, runID, now, change.kind, change.entryKind.rawValue,
                                                 change.size, change.mtimeNs,
                                                 change.ctimeNs, change.sha256, change.md5,
                                                 change.linkTarget.map { Data($0) }, change.description])
        }
    }

    /// Totals and the RFC 6962 Merkle root over the exhibit's hashed regular files.
    /// With `upToRun`, only the rows recorded by that run and earlier ones: exactly what an
    /// `ingest.completed` event of that run committed to.
    public func inventory(exhibitID: Int64, upToRun: Int64? = nil) throws -> ExhibitInventory {
        try pool.read { db in try Self.inventory(db, exhibitID: exhibitID, upToRun: upToRun) }
    }

    static func inventory(_ db: Database, exhibitID: Int64, upToRun: Int64? = nil) throws -> ExhibitInventory {
        var inventory = ExhibitInventory(files: 0, regularFiles: 0, hashedFiles: 0, links: 0, otherEntries: 0,
                                         unreadable: 0, bytes: 0, merkleRoot: "", malformedRows: [])
        var leafHashes: [[UInt8]] = []
        // BLOB ordering in SQLite is memcmp: exactly the path-byte order the tree requires.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT path, path_text, kind, size, sha256, status FROM files
            WHERE exhibit_id = ? AND run_id <= ? ORDER BY path
            """, arguments: [exhibitID, upToRun ?? Int64.max])
        while let row = try rows.next() {
            inventory.files += 1
            let kind = text(row["kind"])
            let size = Int64.fromDatabaseValue(row["size"]) ?? -1
            switch kind {
            case FileKind.file.rawValue:
                inventory.regularFiles += 1
                inventory.bytes += max(size, 0)
            case FileKind.symlink.rawValue: inventory.links += 1
            default: inventory.otherEntries += 1
            }
            if text(row["status"]) == "error" { inventory.unreadable += 1 }
            let shaText: String? = String.fromDatabaseValue(row["sha256"])
            guard kind == FileKind.file.rawValue, let shaText else { continue }
            let path = Data.fromDatabaseValue(row["path"]).map { [UInt8]($0) } ?? Array(text(row["path"]).utf8)
            guard let digest = Hex.decode(shaText), digest.count == 32 else {
                inventory.malformedRows.append(text(row["path_text"]))
                // Still commit to what is stored, so the root differs from the recorded one.
                leafHashes.append(MerkleTree.leafHash(.init(path: path, size: size, sha256: Array(shaText.utf8))))
                continue
            }
            inventory.hashedFiles += 1
            leafHashes.append(MerkleTree.leafHash(.init(path: path, size: size, sha256: digest)))
        }
        inventory.merkleRoot = Hex.encode(MerkleTree.root(ofLeafHashes: leafHashes))
        return inventory
    }

    /// Number of file rows recorded for an exhibit.
    public func fileCount(exhibitID: Int64) throws -> Int64 {
        try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT count(*) FROM files WHERE exhibit_id = ?", arguments: [exhibitID]) ?? 0
        }
    }
}
