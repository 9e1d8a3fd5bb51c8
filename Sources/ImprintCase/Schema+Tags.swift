import GRDB

extension Schema {
    /// Tags, hash-set kinds, SHA-1 of files and the stored dihedral PDQ variants
    /// (docs/hash-sets.md). Self-contained: every statement only adds.
    static func v6TagsAndHashKinds(_ db: Database) throws {
        try db.execute(sql: """
            -- SHA-1 of each file, computed at ingest from the same bytes as SHA-256 and MD5.
            -- Rows recorded by an earlier imprint keep NULL: their SHA-1 was never computed.
            ALTER TABLE files ADD COLUMN sha1 TEXT;
            CREATE INDEX files_sha1 ON files(sha1);

            -- What a set means for a match (HASH-SETS.md §1, §10); sets imported before
            -- this step were plain lists and stay 'notable'.
            ALTER TABLE hash_sets ADD COLUMN kind TEXT NOT NULL DEFAULT 'notable'
                CHECK (kind IN ('known', 'notable', 'reference'));
            ALTER TABLE hash_sets ADD COLUMN source_org TEXT;
            ALTER TABLE hash_sets ADD COLUMN version TEXT;
            ALTER TABLE hash_sets ADD COLUMN notes TEXT;
            -- A VICS entry's Category, kept raw (never mapped by imprint).
            ALTER TABLE hash_set_entries ADD COLUMN category TEXT;

            -- The 7 non-trivial dihedral variants of a file's PDQ (the original is in
            -- perceptual_hashes), derived at ingest from the same DCT.
            CREATE TABLE pdq_variants (
                file_id     INTEGER PRIMARY KEY REFERENCES files(id),
                rotate90    TEXT NOT NULL,
                rotate180   TEXT NOT NULL,
                rotate270   TEXT NOT NULL,
                flipX       TEXT NOT NULL,
                flipY       TEXT NOT NULL,
                flipPlus1   TEXT NOT NULL,
                flipMinus1  TEXT NOT NULL
            );

            -- Every tag and untag, one row per file, written with the custody event
            -- (tag.added / tag.removed) that commits to them; a file's tags are the
            -- result of replaying its rows in id order. Never updated or deleted.
            CREATE TABLE tag_events (
                id          INTEGER PRIMARY KEY,
                event_seq   INTEGER NOT NULL REFERENCES custody_events(seq),
                file_id     INTEGER NOT NULL REFERENCES files(id),
                tag         TEXT NOT NULL,
                action      TEXT NOT NULL CHECK (action IN ('add', 'remove')),
                note        TEXT,
                at_utc      TEXT NOT NULL
            );
            CREATE INDEX tag_events_tag ON tag_events(tag, file_id);
            CREATE INDEX tag_events_event ON tag_events(event_seq);
            """)
        for table in ["pdq_variants", "tag_events"] {
            try db.execute(sql: """
                CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) rows are immutable once recorded'); END;
                CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) rows are immutable once recorded'); END;
                """)
        }
    }
}
