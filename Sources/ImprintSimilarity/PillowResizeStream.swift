/// `PillowImaging.resizeLanczos` of a grey image to one size, fed the image's rows in
/// order as they are decoded, so that the full-size grey image is never held.
///
/// Why: `imagehash` resizes the whole grey image three times (8 × 8, 9 × 8, 32 × 32).
/// Done after the decode, that is a 12 MB grey image per 12 MP photo written once and
/// read three times from main memory. Here each strip of rows is taken through the first
/// pass of all three while it is in cache; only that pass's small output is kept.
///
/// The passes are the same: the first pass (horizontal, or vertical for images whose
/// height shrinks by more than twice as many pixels as their width) is an exact integer
/// sum per output, here accumulated as rows arrive, and the second pass runs on its
/// result as before. `PillowResizeStreamTests` compares with `resizeLanczos` for every
/// order and edge case.
final class PillowResizeStream {
    let sourceWidth: Int
    let sourceHeight: Int
    let width: Int
    let height: Int

    private enum Plan {
        /// Horizontal pass of source rows `rows` as they arrive into `firstPass`
        /// (`width` × `rows.count`), then the vertical pass if the height changes.
        case horizontalFirst(Coefficients, rows: Range<Int>)
        /// Vertical pass accumulated into `sums` (`height` × source width, from 2^21),
        /// then the horizontal pass if the width changes.
        case verticalFirst(Coefficients)
        /// Neither size changes: the rows are the result.
        case copy
    }

    typealias Coefficients = PillowImaging.Coefficients
    private let plan: Plan
    private var firstPass: [UInt8]
    private var sums: [Int32]
    private var rowsSeen = 0

    /// For a `sourceWidth` × `sourceHeight` grey image to `width` × `height` (all ≥ 1).
    init?(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) {
        guard sourceWidth > 0, sourceHeight > 0, width > 0, height > 0 else { return nil }
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.width = width
        self.height = height
        let needHorizontal = width != sourceWidth, needVertical = height != sourceHeight
        let rowsShrink = sourceHeight - height, columnsShrink = sourceWidth - width
        let horizontalFirst = !(rowsShrink > 0 && rowsShrink > columnsShrink * 2)
        firstPass = []
        sums = []
        if horizontalFirst && needHorizontal {
            var rows = 0..<sourceHeight
            if needVertical {
                // Only the rows the vertical pass will read.
                let vertical = PillowImaging.coefficients(inSize: sourceHeight, outSize: height)
                let start = vertical.first[0], end = vertical.first[height - 1] + vertical.taps[height - 1]
                rows = start..<max(end, start)
            }
            plan = .horizontalFirst(PillowImaging.coefficients(inSize: sourceWidth, outSize: width), rows: rows)
            firstPass = [UInt8](repeating: 0, count: width * rows.count)
        } else if needVertical {
            plan = .verticalFirst(PillowImaging.coefficients(inSize: sourceHeight, outSize: height))
            sums = [Int32](repeating: 1 << Int32(PillowImaging.precisionBits - 1), count: height * sourceWidth)
        } else {
            plan = .copy
            firstPass = [UInt8](repeating: 0, count: sourceWidth * sourceHeight)
        }
    }

    /// Takes source rows `firstRow ..< firstRow + count` (the next ones: rows must come in
    /// order) of 16-bit grey values `stride` apart, each readable `PillowImaging.rowSlack`
    /// values past `sourceWidth`. False if they are not the next rows.
    @discardableResult
    func push(_ rows: UnsafePointer<Int16>, stride: Int, firstRow: Int, count: Int) -> Bool {
        guard firstRow == rowsSeen, count >= 0, firstRow + count <= sourceHeight,
              stride >= sourceWidth + PillowImaging.rowSlack else { return false }
        rowsSeen += count
        switch plan {
        case .horizontalFirst(let c, let kept):
            let start = max(firstRow, kept.lowerBound), end = min(firstRow + count, kept.upperBound)
            guard start < end else { return true }
            firstPass.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                PillowImaging.horizontalRows(c, width: width, rows: rows + (start - firstRow) * stride, stride: stride,
                                             count: end - start, into: base + (start - kept.lowerBound) * width,
                                             outStride: width)
            }
        case .verticalFirst(let c):
            accumulateVertical(c, rows: rows, stride: stride, firstRow: firstRow, count: count)
        case .copy:
            for r in 0..<count {
                for x in 0..<sourceWidth {
                    firstPass[(firstRow + r) * sourceWidth + x] = UInt8(truncatingIfNeeded: rows[r * stride + x])
                }
            }
        }
        return true
    }

    /// Adds each row times its weight to the sums of the output rows whose taps include
    /// it: the same integer sum as `verticalPass`, whose 32-bit wrap-around addition does
    /// not depend on the order.
    private func accumulateVertical(_ c: Coefficients, rows: UnsafePointer<Int16>, stride: Int, firstRow: Int, count: Int) {
        let columns = sourceWidth
        sums.withUnsafeMutableBufferPointer { sums in
            guard let base = sums.baseAddress else { return }
            for r in 0..<count {
                let y = firstRow + r, line = rows + r * stride
                for yy in 0..<height where c.first[yy] <= y && y < c.first[yy] + c.taps[yy] {
                    let weight = c.weights[yy * c.ksize + y - c.first[yy]]
                    let sum = base + yy * columns
                    for x in 0..<columns {
                        sum[x] = sum[x] &+ Int32(line[x]) &* weight
                    }
                }
            }
        }
    }

    /// The resized image, once every source row arrived; nil otherwise.
    func finish() -> GreyImage? {
        guard rowsSeen == sourceHeight else { return nil }
        switch plan {
        case .horizontalFirst(_, let kept):
            let first = GreyImage(width: width, height: kept.count, pixels: firstPass)
            guard height != sourceHeight else { return first }
            return PillowImaging.verticalPass(first, height: height, sourceHeight: sourceHeight, rowOffset: kept.lowerBound)
        case .verticalFirst:
            let first = GreyImage(width: sourceWidth, height: height, pixels: sums.map(PillowImaging.clip8))
            guard width != sourceWidth else { return first }
            return PillowImaging.horizontalPass(first, width: width, rows: 0..<height)
        case .copy:
            return GreyImage(width: sourceWidth, height: sourceHeight, pixels: firstPass)
        }
    }
}
