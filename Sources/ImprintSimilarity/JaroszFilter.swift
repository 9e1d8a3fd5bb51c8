/// PDQ's tent filter (spec §4): two passes of (box along rows, then box along columns),
/// each box a running float32 sum in the reference's four phases, so results are
/// bit-identical to Meta's `box1DFloat`. This holds the box's window sizes and phases;
/// `JaroszStream` runs the filter (`imprint_tent_*` in CImprintKernels). The tests keep a
/// whole-plane form as the reference the stream is compared with.
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
}
