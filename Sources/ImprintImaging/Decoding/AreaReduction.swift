/// Area-average reduction of an image by an integer factor to the size libjpeg's DCT
/// scaling gives (⌈width / scale⌉ × ⌈height / scale⌉), fed the source rows in order, so
/// that it can run on a decode's strips as well as on a whole raster. Each output pixel
/// is the integer mean (rounded down) of the source pixels in its span; with `luma`, of
/// their luma (`Raster.lumaRow`'s rounding per pixel, then the mean).
public struct AreaReduction: Sendable {
    public let sourceWidth: Int
    public let sourceHeight: Int
    /// Bytes per source pixel (1, 3 or 4).
    public let step: Int
    public let width: Int
    public let height: Int
    /// Channels per output pixel: 1 with `luma`, else `step`.
    public let channels: Int
    let toLuma: Bool
    /// Each output column's source span [x0, x1).
    private let spans: [(Int, Int)]
    /// Per source column (and channel), the sum over the current output row's source rows.
    /// (64-bit: no image has enough rows to overflow it.)
    private var columnSums: [Int]
    private var lumaRow: [UInt8]
    public private(set) var pixels: [UInt8]
    /// The next source row `add` expects.
    public private(set) var nextSourceRow = 0
    private var outputRow = 0

    public init(sourceWidth: Int, sourceHeight: Int, step: Int, scaleDenominator: Int, luma: Bool) {
        let scale = max(1, scaleDenominator)
        self.sourceWidth = max(0, sourceWidth)
        self.sourceHeight = max(0, sourceHeight)
        self.step = step
        toLuma = luma && step >= 3
        channels = toLuma ? 1 : step
        width = max(1, (self.sourceWidth + scale - 1) / scale)
        height = max(1, (self.sourceHeight + scale - 1) / scale)
        let (sourceWidth, width) = (self.sourceWidth, self.width)
        spans = (0..<width).map { x in
            let x0 = x * sourceWidth / width
            return (x0, max(x0 + 1, (x + 1) * sourceWidth / width))
        }
        columnSums = [Int](repeating: 0, count: self.sourceWidth * channels)
        lumaRow = [UInt8](repeating: 0, count: toLuma ? self.sourceWidth : 0)
        pixels = [UInt8](repeating: 0, count: width * height * channels)
    }

    /// True once every source row went in.
    public var isComplete: Bool { sourceHeight > 0 && nextSourceRow == sourceHeight }

    /// The source rows [y0, y1) of output row `y`.
    private func rowSpan(_ y: Int) -> (Int, Int) {
        let y0 = y * sourceHeight / height
        return (y0, max(y0 + 1, (y + 1) * sourceHeight / height))
    }

    /// Adds source row `nextSourceRow`: `sourceWidth` pixels of `step` bytes.
    public mutating func add(row: UnsafePointer<UInt8>) {
        guard nextSourceRow < sourceHeight, outputRow < height else { return }
        let (y0, y1) = rowSpan(outputRow)
        let step = self.step, channels = self.channels, count = sourceWidth * channels
        // Each source column's sum over the output row's source rows (integers: the order
        // of the additions does not matter), in a unit-stride loop that vectorises; the
        // spans are summed once per output row, not once per source row.
        columnSums.withUnsafeMutableBufferPointer { sums in
            guard let sums = sums.baseAddress else { return }
            if nextSourceRow == y0 { sums.update(repeating: 0, count: count) }
            if toLuma {
                lumaRow.withUnsafeMutableBufferPointer { luma in
                    guard let target = luma.baseAddress else { return }
                    Raster.lumaRow(row, step: step, count: sourceWidth, into: target)
                    for i in 0..<count { sums[i] &+= Int(target[i]) }
                }
            } else {
                for i in 0..<count { sums[i] &+= Int(row[i]) }
            }
        }
        nextSourceRow += 1
        guard nextSourceRow == y1 else { return }
        for (x, (x0, x1)) in spans.enumerated() {
            let area = (y1 - y0) * (x1 - x0)
            for channel in 0..<channels {
                var sum = 0
                for sx in x0..<x1 { sum += columnSums[sx * channels + channel] }
                pixels[(outputRow * width + x) * channels + channel] = UInt8(sum / area)
            }
        }
        outputRow += 1
    }
}

/// An `AreaReduction` of a decode's RGB strips (`RasterStripConsumer`).
public final class AreaReductionCollector: RasterStripConsumer {
    public private(set) var reduction: AreaReduction
    /// Set when a strip came out of order or did not fit: the result is then not used.
    public private(set) var failed = false

    public init(width: Int, height: Int, scaleDenominator: Int, luma: Bool) {
        reduction = AreaReduction(sourceWidth: width, sourceHeight: height, step: 3, scaleDenominator: scaleDenominator, luma: luma)
    }

    public func consume(_ rows: UnsafePointer<UInt8>, firstRow: Int, rowCount: Int, width: Int, height: Int) {
        guard !failed, width == reduction.sourceWidth, height == reduction.sourceHeight, firstRow == reduction.nextSourceRow,
              rowCount > 0, firstRow + rowCount <= height else {
            failed = true
            return
        }
        for row in 0..<rowCount { reduction.add(row: rows + row * width * 3) }
    }

    /// The reduced image once every row arrived in order; nil otherwise.
    public var raster: Raster? {
        guard !failed, reduction.isComplete else { return nil }
        return Raster(width: reduction.width, height: reduction.height, layout: reduction.channels == 1 ? .luma : .rgb,
                      pixels: reduction.pixels, sourceWidth: reduction.sourceWidth, sourceHeight: reduction.sourceHeight)
    }
}
