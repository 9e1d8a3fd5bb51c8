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
    ///
    /// Stages go two at a time (`stagePair`), each group of four positions loaded once for
    /// both, which halves the loads and stores; every butterfly is the one the stage alone
    /// computes, with the same operations in the same order, so the values are the same
    /// bits (`FFT2DTests` compares with the one-stage-at-a-time scalar transform). An odd
    /// number of stages starts with the single first stage.
    private func butterflies(_ re: UnsafeMutablePointer<SIMD4<Double>>, _ im: UnsafeMutablePointer<SIMD4<Double>>) {
        let n = size
        var length = 2
        if n.trailingZeroBitCount % 2 == 1 {
            firstStage(re, im)
            length = 4
        }
        while length * 2 <= n {
            stagePair(re, im, length: length)
            length *= 4
        }
    }

    /// One butterfly: (a, b) ← (a + w·b, a − w·b).
    @inline(__always)
    private static func butterfly(_ reA: inout SIMD4<Double>, _ imA: inout SIMD4<Double>,
                                  _ reB: inout SIMD4<Double>, _ imB: inout SIMD4<Double>,
                                  _ wr: SIMD4<Double>, _ wi: SIMD4<Double>) {
        let tr = reB * wr - imB * wi, ti = reB * wi + imB * wr
        reB = reA - tr
        imB = imA - ti
        reA = reA + tr
        imA = imA + ti
    }

    /// The butterfly at k = 0, whose twiddle is (1, −0): t = b exactly up to the sign of a
    /// zero, and every later value is the same real number. A zero's sign never reaches
    /// |F|² (squares are +0), so the power is bit-identical without the multiplies.
    @inline(__always)
    private static func plainButterfly(_ reA: inout SIMD4<Double>, _ imA: inout SIMD4<Double>,
                                       _ reB: inout SIMD4<Double>, _ imB: inout SIMD4<Double>) {
        let tr = reB, ti = imB
        reB = reA - tr
        imB = imA - ti
        reA = reA + tr
        imA = imA + ti
    }

    /// The stage of length 2 (only k = 0 butterflies).
    private func firstStage(_ re: UnsafeMutablePointer<SIMD4<Double>>, _ im: UnsafeMutablePointer<SIMD4<Double>>) {
        var start = 0
        while start < size {
            Self.plainButterfly(&re[start], &im[start], &re[start + 1], &im[start + 1])
            start += 2
        }
    }

    /// The stages of `length` and 2·`length`. For each k < length/2 of a block of
    /// 2·`length`, positions k, k + length/2 (the first half-block) and k + length,
    /// k + 3·length/2 (the second) are a closed group: the first stage pairs (0, 1) and
    /// (2, 3) with twiddle k, the second pairs (0, 2) with twiddle k and (1, 3) with
    /// twiddle k + length/2 of its own length.
    private func stagePair(_ re: UnsafeMutablePointer<SIMD4<Double>>, _ im: UnsafeMutablePointer<SIMD4<Double>>, length: Int) {
        let n = size, half = length / 2, step = n / length, nextStep = n / (2 * length)
        cosines.withUnsafeBufferPointer { cosines in
        sines.withUnsafeBufferPointer { sines in
            var start = 0
            while start < n {
                for k in 0..<half {
                    let i0 = start + k, i1 = i0 + half, i2 = i0 + length, i3 = i2 + half
                    var r0 = re[i0], m0 = im[i0], r1 = re[i1], m1 = im[i1]
                    var r2 = re[i2], m2 = im[i2], r3 = re[i3], m3 = im[i3]
                    if k == 0 {
                        Self.plainButterfly(&r0, &m0, &r1, &m1)
                        Self.plainButterfly(&r2, &m2, &r3, &m3)
                        Self.plainButterfly(&r0, &m0, &r2, &m2)
                    } else {
                        let wr = SIMD4<Double>(repeating: cosines[k * step]), wi = SIMD4<Double>(repeating: sines[k * step])
                        Self.butterfly(&r0, &m0, &r1, &m1, wr, wi)
                        Self.butterfly(&r2, &m2, &r3, &m3, wr, wi)
                        let vr = SIMD4<Double>(repeating: cosines[k * nextStep]), vi = SIMD4<Double>(repeating: sines[k * nextStep])
                        Self.butterfly(&r0, &m0, &r2, &m2, vr, vi)
                    }
                    let ur = SIMD4<Double>(repeating: cosines[(k + half) * nextStep])
                    let ui = SIMD4<Double>(repeating: sines[(k + half) * nextStep])
                    Self.butterfly(&r1, &m1, &r3, &m3, ur, ui)
                    re[i0] = r0; im[i0] = m0; re[i1] = r1; im[i1] = m1
                    re[i2] = r2; im[i2] = m2; re[i3] = r3; im[i3] = m3
                }
                start += 2 * length
            }
        }}
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

    /// Column panels: panel g holds columns 4g…4g+3 of the transform, one per lane, row
    /// frequency by row frequency (`count / 4` vectors each for the real and imaginary parts).
    private struct Panels {
        let re: UnsafeMutablePointer<SIMD4<Double>>
        let im: UnsafeMutablePointer<SIMD4<Double>>

        init(count: Int) {
            re = .allocate(capacity: count / 4)
            im = .allocate(capacity: count / 4)
        }

        func deallocate() {
            re.deallocate()
            im.deallocate()
        }
    }

    /// The row pass of the transform of `real` + i·`imaginary` (nil: 0), its results
    /// written into `panels` in row order (the column pass bit-reverses each panel).
    private func rowPass(_ real: UnsafePointer<Double>, _ imaginary: UnsafePointer<Double>?, into panels: Panels) {
        let n = size, groups = n / 4
        let rowsRe = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: n)
        let rowsIm = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: n)
        defer {
            rowsRe.deallocate()
            rowsIm.deallocate()
        }
        bitReversed.withUnsafeBufferPointer { reversed in
            for y0 in stride(from: 0, to: n, by: 4) {
                // Four image rows, one per lane, in bit-reversed order.
                let r0 = real + y0 * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n
                for x in 0..<n { rowsRe[reversed[x]] = SIMD4(r0[x], r1[x], r2[x], r3[x]) }
                if let imaginary {
                    let i0 = imaginary + y0 * n, i1 = i0 + n, i2 = i1 + n, i3 = i2 + n
                    for x in 0..<n { rowsIm[reversed[x]] = SIMD4(i0[x], i1[x], i2[x], i3[x]) }
                } else {
                    for x in 0..<n { rowsIm[x] = SIMD4(repeating: 0) }
                }
                butterflies(rowsRe, rowsIm)
                // Frequencies x…x+3 of these four rows become lanes of column panel x/4,
                // rows y0…y0+3 of it: 128 contiguous bytes (whole cache lines).
                for group in 0..<groups {
                    let x = group * 4, panel = group * n + y0
                    Self.transposeFour(rowsRe + x, into: panels.re + panel)
                    Self.transposeFour(rowsIm + x, into: panels.im + panel)
                }
            }
        }
    }

    /// The column transforms of panel `group`, in place.
    private func columnPass(_ panels: Panels, group: Int) {
        let n = size, re = panels.re + group * n, im = panels.im + group * n
        // Bit reversal within the panel (in cache; the row pass wrote rows in order so
        // that its stores fill whole cache lines).
        bitReversed.withUnsafeBufferPointer { reversed in
            for position in 0..<n where reversed[position] > position {
                swap(&re[position], &re[reversed[position]])
                swap(&im[position], &im[reversed[position]])
            }
        }
        butterflies(re, im)
    }

    /// Writes `value`, the four frequencies of columns 4·group…4·group+3, into `row` of a
    /// shifted plane: on four neighbouring columns when half is a multiple of 4 (size 8
    /// and up); at size 4 they wrap.
    @inline(__always)
    private func storeShifted(_ value: SIMD4<Double>, row: UnsafeMutablePointer<Double>, group: Int) {
        let half = size / 2, mask = size - 1
        if half % 4 == 0 {
            UnsafeMutableRawPointer(row + ((group * 4 + half) & mask)).storeBytes(of: value, as: SIMD4<Double>.self)
        } else {
            for lane in 0..<4 { row[(group * 4 + lane + half) & mask] = value[lane] }
        }
    }

    /// |F|² of the 2-D transform of a real `size`×`size` image (row-major), with the zero
    /// frequency moved to the centre (`fftshift`): index (y, x) holds frequency
    /// (y − size/2, x − size/2). Rows are transformed first, then columns.
    func shiftedPower(_ image: [Double]) -> [Double] {
        precondition(image.count == size * size)
        let n = size, count = n * n, groups = n / 4, half = n / 2
        // Every slot is written by the row pass before the column pass reads it.
        let panels = Panels(count: count)
        defer { panels.deallocate() }
        image.withUnsafeBufferPointer { pixels in
            guard let source = pixels.baseAddress else { return }
            rowPass(source, nil, into: panels)
        }
        // Every index is written once (the shift is a permutation), so no zero fill.
        return [Double](unsafeUninitializedCapacity: count) { power, initialized in
            guard let base = power.baseAddress else { return }
            // Eight panels (32 columns) at a time, so that each row of the power receives
            // 256 contiguous bytes rather than 32 (column-wise stores of 32 bytes spread over
            // every row were most of the cost).
            let block = min(8, groups), mask = n - 1
            for firstGroup in stride(from: 0, to: groups, by: block) {
                for group in firstGroup..<(firstGroup + block) { columnPass(panels, group: group) }
                for y in 0..<n {
                    let row = base + ((y + half) & mask) * n
                    for group in firstGroup..<(firstGroup + block) {
                        let at = group * n + y
                        storeShifted(panels.re[at] * panels.re[at] + panels.im[at] * panels.im[at], row: row, group: group)
                    }
                }
            }
            initialized = count
        }
    }

    /// `shiftedPower` of two real images at the cost of one transform: the transform Z of
    /// `first` + i·`second` holds both, since a real image's transform is Hermitian:
    /// A(k) = (Z(k) + conj Z(−k)) / 2 and B(k) = (Z(k) − conj Z(−k)) / 2i, so
    /// |A(k)|² = (|Re Z(k) + Re Z(−k)|² + |Im Z(k) − Im Z(−k)|²) / 4 and
    /// |B(k)|² = (|Im Z(k) + Im Z(−k)|² + |Re Z(k) − Re Z(−k)|²) / 4.
    /// The values agree with `shiftedPower` of each to rounding, relative to the larger
    /// of the two spectra at that frequency (`FFT2DTests`); they are not the same bits.
    func shiftedPowers(_ first: [Double], _ second: [Double]) -> (first: [Double], second: [Double]) {
        precondition(first.count == size * size && second.count == size * size)
        let n = size, count = n * n, groups = n / 4, half = n / 2, mask = n - 1
        let panels = Panels(count: count)
        defer { panels.deallocate() }
        first.withUnsafeBufferPointer { real in
            second.withUnsafeBufferPointer { imaginary in
                guard let real = real.baseAddress, let imaginary = imaginary.baseAddress else { return }
                rowPass(real, imaginary, into: panels)
            }
        }
        // Z(−k) of a group of four columns lies in other panels, so every column is
        // transformed before the two spectra are separated.
        for group in 0..<groups { columnPass(panels, group: group) }
        var secondPowers: [Double] = []
        let firstPowers = [Double](unsafeUninitializedCapacity: count) { firstPower, firstCount in
            secondPowers = [Double](unsafeUninitializedCapacity: count) { secondPower, secondCount in
                guard let firstBase = firstPower.baseAddress, let secondBase = secondPower.baseAddress else { return }
                let block = min(8, groups)
                for firstGroup in stride(from: 0, to: groups, by: block) {
                    for y in 0..<n {
                        let mirrorY = (n - y) & mask
                        let firstRow = firstBase + ((y + half) & mask) * n, secondRow = secondBase + ((y + half) & mask) * n
                        for group in firstGroup..<(firstGroup + block) {
                            let at = group * n + y
                            // Columns −4g, −4g−1, −4g−2, −4g−3 (mod n): lane 0 of panel −g, then
                            // lanes 3, 2, 1 of panel −g−1.
                            let near = ((groups - group) % groups) * n + mirrorY, far = (groups - group - 1) * n + mirrorY
                            let mirrorRe = SIMD4(panels.re[near][0], panels.re[far][3], panels.re[far][2], panels.re[far][1])
                            let mirrorIm = SIMD4(panels.im[near][0], panels.im[far][3], panels.im[far][2], panels.im[far][1])
                            let re = panels.re[at], im = panels.im[at]
                            let sumRe = re + mirrorRe, differenceRe = re - mirrorRe
                            let sumIm = im + mirrorIm, differenceIm = im - mirrorIm
                            storeShifted((sumRe * sumRe + differenceIm * differenceIm) * 0.25, row: firstRow, group: group)
                            storeShifted((sumIm * sumIm + differenceRe * differenceRe) * 0.25, row: secondRow, group: group)
                        }
                    }
                }
                secondCount = count
            }
            firstCount = count
        }
        return (firstPowers, secondPowers)
    }
}
