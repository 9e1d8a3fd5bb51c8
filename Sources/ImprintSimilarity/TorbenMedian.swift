/// Torben Mogensen's median (as in N. Devillard's public-domain "Fast median search"),
/// which PDQ thresholds its 256 DCT coefficients at (spec §8). It never reorders its
/// input and returns the ⌈n/2⌉-th smallest value, the lower median for even n: for 256
/// values, what sorting a copy and taking index 127 gives. Written from the published
/// description; the float32 midpoint guesses only steer the search, the result is always
/// one of the input values.
enum TorbenMedian {
    static func lowerMedian(_ values: [Float]) -> Float {
        guard var lo = values.first else { return 0 }
        var hi = lo
        for v in values {
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        let half = (values.count + 1) / 2
        while true {
            let guess = (lo + hi) / 2
            var less = 0, greater = 0, equal = 0
            var maxBelow = lo, minAbove = hi
            for v in values {
                if v < guess {
                    less += 1
                    if v > maxBelow { maxBelow = v }
                } else if v > guess {
                    greater += 1
                    if v < minAbove { minAbove = v }
                } else {
                    equal += 1
                }
            }
            if less <= half && greater <= half {
                if less >= half { return maxBelow }
                if less + equal >= half { return guess }
                return minAbove
            }
            if less > greater {
                hi = maxBelow
            } else {
                lo = minAbove
            }
        }
    }
}
