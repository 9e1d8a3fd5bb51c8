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
        var output = [Float](repeating: 0, count: 64 * 64)
        guard rows > 0, cols > 0, rows <= Int(Int32.max), cols <= Int(Int32.max) else { return output }
        let windowAlongRows = JaroszFilter.windowSize(oldDimension: cols)
        let windowAlongCols = JaroszFilter.windowSize(oldDimension: rows)
        let sampleRows = PDQTransform.samples(rows).map { Int32($0) }
        let sampleCols = PDQTransform.samples(cols).map { Int32($0) }
        let workspaceCount = imprint_tent_workspace_floats(Int32(rows), Int32(cols), Int32(windowAlongCols))
        var workspace = [Float](repeating: 0, count: max(workspaceCount, 1))
        var firstSlot = [Int32](repeating: -1, count: cols)
        var stream = imprint_tent_stream()
        let group = Int(IMPRINT_TENT_GROUP)
        workspace.withUnsafeMutableBufferPointer { workspace in
        firstSlot.withUnsafeMutableBufferPointer { firstSlot in
        output.withUnsafeMutableBufferPointer { output in
            guard let space = workspace.baseAddress, let slots = firstSlot.baseAddress, let out = output.baseAddress,
                  imprint_tent_begin(&stream, Int32(rows), Int32(cols), Int32(windowAlongRows), Int32(windowAlongCols),
                                     sampleRows, sampleCols, space, workspaceCount, slots) == 0,
                  let rowsBuffer = imprint_tent_group(&stream) else { return }
            stream.portable = portable ? 1 : 0
            var first = 0
            while first < rows {
                let count = min(group, rows - first)
                for r in 0..<count { fillRow(first + r, rowsBuffer + r * cols) }
                imprint_tent_push_group(&stream, Int32(count))
                first += count
            }
            imprint_tent_finish(&stream, out)
        }}}
        return output
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
