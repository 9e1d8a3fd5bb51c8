import ImprintImaging

/// One running box (spec §4) advanced over a sequence of `length` steps, `lanes`
/// independent sums at once: each lane is its own `box1D` with exactly its adds,
/// subtracts and divisions in the same order, so every output is bit-identical to it.
/// The caller pushes the steps in order and reads an output whenever one is ready,
/// which lets the filter run as a stream without a full-size plane.
struct BoxSweep {
    let lanes: Int
    private let length: Int
    private let window: Int
    private let phase1: Int
    private let phase2: Int
    private var sums: [Float]
    /// The last `window` steps pushed (slot `step % window`), still to be subtracted.
    private var ring: [Float]
    private var right = 0
    private var left = 0
    private var count = 0
    /// The index of the next output.
    private(set) var out = 0

    init(lanes: Int, length: Int, window requested: Int) {
        self.lanes = max(lanes, 0)
        self.length = max(length, 0)
        window = max(1, min(requested, max(length, 1)))
        let (p1, p2, _, _) = JaroszFilter.phases(length: self.length, window: window)
        phase1 = p1
        phase2 = p2
        sums = [Float](repeating: 0, count: self.lanes)
        ring = [Float](repeating: 0, count: window * self.lanes)
    }

    /// Adds step `right` (`lanes` values). Returns true when an output is ready, to be
    /// read with `output(into:)` before the next push.
    mutating func push(_ input: UnsafePointer<Float>) -> Bool {
        guard right < length else { return false }
        let lanes = self.lanes, window = self.window
        let step = right, phase3 = right >= phase1 + phase2
        sums.withUnsafeMutableBufferPointer { sumBuffer in
            ring.withUnsafeMutableBufferPointer { ringBuffer in
                guard let sum = sumBuffer.baseAddress, let ringBase = ringBuffer.baseAddress else { return }
                let slot = ringBase + (step % window) * lanes
                if phase3 {
                    // Step `right − window` leaves: it sits in the slot the new one takes.
                    Lanes.addThenSubtract(sum, input, slot, count: lanes)
                } else {
                    Lanes.add(sum, input, count: lanes)
                }
                slot.update(from: input, count: lanes)
            }
        }
        right += 1
        if phase3 {
            left += 1
            return true
        }
        count += 1
        return right > phase1
    }

    /// After the last push: one of the trailing outputs (phase 4), or false when none is
    /// left. Read it with `output(into:)`.
    mutating func drain() -> Bool {
        guard right == length, out < length else { return false }
        let lanes = self.lanes, slot = (left % window) * lanes
        sums.withUnsafeMutableBufferPointer { sumBuffer in
            ring.withUnsafeBufferPointer { ringBuffer in
                guard let sum = sumBuffer.baseAddress, let ringBase = ringBuffer.baseAddress else { return }
                Lanes.subtract(sum, ringBase + slot, count: lanes)
            }
        }
        left += 1
        count -= 1
        return true
    }

    /// The ready output, `sum / count` per lane, written with `stride` between lanes;
    /// advances `out`.
    mutating func output(into target: UnsafeMutablePointer<Float>, stride: Int = 1) {
        let divisor = Float(count), lanes = self.lanes
        sums.withUnsafeBufferPointer { sumBuffer in
            guard let sum = sumBuffer.baseAddress else { return }
            if stride == 1 {
                Lanes.divide(sum, by: divisor, into: target, count: lanes)
            } else {
                for j in 0..<lanes { target[j * stride] = sum[j] / divisor }
            }
        }
        out += 1
    }

    /// Skips the ready output (no division); advances `out`.
    mutating func skipOutput() { out += 1 }
}

/// Element-wise float32 loops over lanes, eight at a time. Each lane gets exactly the
/// scalar operation, so results are the same bits as a plain loop; spelled out because
/// the compiler does not vectorise these loops itself (it cannot prove the buffers apart).
enum Lanes {
    @inline(__always)
    static func add(_ sum: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, count: Int) {
        var j = 0
        while j + 8 <= count {
            let s = UnsafeRawPointer(sum + j).loadUnaligned(as: SIMD8<Float>.self)
            let a = UnsafeRawPointer(input + j).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(sum + j).storeBytes(of: s + a, as: SIMD8<Float>.self)
            j += 8
        }
        while j < count { sum[j] += input[j]; j += 1 }
    }

