import Foundation

/// A radix-2 complex FFT for the square, power-of-two crops the spectral features use.
/// Plain and deterministic (the same input gives the same bits on every run), which the
/// byte-identical model training relies on.
struct FFT2D {
    let size: Int
    private let bitReversed: [Int]
    private let cosines: [Double]
    private let sines: [Double]

    init?(size: Int) {
        guard size >= 2, size & (size - 1) == 0 else { return nil }
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

    /// In-place 1-D transform of `count` values at `offset` with `stride`.
    private func transform(_ re: inout [Double], _ im: inout [Double], offset: Int, stride: Int) {
        let n = size
        for i in 0..<n {
            let j = bitReversed[i]
            if j > i {
                re.swapAt(offset + i * stride, offset + j * stride)
                im.swapAt(offset + i * stride, offset + j * stride)
            }
        }
        var length = 2
        while length <= n {
            let half = length / 2, step = n / length
            var start = 0
            while start < n {
                for k in 0..<half {
                    let wr = cosines[k * step], wi = sines[k * step]
                    let a = offset + (start + k) * stride, b = offset + (start + k + half) * stride
                    let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr
                    im[b] = im[a] - ti
                    re[a] += tr
                    im[a] += ti
                }
                start += length
            }
            length *= 2
        }
    }

    /// |F|² of the 2-D transform of a real `size`×`size` image (row-major), with the zero
    /// frequency moved to the centre (`fftshift`): index (y, x) holds frequency
    /// (y − size/2, x − size/2).
    func shiftedPower(_ image: [Double]) -> [Double] {
        precondition(image.count == size * size)
        var re = image
        var im = [Double](repeating: 0, count: image.count)
        for row in 0..<size { transform(&re, &im, offset: row * size, stride: 1) }
        for column in 0..<size { transform(&re, &im, offset: column, stride: size) }
        var power = [Double](repeating: 0, count: image.count)
        let half = size / 2
        for y in 0..<size {
            let sy = (y + half) % size
            for x in 0..<size {
                let sx = (x + half) % size
                let index = y * size + x
                power[sy * size + sx] = re[index] * re[index] + im[index] * im[index]
            }
        }
        return power
    }
}
