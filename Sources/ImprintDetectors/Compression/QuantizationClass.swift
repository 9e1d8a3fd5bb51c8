import ImprintImaging

/// What a JPEG's quantisation tables say about the encoder that last wrote it
/// (SYNTHETIC-DETECTION §1.4).
public struct QuantizationAssessment: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Luma and chroma equal IJG tables at one quality.
        case ijg
        /// Luma and chroma equal IJG tables at two qualities (cjpeg `-quality a,b`, OpenCV).
        case ijgSplit = "ijg-split"
        /// Proportional to Annex K but not IJG's rounding or quality mapping.
        case annexKScaled = "annexk-scaled"
        /// Not derived from Annex K: typical of camera and phone firmware and some editors.
        case custom
    }

    public var kind: Kind
    /// The exact IJG qualities (luma, chroma) when they match.
    public var lumaQuality: Int?
    public var chromaQuality: Int?
    /// The estimate for the luma table (and chroma, when present).
    public var lumaEstimate: IJGQuantization.Estimate?
    public var chromaEstimate: IJGQuantization.Estimate?
    public var tableCount: Int
    public var precisions: [Int]
    /// The file offset of the luma table's DQT entry.
    public var lumaTableOffset: Int?

    /// The quality to quote: the exact one, else the luma estimate rounded.
    public var quality: Double? {
        if let lumaQuality { return Double(lumaQuality) }
        return lumaEstimate?.quality
    }
}

public enum QuantizationClassifier {
    /// Classifies the tables the frame's first two components use. Nil when the file has
    /// no usable table (not a JPEG, or a damaged header).
    public static func assess(_ container: ParsedContainer) -> QuantizationAssessment? {
        let tables = container.quantizationTables
        guard !tables.isEmpty else { return nil }
        // The last definition of a table id before the frame is the one in force; files with
        // several frames (MPF) keep the main image's tables first, so take the first of each id.
        func table(id: Int) -> QuantizationTable? { tables.first { $0.id == id } }
        let components = container.jpegFrame?.components ?? []
        let lumaID = components.first?.quantizationTable ?? tables[0].id
        guard let luma = table(id: lumaID), luma.values.count == 64 else { return nil }
        let chroma: QuantizationTable? = components.count >= 3 ? table(id: components[1].quantizationTable)
            : (components.isEmpty ? tables.dropFirst().first : nil)
        let lumaValues = luma.values.map(Int.init)
        let chromaValues = chroma.flatMap { $0.values.count == 64 ? $0.values.map(Int.init) : nil }

        let lumaQuality = IJGQuantization.exactQuality(lumaValues, base: IJGQuantization.annexKLuma)
        let chromaQuality = chromaValues.flatMap { IJGQuantization.exactQuality($0, base: IJGQuantization.annexKChroma) }
        let lumaEstimate = IJGQuantization.estimate(lumaValues, base: IJGQuantization.annexKLuma)
        let chromaEstimate = chromaValues.flatMap { IJGQuantization.estimate($0, base: IJGQuantization.annexKChroma) }

        let kind: QuantizationAssessment.Kind
        if let lumaQuality, chromaValues == nil || chromaQuality != nil {
            kind = chromaQuality == nil || chromaQuality == lumaQuality ? .ijg : .ijgSplit
        } else if lumaEstimate?.proportionalToAnnexK == true, chromaValues == nil || chromaEstimate?.proportionalToAnnexK == true {
            kind = .annexKScaled
        } else {
            kind = .custom
        }
        return QuantizationAssessment(kind: kind, lumaQuality: kind == .ijg || kind == .ijgSplit ? lumaQuality : nil,
                                      chromaQuality: kind == .ijg || kind == .ijgSplit ? chromaQuality : nil,
                                      lumaEstimate: lumaEstimate, chromaEstimate: chromaEstimate,
                                      tableCount: tables.count, precisions: tables.map(\.precision),
                                      lumaTableOffset: luma.offset)
    }
}