    /// `sum += input` then `sum -= leaving`, in that order per lane.
    @inline(__always)
    static func addThenSubtract(_ sum: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>,
                                _ leaving: UnsafePointer<Float>, count: Int) {
        var j = 0
        while j + 8 <= count {
            let s = UnsafeRawPointer(sum + j).loadUnaligned(as: SIMD8<Float>.self)
            let a = UnsafeRawPointer(input + j).loadUnaligned(as: SIMD8<Float>.self)
            let l = UnsafeRawPointer(leaving + j).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(sum + j).storeBytes(of: (s + a) - l, as: SIMD8<Float>.self)
            j += 8
        }
        while j < count {
            sum[j] += input[j]
            sum[j] -= leaving[j]
            j += 1
        }
    }

    @inline(__always)
    static func subtract(_ sum: UnsafeMutablePointer<Float>, _ leaving: UnsafePointer<Float>, count: Int) {
        var j = 0
        while j + 8 <= count {
            let s = UnsafeRawPointer(sum + j).loadUnaligned(as: SIMD8<Float>.self)
            let l = UnsafeRawPointer(leaving + j).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(sum + j).storeBytes(of: s - l, as: SIMD8<Float>.self)
            j += 8
        }
        while j < count { sum[j] -= leaving[j]; j += 1 }
    }

    @inline(__always)
    static func divide(_ sum: UnsafePointer<Float>, by divisor: Float, into target: UnsafeMutablePointer<Float>, count: Int) {
        let d = SIMD8<Float>(repeating: divisor)
        var j = 0
        while j + 8 <= count {
            let s = UnsafeRawPointer(sum + j).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(target + j).storeBytes(of: s / d, as: SIMD8<Float>.self)
            j += 8
        }
        while j < count { target[j] = sum[j] / divisor; j += 1 }
    }
}

/// PDQ's tent filter and 64×64 decimation (spec §4, §5) as one stream over the image's
/// rows, bit-identical to filtering the whole plane and then sampling it (the tests keep
/// that form as the reference).
///
/// The plain form filters a full-size float plane four times (row box, column box, row
/// box, column box), 48 MB at 12 MP, though only 64×64 values are kept. Here rows flow
/// through the four boxes in order with only small buffers: a block of 64 rows for each
/// row box and a ring of `window` rows for the first column box. The second row box
/// still runs its sums along every row but divides only at the 64 decimation columns,
/// and the second column box runs on those 64 columns alone. Each sum keeps the
/// reference's operation order, so the values are the same bits.
enum JaroszStream {
    /// Rows per row-box block: each block is transposed so that its rows advance together,
    /// a lane each.
    static let blockRows = 64

