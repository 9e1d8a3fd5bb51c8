import Foundation

/// A radix-2 complex FFT for the square, power-of-two crops the spectral features use.
/// Plain and deterministic (the same input gives the same bits on every run), which the
/// byte-identical model training relies on.
///
/// Why it is laid out this way: every 1-D transform is the textbook iterative
/// decimation-in-time (bit reversal, then butterflies with tabulated twiddles), and its
/// arithmetic is exactly that of a one-row-at-a-time loop (the tests hold a scalar
/// reference and compare bit for bit). What changes is only where the numbers live:
/// four transforms run side by side in the lanes of a `SIMD4<Double>`, and each group of
/// four goes through all of its butterfly stages in a small panel (4 × size values, 32 KB
/// for the 512 crop) that stays in the first-level cache, instead of every stage
/// sweeping the whole 4 MB plane. Rows first: each panel holds four image rows; its
/// results are written, transposed four by four, straight into the column panels the
/// second pass needs, and the second pass writes the
/// shifted power from its panels. No whole-plane transposes or copies remain.
struct FFT2D {
    let size: Int
    private let bitReversed: [Int]
    private let cosines: [Double]
    private let sines: [Double]

    init?(size: Int) {
        guard size >= 4, size & (size - 1) == 0 else { return nil }
        self.size = size
        let bits = size.trailingZeroBitCount
        bitReversed = (0..<size).map { index in
            var reversed = 0
            for bit in 0..<bits where index & (1 << bit) != 0 { reversed |= 1 << (bits - 1 - bit) }
            return reversed
        }
        cosines = (0..<(size / 2)).map { cos(-2 * Double.pi * Double($0) / Double(size)) }
        sines = (0..<(size / 2)).map { sin(-2 * Double.pi * Double($0) / Double(size)) }
    }

    /// The butterfly stages of four transforms at once: `re[p]` and `im[p]` hold position
    /// p (already in bit-reversed order) of each of the four, one per lane.
    private func butterflies(_ re: UnsafeMutablePointer<SIMD4<Double>>, _ im: UnsafeMutablePointer<SIMD4<Double>>) {
        let n = size
        var length = 2
        while length <= n {
            let half = length / 2, step = n / length
            var start = 0
            while start < n {
                // k = 0: the twiddle is (1, −0), so t = b exactly up to the sign of a zero,
                // and every later value is the same real number. A zero's sign never reaches
                // |F|² (squares are +0), so the power is bit-identical without the multiplies
                // (FFT2DTests compares it bit for bit with the plain transform).
                do {
                    let a = start, b = start + half
                    let reA = re[a], imA = im[a], reB = re[b], imB = im[b]
                    re[b] = reA - reB
                    im[b] = imA - imB
                    re[a] = reA + reB
                    im[a] = imA + imB
                }
                for k in 1..<half {
                    let wr = SIMD4<Double>(repeating: cosines[k * step])
                    let wi = SIMD4<Double>(repeating: sines[k * step])
                    let a = start + k, b = start + k + half
                    let reA = re[a], imA = im[a], reB = re[b], imB = im[b]
                    let tr = reB * wr - imB * wi, ti = reB * wi + imB * wr
                    re[b] = reA - tr
                    im[b] = imA - ti
                    re[a] = reA + tr
                    im[a] = imA + ti
                }
                start += length
            }
            length *= 2
        }
    }

    /// Four consecutive vectors of `source` (lane j of vector i is element (j, i)) written
    /// transposed to four consecutive vectors of `target` (two whole cache lines).
    @inline(__always)
    private static func transposeFour(_ source: UnsafeMutablePointer<SIMD4<Double>>, into target: UnsafeMutablePointer<SIMD4<Double>>) {
        let a = source[0], b = source[1], c = source[2], d = source[3]
        target[0] = SIMD4(a[0], b[0], c[0], d[0])
        target[1] = SIMD4(a[1], b[1], c[1], d[1])
        target[2] = SIMD4(a[2], b[2], c[2], d[2])
        target[3] = SIMD4(a[3], b[3], c[3], d[3])
    }

