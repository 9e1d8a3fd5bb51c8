import Foundation
import GRDB
import ImprintBytes

/// The case database: one SQLite file (WAL, foreign keys, `synchronous=FULL`) holding the
/// case, its exhibits, every recorded file, findings, analysis runs and the custody log.
///
/// All writes go through this type. Within one process there is a single writer (GRDB
/// serialises writes on the pool); each write is one transaction, so a crash loses at
/// most the batch in flight and never leaves a half-written record.
public final class CaseStore: Sendable {
    public let path: String
    let pool: DatabasePool

    private init(path: String, pool: DatabasePool) {
        self.path = path
        self.pool = pool
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            // FULL: a committed transaction survives power loss, custody writes included.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return config
    }

    /// Creates a new case file, atomically: the database is built under a temporary name
    /// in the same folder and linked into place only when complete, so a crash never
    /// leaves a half-made case, and an existing file is never overwritten (link(2) fails
    /// if the name exists). The file is created with owner-only permissions.
    public static func create(at path: String, case newCase: NewCase, actor: Actor) throws -> CaseStore {
        if access(path, F_OK) == 0 { throw CaseError.alreadyExists(path) }
        let folder = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        let temporary = (folder.isEmpty ? "" : folder) + "/.imprint-creating-" + UUID().uuidString.lowercased()
        let fd = Foundation.open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError(operation: "create a case file in \(folder)", errno: errno) }
        close(fd)
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
        }
        do {
            // A rollback-journal connection for the build, so that after close() the case is
            // one self-contained file (a WAL would live beside it under the temporary name).
            let queue = try DatabaseQueue(path: temporary, configuration: configuration())
            try Schema.migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
                try db.execute(sql: "PRAGMA user_version = \(Schema.version)")
                try insertCaseInfo(db, newCase: newCase, actor: actor)
            }
            try queue.close()
        }
        if link(temporary, path) != 0 {
            if errno == EEXIST { throw CaseError.alreadyExists(path) }
            throw SystemError(operation: "create \(path)", errno: errno)
        }
        return try open(at: path)
    }

    private static func insertCaseInfo(_ db: Database, newCase: NewCase, actor: Actor) throws {
        let info = CaseInfo(caseUUID: UUID().uuidString.lowercased(), caseNumber: newCase.caseNumber,
                            title: newCase.title, agency: newCase.agency, authorization: newCase.authorization,
                            examiner: newCase.examiner, createdAtUTC: Timestamp.nowUTC(), toolVersion: actor.toolVersion)
        try db.execute(sql: """
            INSERT INTO case_info (id, case_uuid, case_number, title, agency, authorization, examiner,
                                   created_at_utc, tool_version)
            VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [info.caseUUID, info.caseNumber, info.title, info.agency, info.authorization,
                             info.examiner, info.createdAtUTC, info.toolVersion])
        _ = try appendCustody(db, actor: actor, action: "case.created", subject: info.caseNumber,
                              details: .object([
                                  "caseUuid": .string(info.caseUUID),
                                  "caseNumber": .string(info.caseNumber),
                                  "title": info.title.map(JSONValue.string),
                                  "agency": info.agency.map(JSONValue.string),
                                  "authorization": info.authorization.map(JSONValue.string),
                                  "examiner": .string(info.examiner),
                                  "schemaVersion": .integer(Schema.version),
                              ]))
    }

    /// Opens an existing case file. Files that are not imprint cases are refused before
    /// SQLite touches them; a case written by a newer schema is refused with a clear
    /// message. `readOnly` opens for reading only (listing commands never write).
    public static func open(at path: String, readOnly: Bool = false) throws -> CaseStore {
        let userVersion = try checkHeader(path)
        if userVersion > Schema.version {
            throw CaseError.newerSchema(path: path, detail: "schema version \(userVersion), this build knows \(Schema.version)")
        }
        var config = configuration()
        config.readonly = readOnly
        let pool = try DatabasePool(path: path, configuration: config)
        let migrator = Schema.migrator
        let (unknown, complete) = try pool.read { db in
            (try migrator.appliedIdentifiers(db).subtracting(migrator.migrations), try migrator.hasCompletedMigrations(db))
        }
        if !unknown.isEmpty {
            throw CaseError.newerSchema(path: path, detail: "schema steps \(unknown.sorted().joined(separator: ", "))")
        }
        if !complete {
            guard !readOnly else { throw CaseError.needsUpgrade(path) }
            try migrator.migrate(pool)
            try pool.write { db in try db.execute(sql: "PRAGMA user_version = \(Schema.version)") }
        }
        let store = CaseStore(path: path, pool: pool)
        guard try pool.read({ db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_info") ?? 0 }) == 1 else {
            throw CaseError.notInitialised(path)
        }
        return store
    }

    /// Reads the SQLite header directly: magic string, `user_version` (offset 60) and
    /// `application_id` (offset 68). Returns the user version.
    private static func checkHeader(_ path: String) throws -> Int {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { throw CaseError.notFound(path) }
            throw SystemError(operation: "open \(path)", errno: errno)
        }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 100)
        let count = header.withUnsafeMutableBytes { read(fd, $0.baseAddress, 100) }
        guard count == 100, header.starts(with: Array("SQLite format 3\u{0}".utf8)) else {
            throw CaseError.notACaseFile(path)
        }
        var reader = ByteReader(header)
        try reader.skip(60)
        let userVersion = Int(Int32(bitPattern: try reader.readUInt32BE()))
        try reader.skip(4)
        let applicationID = Int32(bitPattern: try reader.readUInt32BE())
        guard applicationID == Schema.applicationID else { throw CaseError.notACaseFile(path) }
        return userVersion
    }

    // MARK: - Case

    public func caseInfo() throws -> CaseInfo {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM case_info WHERE id = 1") else {
                throw CaseError.notInitialised(path)
            }
            return CaseInfo(caseUUID: try row.decode(forColumn: "case_uuid"),
                            caseNumber: try row.decode(forColumn: "case_number"),
                            title: try row.decode(forColumn: "title"),
                            agency: try row.decode(forColumn: "agency"),
                            authorization: try row.decode(forColumn: "authorization"),
                            examiner: try row.decode(forColumn: "examiner"),
                            createdAtUTC: try row.decode(forColumn: "created_at_utc"),
                            toolVersion: try row.decode(forColumn: "tool_version"))
        }
    }

    // MARK: - Custody

    /// Appends a custody event in its own transaction.
    @discardableResult
    public func appendCustody(actor: Actor, action: String, subject: String, details: JSONValue) throws -> CustodyEvent {
        try pool.write { db in try appendCustody(db, actor: actor, action: action, subject: subject, details: details) }
    }

    /// Appends a custody event inside the caller's transaction, chained to the last one.
    func appendCustody(_ db: Database, actor: Actor, action: String, subject: String, details: JSONValue) throws -> CustodyEvent {
        try Self.appendCustody(db, actor: actor, action: action, subject: subject, details: details)
    }

    static func appendCustody(_ db: Database, actor: Actor, action: String, subject: String, details: JSONValue) throws -> CustodyEvent {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM custody_events ORDER BY seq DESC LIMIT 1")
        let lastSeq: Int64 = last.flatMap { Int64.fromDatabaseValue($0["seq"]) } ?? 0
        let prevHash = last.map { Self.text($0["hash"]) } ?? CustodyEvent.genesisPrevHash
        var event = CustodyEvent(seq: lastSeq + 1, atUTC: Timestamp.nowUTC(), examiner: actor.examiner, host: actor.host,
                                 toolVersion: actor.toolVersion, action: action, subject: subject,
                                 detailsJSON: details.canonical(), prevHash: prevHash, hash: "")
        event.hash = event.expectedHash
        try db.execute(sql: """
            INSERT INTO custody_events (seq, at_utc, examiner, host, tool_version, action, subject, details_json,
                                        prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [event.seq, event.atUTC, event.examiner, event.host, event.toolVersion, event.action,
                             event.subject, event.detailsJSON, event.prevHash, event.hash])
        return event
    }

    /// Every custody event in order. Values are read as text whatever their stored type,
    /// so a tampered row is shown (and caught by verification), never a crash.
    public func custodyEvents() throws -> [CustodyEvent] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM custody_events ORDER BY seq").map { row in
                CustodyEvent(seq: Int64.fromDatabaseValue(row["seq"]) ?? -1, atUTC: Self.text(row["at_utc"]),
                             examiner: Self.text(row["examiner"]), host: Self.text(row["host"]),
                             toolVersion: Self.text(row["tool_version"]), action: Self.text(row["action"]),
                             subject: Self.text(row["subject"]), detailsJSON: Self.text(row["details_json"]),
                             prevHash: Self.text(row["prev_hash"]), hash: Self.text(row["hash"]))
            }
        }
    }

    /// Any stored value as text (NULL as ""), never trapping on an unexpected type.
    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return ""
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .blob(let data): return String(decoding: data, as: UTF8.self)
        }
    }

    // MARK: - Exhibits

    public func exhibit(number: String) throws -> Exhibit? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM exhibits WHERE exhibit_number = ?", arguments: [number])
                .map(Self.exhibit(from:))
        }
    }

    public func exhibits() throws -> [Exhibit] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM exhibits ORDER BY id").map(Self.exhibit(from:))
        }
    }

    private static func exhibit(from row: Row) throws -> Exhibit {
        Exhibit(id: try row.decode(forColumn: "id"), number: try row.decode(forColumn: "exhibit_number"),
                rootPath: [UInt8](try row.decode(Data.self, forColumn: "root_path")),
                rootPathText: try row.decode(forColumn: "root_path_text"),
                description: try row.decode(forColumn: "description"),
                registeredAtUTC: try row.decode(forColumn: "registered_at_utc"))
    }

    /// Registers an exhibit, or returns it when already registered with the same root.
    public func registerExhibit(number: String, rootPath: [UInt8], description: String?, actor: Actor) throws -> Exhibit {
        if let existing = try exhibit(number: number) {
            guard existing.rootPath == rootPath else {
                throw CaseError.exhibitRootMismatch(exhibit: number, recorded: existing.rootPathText,
                                                    given: PathBytes.display(rootPath))
            }
            return existing
        }
        let rootText = PathBytes.display(rootPath)
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO exhibits (exhibit_number, root_path, root_path_text, description, registered_at_utc)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [number, Data(rootPath), rootText, description, Timestamp.nowUTC()])
            _ = try appendCustody(db, actor: actor, action: "exhibit.registered", subject: number,
                                  details: .object(["exhibitNumber": .string(number), "rootPath": .string(rootText),
                                                    "description": description.map(JSONValue.string)]))
        }
        guard let registered = try exhibit(number: number) else {
            throw CaseError.corruptRow(table: "exhibits", detail: "exhibit \(number) vanished after insert")
        }
        return registered
    }
}

/// A failed system call, with the operation and the OS's own words.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var errno: Int32
    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }
    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}
