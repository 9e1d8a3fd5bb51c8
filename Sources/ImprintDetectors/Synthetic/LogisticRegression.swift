import Foundation

/// L2-regularised logistic regression fitted by Newton's method (IRLS) from zero weights.
/// Deterministic: a fixed number of steps of fixed arithmetic, so the same inputs give
/// the same weights bit for bit, and the model file is byte-identical on every run.
public enum LogisticRegression {
    public struct Fit: Sendable, Equatable {
        public var weights: [Double]
        public var bias: Double
    }

    /// Fits `labels` (1 positive, 0 negative) on `rows` (already standardised). The bias
    /// is not penalised. `l2` is the penalty on Σw².
    public static func fit(rows: [[Double]], labels: [Int], l2: Double, iterations: Int = 50) -> Fit {
        let featureCount = rows.first?.count ?? 0
        let dimension = featureCount + 1
        var beta = [Double](repeating: 0, count: dimension)  // bias last
        for _ in 0..<iterations {
            var gradient = [Double](repeating: 0, count: dimension)
            var hessian = [Double](repeating: 0, count: dimension * dimension)
            for (row, label) in zip(rows, labels) {
                var z = beta[featureCount]
                for index in 0..<featureCount { z += beta[index] * row[index] }
                let p = sigmoid(z)
                let weight = max(p * (1 - p), 1e-10)
                let error = p - Double(label)
                for i in 0..<dimension {
                    let xi = i == featureCount ? 1 : row[i]
                    gradient[i] += error * xi
                    for j in 0...i {
                        let xj = j == featureCount ? 1 : row[j]
                        hessian[i * dimension + j] += weight * xi * xj
                    }
                }
            }
            for i in 0..<dimension {
                for j in 0..<i { hessian[j * dimension + i] = hessian[i * dimension + j] }
                if i < featureCount {
                    gradient[i] += l2 * beta[i]
                    hessian[i * dimension + i] += l2
                } else {
                    hessian[i * dimension + i] += 1e-9
                }
            }
            guard let step = solveSymmetric(hessian, gradient, dimension: dimension) else { break }
            var largest = 0.0
            for index in 0..<dimension {
                beta[index] -= step[index]
                largest = max(largest, abs(step[index]))
            }
            if largest < 1e-12 { break }
        }
        return Fit(weights: Array(beta[0..<featureCount]), bias: beta[featureCount])
    }

    public static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }

    /// Solves A·x = b for a symmetric positive-definite A by Cholesky; nil if A is not.
    static func solveSymmetric(_ a: [Double], _ b: [Double], dimension n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<n { sum -= l[k * n + i] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        return x
    }
}
