import Foundation

/// A radix-2 complex FFT for the square, power-of-two crops the spectral features use.
/// Plain and deterministic (the same input gives the same bits on every run), which the
/// byte-identical model training relies on.
///
/// Why it is laid out this way: every 1-D transform is the textbook iterative
/// decimation-in-time (bit reversal, then butterflies with tabulated twiddles), and its
/// arithmetic is exactly that of a one-column-at-a-time loop. But all the columns of the
/// plane are transformed together: a butterfly between rows `a` and `b` runs across the
/// whole row pair, four columns per SIMD lane group, reading contiguous memory. Each lane
/// performs the same operations in the same order as the scalar loop, so the result is
/// bit-identical to it (the tests hold a scalar reference), while the strided column
/// walks that thrashed the cache are gone. The row transforms are done the same way on
/// the transposed plane.
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

    /// Transforms every column of the row-major `size`×`size` plane in place.
    private func transformColumns(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>) {
        let n = size
        // Bit reversal permutes whole rows.
        for i in 0..<n {
            let j = bitReversed[i]
            if j > i {
                swapRows(re, i, j)
                swapRows(im, i, j)
            }
        }
        let groups = n / 4
        var length = 2
        while length <= n {
            let half = length / 2, step = n / length
            var start = 0
            while start < n {
                // k = 0: the twiddle is (1, −0), so t = b exactly up to the sign of a zero,
                // and every later value is the same real number. A zero's sign never reaches
                // |F|² (squares are +0), so the power is bit-identical without the multiplies
                // (FFT2DTests compares it bit for bit with the plain transform).
                let rowA0 = start * n, rowB0 = (start + half) * n
                for group in 0..<groups {
                    let a = rowA0 + group * 4, b = rowB0 + group * 4
                    let reA = load(re, a), imA = load(im, a), reB = load(re, b), imB = load(im, b)
                    store(reA - reB, re, b)
                    store(imA - imB, im, b)
                    store(reA + reB, re, a)
                    store(imA + imB, im, a)
                }
                for k in 1..<half {
                    let wr = SIMD4<Double>(repeating: cosines[k * step])
                    let wi = SIMD4<Double>(repeating: sines[k * step])
                    let rowA = (start + k) * n, rowB = (start + k + half) * n
                    for group in 0..<groups {
                        let a = rowA + group * 4, b = rowB + group * 4
                        let reA = load(re, a), imA = load(im, a), reB = load(re, b), imB = load(im, b)
                        let tr = reB * wr - imB * wi, ti = reB * wi + imB * wr
                        store(reA - tr, re, b)
                        store(imA - ti, im, b)
                        store(reA + tr, re, a)
                        store(imA + ti, im, a)
                    }
                }
                start += length
            }
            length *= 2
        }
    }

    @inline(__always)
    private func load(_ base: UnsafeMutablePointer<Double>, _ index: Int) -> SIMD4<Double> {
        UnsafeRawPointer(base + index).loadUnaligned(as: SIMD4<Double>.self)
    }

    @inline(__always)
    private func store(_ value: SIMD4<Double>, _ base: UnsafeMutablePointer<Double>, _ index: Int) {
        UnsafeMutableRawPointer(base + index).storeBytes(of: value, as: SIMD4<Double>.self)
    }

    private func swapRows(_ plane: UnsafeMutablePointer<Double>, _ i: Int, _ j: Int) {
        let a = plane + i * size, b = plane + j * size
        for x in 0..<size { swap(&a[x], &b[x]) }
    }

    private func transpose(_ source: UnsafePointer<Double>, into target: UnsafeMutablePointer<Double>) {
        let n = size, tile = 16
        for y0 in stride(from: 0, to: n, by: tile) {
            for x0 in stride(from: 0, to: n, by: tile) {
                for y in y0..<min(y0 + tile, n) {
                    for x in x0..<min(x0 + tile, n) { target[x * n + y] = source[y * n + x] }
                }
            }
        }
    }

    /// |F|² of the 2-D transform of a real `size`×`size` image (row-major), with the zero
    /// frequency moved to the centre (`fftshift`): index (y, x) holds frequency
    /// (y − size/2, x − size/2). Rows are transformed first, then columns.
    func shiftedPower(_ image: [Double]) -> [Double] {
        precondition(image.count == size * size)
        let count = size * size
        // `re` and `scratch` are written whole (by the transposes) before they are read,
        // so they are not zero-filled first; `im` starts as the real image's zeros.
        var re = [Double](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        var im = [Double](repeating: 0, count: count)
        var scratch = [Double](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        re.withUnsafeMutableBufferPointer { reBuffer in
            im.withUnsafeMutableBufferPointer { imBuffer in
                scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                    guard let r = reBuffer.baseAddress, let i = imBuffer.baseAddress, let s = scratchBuffer.baseAddress else { return }
                    // Rows: transform the columns of the transposed image (imaginary part 0).
                    image.withUnsafeBufferPointer { source in
                        if let source = source.baseAddress { transpose(source, into: r) }
                    }
                    transformColumns(r, i)
                    // Back to the image's orientation, then its columns.
                    transpose(r, into: s)
                    r.update(from: s, count: count)
                    transpose(i, into: s)
                    i.update(from: s, count: count)
                    transformColumns(r, i)
                }
            }
        }
        // Every index is written once (the shift is a permutation), so no zero fill.
        let half = size / 2
        return [Double](unsafeUninitializedCapacity: count) { power, initialized in
            for y in 0..<size {
                let sy = (y + half) % size
                for x in 0..<size {
                    let sx = (x + half) % size
                    let index = y * size + x
                    power[sy * size + sx] = re[index] * re[index] + im[index] * im[index]
                }
            }
            initialized = count
        }
    }
}
