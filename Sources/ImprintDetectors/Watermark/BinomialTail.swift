#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tail probabilities of the binomial distribution with p = 1/2: the chance that `n`
/// fair coin flips agree with a fixed pattern in `k` or more places.
public enum BinomialTail {
    /// P(X >= k) for X ~ Binomial(n, 1/2), summed in log space (exact to double precision
    /// for the payload lengths used here, n <= a few hundred).
    public static func upper(k: Int, n: Int) -> Double {
        guard n > 0 else { return 1 }
        if k <= 0 { return 1 }
        if k > n { return 0 }
        let logHalfPower = Double(n) * log(0.5)
        var total = 0.0
        for i in k...n {
            total += exp(logChoose(n, i) + logHalfPower)
        }
        return min(1, total)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
