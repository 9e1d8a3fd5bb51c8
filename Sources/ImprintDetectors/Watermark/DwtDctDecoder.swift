import ImprintImaging

/// The best decode of one payload over every variant searched.
public struct DwtDctPayloadResult: Sendable, Equatable {
    public var payload: DwtDctPayload
    public var variant: DwtDctVariant
    /// Decoded bits equal to the payload's (k of L).
    public var agreeing: Int
    public var decodedBits: [Bool]
    /// Mean over bits of |summed soft vote| / votes: 0 is undecided, 1 is every block on
    /// its lattice point.
    public var margin: Double
    public var degenerate: Bool
    /// P(X >= k) for fair independent bits, for the variant alone.
    public var binomialTail: Double
    /// Corrected for the search and the measured image bias (`DwtDctScoring`).
    public var falseAlarm: Double
    public var tier: DwtDctTier
    public var minVotesPerBit: Int
    public var maxVotesPerBit: Int

    public var agreement: Double { Double(agreeing) / Double(payload.length) }
}

/// What decoding one image gave.
public enum DwtDctDecodeOutcome: Sendable, Equatable {
    case decoded(blocks: Int, results: [DwtDctPayloadResult])
    /// The image cannot carry the mark (too small, or no chroma); the reason says which.
    case notApplicable(String)
}

/// Decoder for invisible-watermark's dwtDct method as Stable Diffusion uses it
/// (SD-WATERMARK.md §1.4), with three changes that recover marks the reference decoder
/// loses: soft votes weighted by distance from the decision boundary instead of a
/// majority of hard bits; both channel orders and both lattices; and a search over the
/// lattice offset that float pipelines and JPEG re-saves introduce. Every variant counts
/// against the false-alarm probability.
public struct DwtDctDecoder: Sendable {
    /// The reference library refuses images under 256 x 256 pixels.
    public static let minimumPixels = 65_536

    public var payloads: [DwtDctPayload]

    public init(payloads: [DwtDctPayload] = DwtDctPayload.known) {
        self.payloads = payloads
    }

    public func decode(_ raster: Raster) -> DwtDctDecodeOutcome {
        guard raster.layout != .luma else { return .notApplicable("greyscale image: no chroma to carry the mark") }
        if let reason = Self.tooSmall(width: raster.width, height: raster.height) { return .notApplicable(reason) }
        guard Self.hasChroma(raster) else { return Self.greyOutcome }
        let collector = DwtDctStripCollector(raster, lengths: lengths(width: raster.width, height: raster.height))
        return decode(collector) ?? .notApplicable("the raster's pixel buffer does not match its size")
    }

    /// A collector for an RGB image of `width` x `height` pixels, to be fed its rows as
    /// they are decoded (`RasterStripConsumer`) and then given to `decode(_:)`.
    public func collector(width: Int, height: Int) -> DwtDctStripCollector {
        DwtDctStripCollector(width: width, height: height, channels: 3, lengths: lengths(width: width, height: height))
    }

    /// The decode from a collector that has seen every row of its image (nil otherwise).
    public func decode(_ collector: DwtDctStripCollector) -> DwtDctDecodeOutcome? {
        guard collector.isComplete else { return nil }
        if let reason = Self.tooSmall(width: collector.width, height: collector.height) { return .notApplicable(reason) }
        guard collector.hasChroma else { return Self.greyOutcome }
        let usable = usablePayloads(blocks: collector.blocks)
        guard !usable.isEmpty else { return .notApplicable("too few 8 x 8 blocks (\(collector.blocks)) for any payload") }
        let field = collector.votes()
        let results = usable.map { payload in best(for: payload, field: field) }
        return .decoded(blocks: collector.blocks, results: results)
    }

    static let greyOutcome = DwtDctDecodeOutcome.notApplicable("every pixel is grey (R = G = B): no chroma to carry the mark")

    /// Why an image of this size cannot carry the mark, or nil.
    static func tooSmall(width: Int, height: Int) -> String? {
        guard width * height >= minimumPixels else {
            return "\(width) x \(height) pixels is below the 256 x 256 the embedder requires"
        }
        return nil
    }

    /// The payloads that fit in `blocks` blocks.
    func usablePayloads(blocks: Int) -> [DwtDctPayload] {
        payloads.filter { $0.length > 0 && $0.length <= blocks }
    }

    /// The distinct payload lengths to collect votes for.
    func lengths(width: Int, height: Int) -> [Int] {
        let grid = DwtDctBlockField.blockGrid(width: width, height: height)
        return Array(Set(usablePayloads(blocks: grid.across * grid.down).map(\.length))).sorted()
    }

    private func best(for payload: DwtDctPayload, field: [DwtDctBlockField.Key: [Int: DwtDctBlockVotes]]) -> DwtDctPayloadResult {
        let length = payload.length
        var bestVariant = DwtDctVariant(order: .bgr, lattice: .uint8, offset: 0)
        var bestAgreeing = -1
        var bestCorrelation = -Double.infinity
        var bestVotes: [Double] = []
        var counts: [Int] = Array(repeating: 0, count: length)
        for order in DwtDctChannelOrder.allCases {
            for lattice in DwtDctLattice.allCases {
                guard let sums = field[.init(order: order, lattice: lattice)]?[length] else { continue }
                counts = sums.counts
                for offset in DwtDctVariant.offsets {
                    let votes = sums.votes(offset: offset)
                    var agreeing = 0
                    var correlation = 0.0
                    for bit in 0..<length {
                        let one = votes[bit] > 0
                        if one == payload.bits[bit] { agreeing += 1 }
                        let normalised = sums.counts[bit] > 0 ? votes[bit] / Double(sums.counts[bit]) : 0
                        correlation += payload.bits[bit] ? normalised : -normalised
                    }
                    // Most agreeing bits first; the stronger soft correlation breaks ties.
                    if agreeing > bestAgreeing || (agreeing == bestAgreeing && correlation > bestCorrelation) {
                        bestAgreeing = agreeing
                        bestCorrelation = correlation
                        bestVariant = DwtDctVariant(order: order, lattice: lattice, offset: offset)
                        bestVotes = votes
                    }
                }
            }
        }
        let bits = bestVotes.map { $0 > 0 }
        let ones = bits.filter { $0 }.count
        let degenerate = Double(max(ones, bits.count - ones)) >= DwtDctScoring.degenerateFraction * Double(max(bits.count, 1))
        var margin = 0.0
        for bit in 0..<min(length, bestVotes.count) where counts[bit] > 0 {
            margin += abs(bestVotes[bit]) / Double(counts[bit])
        }
        margin /= Double(max(length, 1))
        let (tail, corrected) = DwtDctScoring.falseAlarmProbability(agreeing: max(bestAgreeing, 0), length: length,
                                                                    searchSize: DwtDctVariant.searchSize)
        return DwtDctPayloadResult(payload: payload, variant: bestVariant, agreeing: max(bestAgreeing, 0), decodedBits: bits,
                                   margin: margin, degenerate: degenerate, binomialTail: tail, falseAlarm: corrected,
                                   tier: DwtDctScoring.tier(falseAlarm: corrected, degenerate: degenerate),
                                   minVotesPerBit: counts.min() ?? 0, maxVotesPerBit: counts.max() ?? 0)
    }

    /// False when every pixel has R = G = B (a grey image stored as colour).
    static func hasChroma(_ raster: Raster) -> Bool {
        raster.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress, raster.channels >= 3 else { return false }
            return DwtDctStripCollector.hasChroma(base, count: pixels.count, channels: raster.channels)
        }
    }
}