    /// |F|² of the 2-D transform of a real `size`×`size` image (row-major), with the zero
    /// frequency moved to the centre (`fftshift`): index (y, x) holds frequency
    /// (y − size/2, x − size/2). Rows are transformed first, then columns.
    func shiftedPower(_ image: [Double]) -> [Double] {
        precondition(image.count == size * size)
        let n = size, count = n * n, groups = n / 4, half = n / 2
        // Column panels: panel g holds image columns 4g…4g+3 of the row transforms' output,
        // row by row. Every slot is written by the row pass before the column pass reads it.
        let columnsRe = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: count / 4)
        let columnsIm = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: count / 4)
        let rowsRe = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: n)
        let rowsIm = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: n)
        defer {
            columnsRe.deallocate()
            columnsIm.deallocate()
            rowsRe.deallocate()
            rowsIm.deallocate()
        }
        image.withUnsafeBufferPointer { pixels in
            guard let source = pixels.baseAddress else { return }
            bitReversed.withUnsafeBufferPointer { reversed in
                for y0 in stride(from: 0, to: n, by: 4) {
                    // Four image rows, one per lane, in bit-reversed order; imaginary part 0.
                    let r0 = source + y0 * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n
                    for x in 0..<n {
                        rowsRe[reversed[x]] = SIMD4(r0[x], r1[x], r2[x], r3[x])
                        rowsIm[x] = SIMD4(repeating: 0)
                    }
                    butterflies(rowsRe, rowsIm)
                    // Frequencies x…x+3 of these four rows become lanes of column panel x/4,
                    // rows y0…y0+3 of it: 128 contiguous bytes (whole cache lines).
                    for group in 0..<groups {
                        let x = group * 4, panel = group * n + y0
                        Self.transposeFour(rowsRe + x, into: columnsRe + panel)
                        Self.transposeFour(rowsIm + x, into: columnsIm + panel)
                    }
                }
            }
        }
        // Every index is written once (the shift is a permutation), so no zero fill.
        return [Double](unsafeUninitializedCapacity: count) { power, initialized in
            guard let base = power.baseAddress else { return }
            // Eight panels (32 columns) at a time, so that each row of the power receives
            // 256 contiguous bytes rather than 32 (column-wise stores of 32 bytes spread over
            // every row were most of the cost).
            let block = min(8, groups), mask = n - 1
            for firstGroup in stride(from: 0, to: groups, by: block) {
                for group in firstGroup..<(firstGroup + block) {
                    let re = columnsRe + group * n, im = columnsIm + group * n
                    // Bit reversal within the panel (in cache; the row pass wrote rows in
                    // order so that its stores fill whole cache lines).
                    bitReversed.withUnsafeBufferPointer { reversed in
                        for position in 0..<n where reversed[position] > position {
                            swap(&re[position], &re[reversed[position]])
                            swap(&im[position], &im[reversed[position]])
                        }
                    }
                    butterflies(re, im)
                }
                for y in 0..<n {
                    let row = base + ((y + half) & mask) * n
                    for group in firstGroup..<(firstGroup + block) {
                        let at = group * n + y
                        let value = columnsRe[at] * columnsRe[at] + columnsIm[at] * columnsIm[at]
                        // Columns 4g…4g+3 land, shifted, on four neighbouring columns when half
                        // is a multiple of 4 (size 8 and up); at size 4 they wrap.
                        if half % 4 == 0 {
                            UnsafeMutableRawPointer(row + ((group * 4 + half) & mask)).storeBytes(of: value, as: SIMD4<Double>.self)
                        } else {
                            for lane in 0..<4 { row[(group * 4 + lane + half) & mask] = value[lane] }
                        }
                    }
                }
            }
            initialized = count
        }
    }
}
