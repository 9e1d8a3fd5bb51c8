import CImprintKernels
@testable import ImprintSimilarity

/// The tent filter as first written, on a whole float plane: the reference `JaroszStream`
/// is compared with (`JaroszStreamTests`), itself tied to Meta's `box1DFloat` by the
/// per-column tests and the corpus goldens.
///
/// The column box runs in place, keeping only a ring of the last `window` original rows
/// it still has to subtract, and sweeps all columns of a row at once; the row box runs the
/// same sweep on transposed blocks of 64 rows. Every row and column is its own running sum
/// with the reference's operation order.
extension JaroszFilter {
    static func tent(_ plane: inout FloatPlane) {
        let alongRows = windowSize(oldDimension: plane.cols)
        let alongCols = windowSize(oldDimension: plane.rows)
        for _ in 0..<passes {
            boxAlongRows(&plane, window: alongRows)
            boxAlongColumns(&plane, window: alongCols)
        }
    }

    /// The row box, done as the column box on transposed blocks of up to 64 rows: each
    /// row keeps its own running sum with exactly `box1D`'s sequence of adds, subtracts
    /// and divisions (bit-identical), but the 64 sums advance together, a lane each,
    /// instead of one long serial dependency chain per row.
    static func boxAlongRows(_ plane: inout FloatPlane, window: Int) {
        let rows = plane.rows, cols = plane.cols
        guard rows > 0, cols > 0, plane.values.count >= rows * cols else { return }
        let blockRows = 64
        var block = FloatPlane(rows: cols, cols: blockRows, values: [Float](repeating: 0, count: cols * blockRows))
        var first = 0
        while first < rows {
            let count = min(blockRows, rows - first)
            block.cols = count
            plane.values.withUnsafeMutableBufferPointer { values in
                block.values.withUnsafeMutableBufferPointer { transposed in
                    guard let source = values.baseAddress, let target = transposed.baseAddress else { return }
                    transpose(source + first * cols, rows: count, cols: cols, into: target)
                }
            }
            boxAlongColumns(&block, window: window)
            plane.values.withUnsafeMutableBufferPointer { values in
                block.values.withUnsafeBufferPointer { transposed in
                    guard let target = values.baseAddress, let source = transposed.baseAddress else { return }
                    transpose(source, rows: cols, cols: count, into: target + first * cols)
                }
            }
            first += count
        }
    }

    /// The column box, all columns at once: `sums[j]` is column j's running sum.
    static func boxAlongColumns(_ plane: inout FloatPlane, window requested: Int) {
        let rows = plane.rows, cols = plane.cols
        guard rows > 0, cols > 0, requested > 0, plane.values.count >= rows * cols else { return }
        let window = min(requested, rows)
        let (p1, p2, p3, p4) = phases(length: rows, window: window)
        var sums = [Float](repeating: 0, count: cols)
        // Original rows already overwritten by output but not yet subtracted.
        var ring = [Float](repeating: 0, count: window * cols)
        plane.values.withUnsafeMutableBufferPointer { values in
            sums.withUnsafeMutableBufferPointer { sumBuffer in
                ring.withUnsafeMutableBufferPointer { ringBuffer in
                    guard let base = values.baseAddress, let sum = sumBuffer.baseAddress,
                          let ringBase = ringBuffer.baseAddress else { return }
                    var count = 0
                    var left = 0, right = 0, out = 0

                    func add(_ r: Int) {
                        let line = base + r * cols
                        for j in 0..<cols { sum[j] += line[j] }
                    }
                    func subtract(_ r: Int) {
                        let line = ringBase + (r % window) * cols
                        for j in 0..<cols { sum[j] -= line[j] }
                    }
                    func write(_ r: Int) {
                        let line = base + r * cols
                        // Keep the original row: it is subtracted later.
                        (ringBase + (r % window) * cols).update(from: line, count: cols)
                        let divisor = Float(count)
                        for j in 0..<cols { line[j] = sum[j] / divisor }
                    }

                    for _ in 0..<max(p1, 0) {
                        add(right)
                        count += 1
                        right += 1
                    }
                    for _ in 0..<max(p2, 0) {
                        add(right)
                        count += 1
                        write(out)
                        right += 1
                        out += 1
                    }
                    for _ in 0..<max(p3, 0) {
                        add(right)
                        subtract(left)
                        write(out)
                        left += 1
                        right += 1
                        out += 1
                    }
                    for _ in 0..<max(p4, 0) {
                        subtract(left)
                        count -= 1
                        write(out)
                        left += 1
                        out += 1
                    }
                }
            }
        }
    }

    /// One 1-D box over an array (Meta's `box1DFloat`: the definition the tests hold the filters to).
    static func box1D(_ input: [Float], window: Int) -> [Float] {
        var output = [Float](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let i = source.baseAddress, let o = target.baseAddress else { return }
                box1D(i, o, length: source.count, window: window)
            }
        }
        return output
    }

    /// One 1-D box of `length` samples from `input` to `output` (distinct buffers).
    /// A window longer than the vector (never produced by `windowSize`) is clamped so
    /// that no sample outside it is read.
    static func box1D(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, length: Int, window: Int) {
        guard length > 0, window > 0 else { return }
        let (p1, p2, p3, p4) = phases(length: length, window: min(window, length))
        var sum: Float = 0
        var count = 0
        var left = 0, right = 0, out = 0
        for _ in 0..<max(p1, 0) {
            sum += input[right]
            count += 1
            right += 1
        }
        for _ in 0..<max(p2, 0) {
            sum += input[right]
            count += 1
            output[out] = sum / Float(count)
            right += 1
            out += 1
        }
        for _ in 0..<max(p3, 0) {
            sum += input[right]
            sum -= input[left]
            output[out] = sum / Float(count)
            left += 1
            right += 1
            out += 1
        }
        for _ in 0..<max(p4, 0) {
            sum -= input[left]
            count -= 1
            output[out] = sum / Float(count)
            left += 1
            out += 1
        }
    }

    /// `target[c][r] = source[r][c]` for a `rows × cols` row-major source (a copy).
    static func transpose(_ source: UnsafePointer<Float>, rows: Int, cols: Int, into target: UnsafeMutablePointer<Float>) {
        imprint_transpose_f32(source, Int32(rows), Int32(cols), target)
    }
}

extension PDQTransform {
    /// `A[i][j] = Y[samples(rows)[i]][samples(cols)[j]]` of a whole plane.
    static func decimate(_ plane: FloatPlane) -> [Float] {
        let rows = samples(plane.rows), cols = samples(plane.cols)
        var out = [Float](repeating: 0, count: 64 * 64)
        for i in 0..<64 {
            for j in 0..<64 { out[i * 64 + j] = plane.values[rows[i] * plane.cols + cols[j]] }
        }
        return out
    }
}
