import Foundation
import ImprintImaging

/// `imagehash` 4.3.2's `average_hash`, `phash` and `dhash` with their defaults
/// (hash_size 8, highfreq_factor 4), on Pillow's `convert('L')` of the stored pixels
/// (no EXIF rotation) and Pillow's LANCZOS resize (spec §13).
public enum ImageHashes {
    /// `average_hash`: 8×8; bit = p > mean(p).
    public static func averageHash(_ raster: Raster) -> ImageHash64 {
        averageHash(grey: PillowImaging.grey(raster))
    }

    /// `phash`: 32×32; unnormalised DCT-II (`scipy.fftpack.dct`) along axis 0 then axis 1;
    /// the 8×8 low frequencies, DC included; bit = c > median (the mean of the 32nd and
    /// 33rd smallest, as `numpy.median`).
    public static func pHash(_ raster: Raster) -> ImageHash64 {
        pHash(grey: PillowImaging.grey(raster))
    }

    /// `dhash`: 9 wide × 8 high; bit(r, c) = p[r][c+1] > p[r][c].
    public static func dHash(_ raster: Raster) -> ImageHash64 {
        dHash(grey: PillowImaging.grey(raster))
    }

    /// The resized sizes (width, height) each hash starts from.
    static let averageSize = (width: 8, height: 8)
    static let differenceSize = (width: 9, height: 8)
    static let perceptualSize = (width: 32, height: 32)

    static func averageHash(grey: GreyImage) -> ImageHash64 {
        averageHash(small: PillowImaging.resizeLanczos(grey, width: averageSize.width, height: averageSize.height))
    }

    static func dHash(grey: GreyImage) -> ImageHash64 {
        dHash(small: PillowImaging.resizeLanczos(grey, width: differenceSize.width, height: differenceSize.height))
    }

    static func pHash(grey: GreyImage) -> ImageHash64 {
        pHash(small: PillowImaging.resizeLanczos(grey, width: perceptualSize.width, height: perceptualSize.height))
    }

    /// From the 8 × 8 resize.
    static func averageHash(small: GreyImage) -> ImageHash64 {
        // p > sum/64 compared exactly in integers (numpy's float64 mean of 64 bytes is exact).
        let sum = small.pixels.reduce(0) { $0 + Int($1) }
        return ImageHash64(bits: small.pixels.map { Int($0) * 64 > sum }) ?? ImageHash64(value: 0)
    }

    /// From the 9 × 8 resize.
    static func dHash(small: GreyImage) -> ImageHash64 {
        var bits: [Bool] = []
        bits.reserveCapacity(64)
        for r in 0..<8 {
            for c in 0..<8 {
                bits.append(small.pixels[r * 9 + c + 1] > small.pixels[r * 9 + c])
            }
        }
        return ImageHash64(bits: bits) ?? ImageHash64(value: 0)
    }

    /// scipy's unnormalised DCT-II, `X[k] = 2 Σₙ x[n]·cos(π·k·(2n+1) / 2N)`, for the
    /// first `count` frequencies of `x` (N a power of two).
    ///
    /// Why not the direct sum: scipy computes through an FFT, whose butterflies
    /// (sums and differences of mirrored samples) give exact zeros wherever the input
    /// is symmetric: a flat image, or one constant along an axis, has AC coefficients of
    /// exactly 0, so `c > median` is false for all of them. A direct sum of cosines
    /// leaves ±1e-13 of noise there and its bits would be noise. The same even/odd split
    /// is done here: with u = x[n] + x[N−1−n] and v = x[n] − x[N−1−n], the even
    /// frequencies are the half-length DCT of u and the odd ones a sum over v.
    static func dct2(_ x: [Double], count requested: Int) -> [Double] {
        let n = x.count
        let count = min(requested, n)
        guard count > 0 else { return [] }
        if n == 1 { return [2 * x[0]] }
        guard n % 2 == 0 else {
            // Not reached for the 32-point transform; the plain sum keeps odd sizes correct.
            return (0..<count).map { k in
                2 * (0..<n).reduce(0.0) { $0 + x[$1] * cos(Double.pi * Double(k) * Double(2 * $1 + 1) / Double(2 * n)) }
            }
        }
        let half = n / 2
        var u = [Double](repeating: 0, count: half)
        var v = [Double](repeating: 0, count: half)
        for i in 0..<half {
            u[i] = x[i] + x[n - 1 - i]
            v[i] = x[i] - x[n - 1 - i]
        }
        let even = dct2(u, count: (count + 1) / 2)
        var out = [Double](repeating: 0, count: count)
        for k in 0..<count {
            if k % 2 == 0 {
                out[k] = even[k / 2]
            } else {
                var sum = 0.0
                for i in 0..<half {
                    sum += v[i] * cos(Double.pi * Double(k) * Double(2 * i + 1) / Double(2 * n))
                }
                out[k] = 2 * sum
            }
        }
        return out
    }

    /// From the 32 × 32 resize.
    static func pHash(small: GreyImage) -> ImageHash64 {
        let p = small.pixels.map(Double.init)
        // Along axis 0 (down each column), the 8 lowest frequencies: x[k][col].
        var x = [Double](repeating: 0, count: 8 * 32)
        for col in 0..<32 {
            let column = dct2((0..<32).map { p[$0 * 32 + col] }, count: 8)
            for k in 0..<8 { x[k * 32 + col] = column[k] }
        }
        // Along axis 1 (each of those 8 rows): y[k][l], l < 8.
        var y: [Double] = []
        y.reserveCapacity(64)
        for k in 0..<8 {
            y += dct2(Array(x[(k * 32)..<(k * 32 + 32)]), count: 8)
        }
        let sorted = y.sorted()
        let median = (sorted[31] + sorted[32]) / 2
        return ImageHash64(bits: y.map { $0 > median }) ?? ImageHash64(value: 0)
    }
}
