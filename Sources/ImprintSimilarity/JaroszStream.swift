import CImprintKernels
import ImprintImaging

/// PDQ's tent filter and 64×64 decimation (spec §4, §5) as one stream over the image's
/// rows, bit-identical to filtering the whole plane and then sampling it (the tests keep
/// that form as the reference).
///
/// The plain form filters a full-size float plane four times (row box, column box, row
/// box, column box), 48 MB at 12 MP, though only 64×64 values are kept. Here rows flow
/// through the four boxes in order with buffers of a few rows (`imprint_tent_*` in
/// CImprintKernels): each row box runs on a group of 16 rows at once, a vector lane per
/// row; the first column box keeps a ring of `window` rows; the second row box divides
/// only at the 64 decimation columns and the second column box runs on those alone.
/// Each lane keeps the one-dimensional box's operations in order, so the values are the
/// same bits.
enum JaroszStream {
    /// The decimated 64×64 plane of `rows` × `cols` values whose row `r` `fillRow(r, into)`
    /// writes. `rows` and `cols` must be at least 1. `portable` takes the row boxes that
    /// build without AVX2 (for the tests, which hold both to the reference).
    static func tentDecimated(rows: Int, cols: Int, portable: Bool = false,
                              fillRow: (Int, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        guard let stream = TentRowStream(rows: rows, cols: cols, portable: portable) else {
            return [Float](repeating: 0, count: 64 * 64)
        }
        for row in 0..<rows {
            guard let target = stream.nextRow() else { break }
            fillRow(row, target)
            stream.commitRow()
        }
        return stream.finish()
    }

    /// `tentDecimated` of the float32 (or float64) luma of `raster` (spec §3).
    static func tentDecimated(_ raster: Raster, arithmetic: PDQLumaArithmetic) -> [Float] {
        let cols = raster.width, step = raster.channels
        return raster.pixels.withUnsafeBufferPointer { source in
            tentDecimated(rows: raster.height, cols: cols) { row, target in
                guard let base = source.baseAddress else { return }
                let line = base + row * cols * step
                PDQLuma.fill(target, from: line, count: cols, step: step, arithmetic: arithmetic)
            }
        }
    }
}

/// The tent filter's stream with rows pushed one at a time, by a caller that produces
/// them (a decode's strips) rather than one that can be asked for each. Rows go into the
/// C stream's group buffer and each full group of IMPRINT_TENT_GROUP rows is pushed.
final class TentRowStream {
    let rows: Int
    let cols: Int
    private let stream: UnsafeMutablePointer<imprint_tent_stream>
    private let workspace: UnsafeMutableBufferPointer<Float>
    private let firstSlot: UnsafeMutableBufferPointer<Int32>
    private let group: UnsafeMutablePointer<Float>
    private var filledInGroup = 0
    private var rowsPushed = 0
    private var finished = false

    /// Nil when the sizes cannot be streamed (under 1 or over Int32 rows or columns).
    init?(rows: Int, cols: Int, portable: Bool = false) {
        guard rows > 0, cols > 0, rows <= Int(Int32.max), cols <= Int(Int32.max) else { return nil }
        let windowAlongRows = JaroszFilter.windowSize(oldDimension: cols)
        let windowAlongCols = JaroszFilter.windowSize(oldDimension: rows)
        let sampleRows = PDQTransform.samples(rows).map { Int32($0) }
        let sampleCols = PDQTransform.samples(cols).map { Int32($0) }
        let workspaceCount = imprint_tent_workspace_floats(Int32(rows), Int32(cols), Int32(windowAlongCols))
        let workspace = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(workspaceCount, 1))
        workspace.initialize(repeating: 0)
        let firstSlot = UnsafeMutableBufferPointer<Int32>.allocate(capacity: cols)
        firstSlot.initialize(repeating: -1)
        let stream = UnsafeMutablePointer<imprint_tent_stream>.allocate(capacity: 1)
        stream.initialize(to: imprint_tent_stream())
        guard let space = workspace.baseAddress, let slots = firstSlot.baseAddress,
              imprint_tent_begin(stream, Int32(rows), Int32(cols), Int32(windowAlongRows), Int32(windowAlongCols),
                                 sampleRows, sampleCols, space, workspaceCount, slots) == 0,
              let group = imprint_tent_group(stream) else {
            workspace.deallocate()
            firstSlot.deallocate()
            stream.deallocate()
            return nil
        }
        stream.pointee.portable = portable ? 1 : 0
        self.rows = rows
        self.cols = cols
        self.stream = stream
        self.workspace = workspace
        self.firstSlot = firstSlot
        self.group = group
    }

    deinit {
        workspace.deallocate()
        firstSlot.deallocate()
        stream.deallocate()
    }

    /// Where the next row's `cols` values go, or nil once all rows are in.
    func nextRow() -> UnsafeMutablePointer<Float>? {
        guard !finished, rowsPushed + filledInGroup < rows else { return nil }
        return group + filledInGroup * cols
    }

    /// Takes the row just written at `nextRow()`.
    func commitRow() {
        guard !finished, rowsPushed + filledInGroup < rows else { return }
        filledInGroup += 1
        if filledInGroup == Int(IMPRINT_TENT_GROUP) { pushGroup() }
    }

    /// The decimated 64×64 plane; all zero unless every row was given.
    func finish() -> [Float] {
        var output = [Float](repeating: 0, count: 64 * 64)
        guard !finished else { return output }
        if filledInGroup > 0 { pushGroup() }
        finished = true
        guard rowsPushed == rows else { return output }
        output.withUnsafeMutableBufferPointer { out in
            if let base = out.baseAddress { imprint_tent_finish(stream, base) }
        }
        return output
    }

    private func pushGroup() {
        imprint_tent_push_group(stream, Int32(filledInGroup))
        rowsPushed += filledInGroup
        filledInGroup = 0
    }
}
