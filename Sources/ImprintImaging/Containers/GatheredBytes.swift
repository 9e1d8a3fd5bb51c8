/// Bytes gathered from several places in a file (the segments of a multi-segment
/// payload), remembering where each piece came from so a position in the gathered buffer
/// can still be reported as an absolute file offset.
struct GatheredBytes {
    private(set) var bytes: [UInt8] = []
    private var pieces: [(start: Int, source: Int, count: Int)] = []
    let limit: Int

    init(limit: Int) { self.limit = max(0, limit) }

    /// Appends `source[range]`. Appends nothing and returns false when the range is not
    /// inside `source` or the total would pass the limit.
    @discardableResult
    mutating func append(_ source: [UInt8], _ range: Range<Int>) -> Bool {
        guard range.lowerBound >= 0, range.upperBound <= source.count else { return false }
        guard range.count <= limit - bytes.count else { return false }
        pieces.append((bytes.count, range.lowerBound, range.count))
        bytes.append(contentsOf: source[range])
        return true
    }

    /// Where the pieces came from, in gathering order.
    var sourceRanges: [Range<Int>] { pieces.map { $0.source..<($0.source + $0.count) } }

    /// The absolute file offset of `position` in the gathered buffer.
    func sourceOffset(of position: Int) -> Int? {
        for piece in pieces where position >= piece.start && position < piece.start + piece.count {
            return piece.source + (position - piece.start)
        }
        return nil
    }
}