    /// The decimated 64×64 plane of `rows` × `cols` values whose row `r` `fillRow(r, into)`
    /// writes. `rows` and `cols` must be at least 1.
    static func tentDecimated(rows: Int, cols: Int,
                              fillRow: (Int, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        guard rows > 0, cols > 0 else { return [Float](repeating: 0, count: 64 * 64) }
        let windowAlongRows = JaroszFilter.windowSize(oldDimension: cols)
        let windowAlongCols = JaroszFilter.windowSize(oldDimension: rows)
        let sampleRows = PDQTransform.samples(rows), sampleCols = PDQTransform.samples(cols)
        // For each column, the first decimation slot sampling it (-1: none); duplicates
        // (narrow images) are copied afterwards.
        var firstSlotOfColumn = [Int](repeating: -1, count: cols)
        for (slot, column) in sampleCols.enumerated() where firstSlotOfColumn[column] < 0 { firstSlotOfColumn[column] = slot }

        var output = [Float](repeating: 0, count: 64 * 64)
        var rowBlock = [Float](repeating: 0, count: blockRows * cols)
        var transposed = [Float](repeating: 0, count: blockRows * cols)
        var filtered = [Float](repeating: 0, count: blockRows * cols)
        var filteredTransposed = [Float](repeating: 0, count: blockRows * cols)
        var q1Block = [Float](repeating: 0, count: blockRows * cols)
        var q1Transposed = [Float](repeating: 0, count: blockRows * cols)
        var q2Row = [Float](repeating: 0, count: 64)
        var p2Block = [Float](repeating: 0, count: blockRows * 64)
        var columnBox1 = BoxSweep(lanes: cols, length: rows, window: windowAlongCols)
        var columnBox2 = BoxSweep(lanes: 64, length: rows, window: windowAlongCols)
        var q1Filled = 0

        rowBlock.withUnsafeMutableBufferPointer { rowBuffer in
        transposed.withUnsafeMutableBufferPointer { transposedBuffer in
        filtered.withUnsafeMutableBufferPointer { filteredBuffer in
        filteredTransposed.withUnsafeMutableBufferPointer { filteredTransposedBuffer in
        q1Block.withUnsafeMutableBufferPointer { q1Buffer in
        q1Transposed.withUnsafeMutableBufferPointer { q1TransposedBuffer in
        p2Block.withUnsafeMutableBufferPointer { p2Buffer in
        q2Row.withUnsafeMutableBufferPointer { q2RowBuffer in
        output.withUnsafeMutableBufferPointer { outputBuffer in
            guard let block = rowBuffer.baseAddress, let blockT = transposedBuffer.baseAddress,
                  let p1 = filteredBuffer.baseAddress, let p1T = filteredTransposedBuffer.baseAddress,
                  let q1 = q1Buffer.baseAddress,
                  let q1T = q1TransposedBuffer.baseAddress, let p2 = p2Buffer.baseAddress,
                  let q2Line = q2RowBuffer.baseAddress,
                  let a = outputBuffer.baseAddress else { return }

            /// Second column box, on the 64 decimation columns only: one P2 row in.
            func columnBox2Push(_ row: UnsafePointer<Float>) {
                if columnBox2.push(row) { emitQ2() }
            }
            func emitQ2() {
                let index = columnBox2.out
                if sampleRows.contains(index) {
                    columnBox2.output(into: q2Line)
                    for (i, sampled) in sampleRows.enumerated() where sampled == index {
                        (a + i * 64).update(from: q2Line, count: 64)
                    }
                } else {
                    columnBox2.skipOutput()
                }
            }

            /// Second row box over the `count` Q1 rows gathered in `q1`: sums along every
            /// column, outputs only at the decimation columns, then each row to box 2.
            func rowBox2(count: Int) {
                guard count > 0 else { return }
                JaroszFilter.transpose(q1, rows: count, cols: cols, into: q1T)
                var sweep = BoxSweep(lanes: count, length: cols, window: windowAlongRows)
                func take() {
                    let column = sweep.out
                    let slot = firstSlotOfColumn[column]
                    if slot >= 0 {
                        sweep.output(into: p2 + slot, stride: 64)
                    } else {
                        sweep.skipOutput()
                    }
                }
                for column in 0..<cols {
                    if sweep.push(q1T + column * count) { take() }
                }
                while sweep.drain() { take() }
                for r in 0..<count {
                    let line = p2 + r * 64
                    for (slot, column) in sampleCols.enumerated() where firstSlotOfColumn[column] != slot {
                        line[slot] = line[firstSlotOfColumn[column]]
                    }
                    columnBox2Push(line)
                }
            }

            /// First column box: one P1 row in, Q1 rows out to the second row box.
            func takeQ1() {
                columnBox1.output(into: q1 + q1Filled * cols)
                q1Filled += 1
                if q1Filled == blockRows {
                    rowBox2(count: q1Filled)
                    q1Filled = 0
                }
            }

            var first = 0
            while first < rows {
                let count = min(blockRows, rows - first)
                for r in 0..<count { fillRow(first + r, block + r * cols) }
                // First row box: the block's rows advance together, a lane each.
                JaroszFilter.transpose(block, rows: count, cols: cols, into: blockT)
                var sweep = BoxSweep(lanes: count, length: cols, window: windowAlongRows)
                // Outputs column by column (contiguous lanes), then back to rows in tiles:
                // writing each output straight into its 64 rows scattered the stores.
                for column in 0..<cols {
                    if sweep.push(blockT + column * count) { sweep.output(into: p1T + sweep.out * count) }
                }
                while sweep.drain() { sweep.output(into: p1T + sweep.out * count) }
                JaroszFilter.transpose(p1T, rows: cols, cols: count, into: p1)
                for r in 0..<count {
                    if columnBox1.push(p1 + r * cols) { takeQ1() }
                }
                first += count
            }
            while columnBox1.drain() { takeQ1() }
            rowBox2(count: q1Filled)
            while columnBox2.drain() { emitQ2() }
        }}}}}}}}}
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
