import CImprintKernels

/// PDQ's tent filter (spec §4): two passes of (box along rows, then box along columns),
/// each box a running float32 sum in the reference's four phases, so results are
/// bit-identical to Meta's `box1DFloat`. This holds the box's definition (window sizes,
/// phases, the 1-D box); `JaroszStream` runs the filter. The tests keep a whole-plane
/// form as the reference the stream is compared with.
enum JaroszFilter {
    static let passes = 2

    /// `(dim + 2·64 − 1) / (2·64)`: half of 1/64 of the dimension, rounded up.
    static func windowSize(oldDimension: Int, newDimension: Int = 64) -> Int {
        (oldDimension + 2 * newDimension - 1) / (2 * newDimension)
    }

    /// The number of samples the four phases use: (phase 1 adds, phase 2 outputs, phase 3
    /// outputs, phase 4 outputs). `h = (W + 2) / 2` gives 7 → 4 and 8 → 5.
    static func phases(length n: Int, window w: Int) -> (Int, Int, Int, Int) {
        let half = (w + 2) / 2
        return (half - 1, w - half + 1, n - w, half - 1)
    }

    /// One 1-D box over an array (for tests and small inputs).
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

    /// `target[c][r] = source[r][c]` for a `rows × cols` row-major source: a copy, in
    /// 8 × 8 tiles transposed in vector registers (`CImprintKernels`).
    static func transpose(_ source: UnsafePointer<Float>, rows: Int, cols: Int, into target: UnsafeMutablePointer<Float>) {
        imprint_transpose_f32(source, Int32(rows), Int32(cols), target)
    }
}
