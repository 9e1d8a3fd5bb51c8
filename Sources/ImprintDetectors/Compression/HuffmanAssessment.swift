import ImprintImaging

/// Whether a JPEG's Huffman tables are the Annex K.3 "typical" tables that libjpeg writes by
/// default, or tables optimised for this image (`optimize_coding`, jpegtran `-optimize`,
/// mozjpeg, progressive mode, most camera firmware writes the standard ones).
public enum HuffmanKind: String, Sendable {
    case standard
    case optimized
    /// Some tables standard, some not.
    case mixed
    /// No DHT segment: arithmetic coding, or a motion-JPEG frame relying on the default tables.
    case none
}

public enum HuffmanAssessment {
    /// The code-length counts (BITS) of the four Annex K.3 tables: DC and AC, luminance and
    /// chrominance. An optimised table matching one of these exactly is practically impossible.
    static let standardCounts: [[UInt8]] = [
        [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],            // K.3.1 DC luminance (12 codes)
        [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],            // K.3.1 DC chrominance (12 codes)
        [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D],         // K.3.2 AC luminance (162 codes)
        [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],         // K.3.2 AC chrominance (162 codes)
    ]

    public static func isStandard(_ table: HuffmanTable) -> Bool {
        guard let index = standardCounts.firstIndex(of: table.counts) else { return false }
        // DC tables carry the categories 0…11 in order.
        if index < 2 { return table.values == Array(0...11) }
        return table.values.count == 162
    }

    public static func kind(_ container: ParsedContainer) -> HuffmanKind {
        let tables = container.huffmanTables
        guard !tables.isEmpty else { return .none }
        let standard = tables.filter(isStandard).count
        if standard == tables.count { return .standard }
        return standard == 0 ? .optimized : .mixed
    }
}
