import Foundation

/// PDQ stages 4–6 (spec §5–§7): decimation to 64×64, the quality metric and the 16×16
/// DCT without DC. All float32 in the reference's order (see the note on `PDQLuma`).
enum PDQTransform {
    /// The 64 rows (or columns) decimation samples from `dimension`:
    /// `⌊(i+0.5)·dimension/64⌋`, computed in double. Inputs smaller than 64 repeat samples.
    static func samples(_ dimension: Int) -> [Int] {
        (0..<64).map { Int(((Double($0) + 0.5) * Double(dimension)) / 64) }
    }

    /// Gradient sum over vertical then horizontal neighbours, each difference scaled
    /// `((u − v) · 100) / 255` in float32 and truncated toward zero; `min(100, sum / 90)`.
    static func quality(_ a: [Float]) -> Int {
        var gradientSum = 0
        for i in 0..<63 {
            for j in 0..<64 {
                gradientSum += abs(truncatedDifference(a[i * 64 + j], a[(i + 1) * 64 + j]))
            }
        }
        for i in 0..<64 {
            for j in 0..<63 {
                gradientSum += abs(truncatedDifference(a[i * 64 + j], a[i * 64 + j + 1]))
            }
        }
        return min(100, gradientSum / 90)
    }

    private static func truncatedDifference(_ u: Float, _ v: Float) -> Int {
        let scaled: Float = ((u - v) * 100) / 255
        // Finite by construction (luma is in 0…255); the guard keeps a NaN from trapping.
        guard scaled.isFinite else { return 0 }
        return Int(scaled)
    }

    /// `D[i][j] = Float(Double(Float(√(2/64))) · cos(π/128 · (i+1) · (2j+1)))`, 16 × 64:
    /// orthonormal DCT-II rows for frequencies 1…16 (row 0, DC, omitted).
    static let dctMatrix: [Float] = {
        let scale = Double(Float((2.0 / 64.0).squareRoot()))
        var d = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                // (π / 2 / 64) · (i + 1) · (2j + 1), left to right, as the reference.
                let angle = (Double.pi / 2.0 / 64.0) * Double(i + 1) * Double(2 * j + 1)
                d[i * 64 + j] = Float(scale * cos(angle))
            }
        }
        return d
    }()

    /// `B = D·A·Dᵀ` (16×16, row-major) via `T = D·A` (16×64); both sums a float32
    /// accumulator from 0 with k ascending. `B[i][j]`: vertical frequency i+1, horizontal j+1.
    static func dct16(_ a: [Float]) -> [Float] {
        let d = dctMatrix
        var t = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                var sum: Float = 0
                for k in 0..<64 {
                    sum += d[i * 64 + k] * a[k * 64 + j]
                }
                t[i * 64 + j] = sum
            }
        }
        var b = [Float](repeating: 0, count: 16 * 16)
        for i in 0..<16 {
            for j in 0..<16 {
                var sum: Float = 0
                for k in 0..<64 {
                    sum += t[i * 64 + k] * d[j * 64 + k]
                }
                b[i * 16 + j] = sum
            }
        }
        return b
    }
}
