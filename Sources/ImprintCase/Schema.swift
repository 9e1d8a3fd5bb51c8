import GRDB

/// The case database schema as an ordered list of migrations (docs/case-database.md).
/// A migration, once released, is never edited: schema changes are new migrations.
enum Schema {
    /// `PRAGMA application_id`: "IMPR". Marks a SQLite file as an imprint case.
    static let applicationID: Int32 = 0x494D_5052

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try v1Foundation(db)
            try v1Immutability(db)
        }
        migrator.registerMigration("v2-metadata", migrate: v2Metadata)
        migrator.registerMigration("v3-perceptual-hashes", migrate: v3PerceptualHashes)
        migrator.registerMigration("v4-clusters", migrate: v4Clusters)
        migrator.registerMigration("v5-hash-sets", migrate: v5HashSets)
        migrator.registerMigration("v6-tags-and-hash-kinds", migrate: v6TagsAndHashKinds)
        return migrator
    }

    /// The number of migrations this build knows; stored as `PRAGMA user_version`.
    static var version: Int { migrator.migrations.count }

    private static func v1Foundation(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE case_info (
                id              INTEGER PRIMARY KEY CHECK (id = 1),
                case_uuid       TEXT NOT NULL,
                case_number     TEXT NOT NULL,
                title           TEXT,
                agency          TEXT,
                authorization   TEXT,
                examiner        TEXT NOT NULL,
                created_at_utc  TEXT NOT NULL,
                tool_version    TEXT NOT NULL
            );

            CREATE TABLE exhibits (
                id                 INTEGER PRIMARY KEY,
                exhibit_number     TEXT NOT NULL UNIQUE,
                root_path          BLOB NOT NULL,
                root_path_text     TEXT NOT NULL,
                description        TEXT,
                registered_at_utc  TEXT NOT NULL
            );

            CREATE TABLE analysis_runs (
                id              INTEGER PRIMARY KEY,
                kind            TEXT NOT NULL,
                exhibit_id      INTEGER REFERENCES exhibits(id),
                started_at_utc  TEXT NOT NULL,
                ended_at_utc    TEXT,
                status          TEXT NOT NULL
                                CHECK (status IN ('running', 'completed', 'interrupted', 'failed')),
                examiner        TEXT NOT NULL,
                host            TEXT NOT NULL,
                tool_version    TEXT NOT NULL,
                options_json    TEXT NOT NULL,
                summary_json    TEXT
            );

            CREATE TABLE run_analyzers (
                run_id           INTEGER NOT NULL REFERENCES analysis_runs(id),
                position         INTEGER NOT NULL,
                analyzer         TEXT NOT NULL,
                version          TEXT NOT NULL,
                parameters_json  TEXT NOT NULL,
                model_sha256     TEXT,
                PRIMARY KEY (run_id, position)
            );

            CREATE TABLE files (
                id               INTEGER PRIMARY KEY,
                exhibit_id       INTEGER NOT NULL REFERENCES exhibits(id),
                path             BLOB NOT NULL,
                path_text        TEXT NOT NULL,
                kind             TEXT NOT NULL CHECK (kind IN
                                   ('file', 'directory', 'symlink', 'fifo', 'socket', 'char-device', 'block-device', 'unknown')),
                link_target      BLOB,
                size             INTEGER NOT NULL,
                mode             INTEGER NOT NULL,
                uid              INTEGER NOT NULL,
                gid              INTEGER NOT NULL,
                inode            INTEGER NOT NULL,
                nlink            INTEGER NOT NULL,
                mtime_ns         INTEGER NOT NULL,
                ctime_ns         INTEGER NOT NULL,
                atime_ns         INTEGER NOT NULL,
                sha256           TEXT,
                md5              TEXT,
                format           TEXT,
                status           TEXT NOT NULL CHECK (status IN ('ok', 'error', 'not-read')),
                run_id           INTEGER NOT NULL REFERENCES analysis_runs(id),
                recorded_at_utc  TEXT NOT NULL,
                UNIQUE (exhibit_id, path)
            );
            CREATE INDEX files_sha256 ON files(sha256);
            CREATE INDEX files_md5 ON files(md5);

            CREATE TABLE file_errors (
                id        INTEGER PRIMARY KEY,
                file_id   INTEGER NOT NULL REFERENCES files(id),
                run_id    INTEGER NOT NULL REFERENCES analysis_runs(id),
                stage     TEXT NOT NULL,
                analyzer  TEXT,
                code      TEXT NOT NULL,
                message   TEXT NOT NULL
            );
            CREATE INDEX file_errors_file ON file_errors(file_id);

            CREATE TABLE findings (
                id                INTEGER PRIMARY KEY,
                file_id           INTEGER NOT NULL REFERENCES files(id),
                run_id            INTEGER NOT NULL REFERENCES analysis_runs(id),
                analyzer          TEXT NOT NULL,
                analyzer_version  TEXT NOT NULL,
                category          TEXT NOT NULL,
                label             TEXT NOT NULL,
                strength          TEXT NOT NULL
                                  CHECK (strength IN ('conclusive', 'strong', 'moderate', 'weak', 'info')),
                score             REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
                summary           TEXT NOT NULL,
                details_json      TEXT NOT NULL,
                location_json     TEXT
            );
            CREATE INDEX findings_file ON findings(file_id);
            CREATE INDEX findings_label ON findings(label);

            CREATE TABLE evidence_changes (
                id               INTEGER PRIMARY KEY,
                file_id          INTEGER NOT NULL REFERENCES files(id),
                run_id           INTEGER NOT NULL REFERENCES analysis_runs(id),
                observed_at_utc  TEXT NOT NULL,
                kind             TEXT NOT NULL,
                entry_kind       TEXT NOT NULL,
                size             INTEGER,
                mtime_ns         INTEGER,
                ctime_ns         INTEGER,
                sha256           TEXT,
                md5              TEXT,
                link_target      BLOB,
                description      TEXT NOT NULL
            );
            CREATE INDEX evidence_changes_file ON evidence_changes(file_id);

            -- Every difference a verification found; the verify.result event commits to
            -- this list by its SHA-256 (details.discrepanciesSha256).
            CREATE TABLE verification_differences (
                event_seq  INTEGER NOT NULL,
                ordinal    INTEGER NOT NULL,
                area       TEXT NOT NULL,
                code       TEXT NOT NULL,
                subject    TEXT NOT NULL,
                message    TEXT NOT NULL,
                PRIMARY KEY (event_seq, ordinal)
            );

            CREATE TABLE custody_events (
                seq           INTEGER PRIMARY KEY,
                at_utc        TEXT NOT NULL,
                examiner      TEXT NOT NULL,
                host          TEXT NOT NULL,
                tool_version  TEXT NOT NULL,
                action        TEXT NOT NULL,
                subject       TEXT NOT NULL,
                details_json  TEXT NOT NULL,
                prev_hash     TEXT NOT NULL,
                hash          TEXT NOT NULL
            );
            -- Append-only. The hash chain is the real guarantee; these triggers stop accidents.
            CREATE TRIGGER custody_events_no_update BEFORE UPDATE ON custody_events
            BEGIN SELECT RAISE(ABORT, 'custody_events is append-only'); END;
            CREATE TRIGGER custody_events_no_delete BEFORE DELETE ON custody_events
            BEGIN SELECT RAISE(ABORT, 'custody_events is append-only'); END;
            """)
    }
}

extension Schema {
    /// Container structure and metadata per file, as recorded at ingest.
    static func v2Metadata(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE file_metadata (
                file_id         INTEGER PRIMARY KEY REFERENCES files(id),
                width           INTEGER,
                height          INTEGER,
                structure_json  TEXT,
                metadata_json   TEXT
            );
            CREATE TRIGGER file_metadata_no_update BEFORE UPDATE ON file_metadata
            BEGIN SELECT RAISE(ABORT, 'file_metadata rows are immutable once recorded'); END;
            CREATE TRIGGER file_metadata_no_delete BEFORE DELETE ON file_metadata
            BEGIN SELECT RAISE(ABORT, 'file_metadata rows are immutable once recorded'); END;
            """)
    }

    /// Perceptual hashes per file, as recorded at ingest (the similarity index reads them).
    static func v3PerceptualHashes(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE perceptual_hashes (
                file_id      INTEGER PRIMARY KEY REFERENCES files(id),
                pdq          TEXT NOT NULL,
                pdq_quality  INTEGER NOT NULL,
                phash        TEXT NOT NULL,
                dhash        TEXT NOT NULL
            );
            CREATE TRIGGER perceptual_hashes_no_update BEFORE UPDATE ON perceptual_hashes
            BEGIN SELECT RAISE(ABORT, 'perceptual_hashes rows are immutable once recorded'); END;
            CREATE TRIGGER perceptual_hashes_no_delete BEFORE DELETE ON perceptual_hashes
            BEGIN SELECT RAISE(ABORT, 'perceptual_hashes rows are immutable once recorded'); END;
            """)
    }

    /// Recorded evidence rows never change: a changed file is a new `evidence_changes` row.
    static func v1Immutability(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TRIGGER files_no_update BEFORE UPDATE ON files
            BEGIN SELECT RAISE(ABORT, 'files rows are immutable once recorded'); END;
            CREATE TRIGGER files_no_delete BEFORE DELETE ON files
            BEGIN SELECT RAISE(ABORT, 'files rows are immutable once recorded'); END;
            CREATE TRIGGER evidence_changes_no_update BEFORE UPDATE ON evidence_changes
            BEGIN SELECT RAISE(ABORT, 'evidence_changes is append-only'); END;
            CREATE TRIGGER evidence_changes_no_delete BEFORE DELETE ON evidence_changes
            BEGIN SELECT RAISE(ABORT, 'evidence_changes is append-only'); END;
            CREATE TRIGGER verification_differences_no_update BEFORE UPDATE ON verification_differences
            BEGIN SELECT RAISE(ABORT, 'verification_differences is append-only'); END;
            CREATE TRIGGER verification_differences_no_delete BEFORE DELETE ON verification_differences
            BEGIN SELECT RAISE(ABORT, 'verification_differences is append-only'); END;
            """)
    }
}
