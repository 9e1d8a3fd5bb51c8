import GRDB

extension Schema {
    /// Near-duplicate clusterings (docs/specs/SIMILARITY-INDEX-AND-CLUSTERING.md §6.6). A
    /// clustering is a run over every PDQ hash in the case; each run is kept, never
    /// replaced, so an earlier report can still be traced to the clusters it showed.
    static func v4Clusters(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE clusterings (
                id                    INTEGER PRIMARY KEY,
                created_at_utc        TEXT NOT NULL,
                algorithm             TEXT NOT NULL,
                algorithm_version     TEXT NOT NULL,
                threshold             INTEGER NOT NULL,
                search_method         TEXT NOT NULL,
                hashes_considered     INTEGER NOT NULL,
                excluded_low_quality  INTEGER NOT NULL,
                cluster_count         INTEGER NOT NULL,
                members_sha256        TEXT NOT NULL
            );

            -- cluster_id is the smallest member files.id (spec §6.5); cluster_number is the
            -- 1-based rank by size, then cluster_id, within its clustering.
            CREATE TABLE clusters (
                clustering_id   INTEGER NOT NULL REFERENCES clusterings(id),
                cluster_number  INTEGER NOT NULL,
                cluster_id      INTEGER NOT NULL REFERENCES files(id),
                size            INTEGER NOT NULL,
                edge_count      INTEGER NOT NULL,
                diameter        INTEGER NOT NULL,
                diameter_exact  INTEGER NOT NULL,
                medoid_file_id  INTEGER NOT NULL REFERENCES files(id),
                max_edge        INTEGER NOT NULL,
                chained         INTEGER NOT NULL,
                PRIMARY KEY (clustering_id, cluster_number)
            );

            CREATE TABLE cluster_members (
                clustering_id   INTEGER NOT NULL REFERENCES clusterings(id),
                cluster_number  INTEGER NOT NULL,
                file_id         INTEGER NOT NULL REFERENCES files(id),
                dist_to_medoid  INTEGER NOT NULL,
                PRIMARY KEY (clustering_id, cluster_number, file_id)
            );
            CREATE INDEX cluster_members_file ON cluster_members(file_id);

            -- Hashes left out of a clustering (quality below 50, or the all-zero hash).
            CREATE TABLE cluster_exclusions (
                clustering_id  INTEGER NOT NULL REFERENCES clusterings(id),
                file_id        INTEGER NOT NULL REFERENCES files(id),
                quality        INTEGER NOT NULL,
                reason         TEXT NOT NULL,
                PRIMARY KEY (clustering_id, file_id)
            );
            """)
        for table in ["clusterings", "clusters", "cluster_members", "cluster_exclusions"] {
            try db.execute(sql: """
                CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) rows are immutable once recorded'); END;
                CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) rows are immutable once recorded'); END;
                """)
        }
    }
}
