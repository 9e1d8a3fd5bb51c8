import GRDB

/// The `pdq_variants` table: a file's 7 non-trivial dihedral PDQ variants, named as
/// `PDQDihedral` names them (docs/similarity.md).
public enum PDQVariantColumns {
    public static let names = ["rotate90", "rotate180", "rotate270", "flipX", "flipY", "flipPlus1", "flipMinus1"]

    /// Inserts the row when all 7 variants are given (nothing otherwise).
    static func insert(_ db: Database, fileID: Int64, variants: [String]) throws {
        guard variants.count == names.count else { return }
        try db.cachedStatement(sql: """
            INSERT INTO pdq_variants (file_id, \(names.joined(separator: ", "))) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: StatementArguments([fileID] + variants.map { $0 as any DatabaseValueConvertible }))
    }
}

/// A file's recorded PDQ with its variants (empty when recorded before schema v6).
public struct StoredPDQVariants: Sendable {
    public var fileID: Int64
    public var pdqHex: String
    public var quality: Int
    /// (variant name, hex), in `PDQVariantColumns.names` order.
    public var variants: [(name: String, hex: String)]
}

extension CaseStore {
    /// Every recorded PDQ with its dihedral variants, in file id order.
    public func pdqHashesWithVariants() throws -> [StoredPDQVariants] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.file_id, h.pdq, h.pdq_quality, \(PDQVariantColumns.names.map { "v.\($0)" }.joined(separator: ", "))
                FROM perceptual_hashes h LEFT JOIN pdq_variants v ON v.file_id = h.file_id ORDER BY h.file_id
                """).map { row in
                let variants: [(name: String, hex: String)] = PDQVariantColumns.names.compactMap { name in
                    String.fromDatabaseValue(row[name]).map { (name, $0) }
                }
                return StoredPDQVariants(fileID: Int64.fromDatabaseValue(row["file_id"]) ?? -1, pdqHex: Self.text(row["pdq"]),
                                         quality: Int.fromDatabaseValue(row["pdq_quality"]) ?? -1,
                                         variants: variants.count == PDQVariantColumns.names.count ? variants : [])
            }
        }
    }
}
