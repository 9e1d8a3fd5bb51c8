import GRDB

extension Schema {
    /// Imported known-hash sets (docs/specs/HASH-SETS.md §1). Values are stored as binary,
    /// so matching is byte-wise and case-insensitive.
    static func v5HashSets(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE hash_sets (
                id               INTEGER PRIMARY KEY,
                name             TEXT NOT NULL,
                format           TEXT NOT NULL,
                source_sha256    TEXT NOT NULL,
                record_count     INTEGER NOT NULL,
                invalid_lines    INTEGER NOT NULL,
                imported_at_utc  TEXT NOT NULL
            );

            CREATE TABLE hash_set_entries (
                set_id     INTEGER NOT NULL REFERENCES hash_sets(id),
                algorithm  TEXT NOT NULL,
                value      BLOB NOT NULL,
                quality    INTEGER,
                meta       TEXT
            );
            CREATE INDEX hash_set_entries_lookup ON hash_set_entries(algorithm, value);
            CREATE INDEX hash_set_entries_set ON hash_set_entries(set_id);
            """)
    }
}
