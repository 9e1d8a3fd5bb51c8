import CImprintKernels
import Foundation
import ImprintImaging

/// An 8-bit single-channel image, as Pillow's mode "L".
struct GreyImage: Equatable {
    var width: Int
    var height: Int
    var pixels: [UInt8]
}

/// What `imagehash` does before hashing (spec §13): Pillow's `convert('L')` and its
/// LANCZOS `resize`. Both are re-implemented from the published behaviour of Pillow's
/// `Convert.c` and `Resample.c` so that the 8-bit output is identical: the hashes compare
/// pixels with strict inequalities, and a one-LSB difference flips bits.
enum PillowImaging {
    /// `convert('L')` of the RGB(A) decode: `(19595·R + 38470·G + 7471·B + 0x8000) >> 16`
    /// (ITU-R 601-2 in 16-bit fixed point). Alpha is ignored; a luma raster is already L
    /// (for R = G = B the formula returns the value unchanged).
    static func grey(_ raster: Raster) -> GreyImage {
        let count = raster.width * raster.height
        let step = raster.channels
        guard count > 0, raster.pixels.count >= count * step else {
            return GreyImage(width: raster.width, height: raster.height, pixels: [UInt8](repeating: 0, count: max(count, 0)))
        }
        if step == 1 {
            return GreyImage(width: raster.width, height: raster.height, pixels: Array(raster.pixels.prefix(count)))
        }
        // Every byte is written by greyRow, so the array is not zero-filled first (a 12 MP
        // image would otherwise be written twice).
        let out = [UInt8](unsafeUninitializedCapacity: count) { target, initialized in
            raster.pixels.withUnsafeBufferPointer { source in
                guard let from = source.baseAddress, let to = target.baseAddress else { return }
                greyRow(from, step: step, count: count, into: to)
                initialized = count
            }
        }
        return GreyImage(width: raster.width, height: raster.height, pixels: out)
    }

    /// `convert('L')` of `count` pixels of `step` (3 or 4) bytes: 16 pixels per AVX2 step
    /// in `imprint_pillow_grey` (exact integers, so the plain formula's bytes; `KernelTests`).
    @inline(__always)
    static func greyRow(_ source: UnsafePointer<UInt8>, step: Int, count: Int, into target: UnsafeMutablePointer<UInt8>) {
        if step == 3 || step == 4 {
            imprint_pillow_grey(source, Int32(step), count, target)
            return
        }
        for index in 0..<count {
            target[index] = UInt8(truncatingIfNeeded: (UInt32(source[index * step]) &* 19595 &+ UInt32(source[index * step + 1]) &* 38470
                &+ UInt32(source[index * step + 2]) &* 7471 &+ 0x8000) >> 16)
        }
    }

    // MARK: - LANCZOS resampling (Pillow's two-pass convolution)

    /// Fixed-point precision of the 8-bit passes: 32 − 8 − 2 bits.
    static let precisionBits = 22

    /// Lanczos-3: sinc(x)·sinc(x/3) on [−3, 3), the kernel of `Image.LANCZOS`.
    static func lanczos(_ x: Double) -> Double {
        guard -3.0 <= x && x < 3.0 else { return 0 }
        return sinc(x) * sinc(x / 3)
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let px = x * Double.pi
        return sin(px) / px
    }

    static let lanczosSupport = 3.0

    /// Per output sample: the first input index, the number of taps, and `ksize`
    /// fixed-point weights (zero past the taps), flat for fast access.
    struct Coefficients {
        var ksize: Int
        var first: [Int]
        var taps: [Int]
        var weights: [Int32]
        /// The weights as `imprint_resample_rows` takes them; nil if one does not fit
        /// (never for normalised weights, which stay within ±2^22).
        var packed: PackedWeights? = nil
    }

    /// Each output's weights in a row of `stride` 16-bit values, zero past its taps up to
    /// `chunks` × 16: either the weights themselves (`low` nil: every weight fits in 16
    /// bits, as in large downscales, whose many taps make each weight small) or split as
    /// 256 · high + low with low in 0…255.
    struct PackedWeights {
        var stride: Int
        var high: [Int16]
        var low: [Int16]?
        var first: [Int32]
        var chunks: [Int32]

        init?(_ c: Coefficients) {
            let outSize = c.first.count
            guard c.weights.allSatisfy({ abs($0) < 1 << 23 }),
                  c.first.allSatisfy({ $0 <= Int(Int32.max) }), c.ksize <= Int(Int32.max) - 15 else { return nil }
            let narrow = c.weights.allSatisfy { $0 >= Int32(Int16.min) && $0 <= Int32(Int16.max) }
            stride = (c.ksize + 15) / 16 * 16
            var high = [Int16](repeating: 0, count: stride * outSize)
            var low = narrow ? [] : [Int16](repeating: 0, count: stride * outSize)
            for x in 0..<outSize {
                for i in 0..<c.taps[x] {
                    let w = c.weights[x * c.ksize + i]
                    if narrow {
                        high[x * stride + i] = Int16(w)
                    } else {
                        high[x * stride + i] = Int16(w >> 8)
                        low[x * stride + i] = Int16(w & 255)
                    }
                }
            }
            self.high = high
            self.low = narrow ? nil : low
            first = c.first.map { Int32($0) }
            chunks = c.taps.map { Int32(($0 + 15) / 16) }
        }
    }

    /// Rows of 16-bit grey values must be readable this far past their last pixel
    /// (`imprint_resample_rows` reads whole chunks of 16; the weights there are zero).
    static let rowSlack = 16

    /// `computeCoefficients`, remembered per (input size, output size): evidence sets
    /// repeat a few camera sizes, and the weights of a 4032-pixel side cost some 50,000
    /// `sin` calls per resize.
    static func coefficients(inSize: Int, outSize: Int) -> Coefficients {
        CoefficientCache.shared.coefficients(inSize: inSize, outSize: outSize)
    }

    /// Pillow's `precompute_coeffs` for box (0, inSize) then `normalize_coeffs_8bpc`.
    /// Every expression keeps the reference's types and order (double, with the box
    /// edges as float32), since a weight off by one fixed-point unit can change a pixel.
    static func computeCoefficients(inSize: Int, outSize: Int) -> Coefficients {
        let in0: Float = 0
        let in1 = Float(inSize)
        let scale = Double(in1 - in0) / Double(outSize)
        let filterScale = max(scale, 1.0)
        let support = lanczosSupport * filterScale
        let ksize = Int(support.rounded(.up)) * 2 + 1
        let inverse = 1.0 / filterScale
        let unit = Double(1 << precisionBits)
        var result = Coefficients(ksize: ksize, first: [], taps: [],
                                  weights: [Int32](repeating: 0, count: ksize * outSize))
        var k = [Double](repeating: 0, count: ksize)
        for xx in 0..<outSize {
            let center = Double(in0) + (Double(xx) + 0.5) * scale
            // C's (int) cast truncates toward zero, as Int(_: Double) does.
            let xmin = max(Int(center - support + 0.5), 0)
            let taps = min(max(min(Int(center + support + 0.5), inSize) - xmin, 0), ksize)
            var total = 0.0
            for x in 0..<taps {
                let w = lanczos((Double(x + xmin) - center + 0.5) * inverse)
                k[x] = w
                total += w
            }
            for x in 0..<taps {
                if total != 0 { k[x] /= total }
                let value = k[x]
                result.weights[xx * ksize + x] = value < 0 ? Int32(-0.5 + value * unit) : Int32(0.5 + value * unit)
            }
            result.first.append(xmin)
            result.taps.append(taps)
        }
        result.packed = PackedWeights(result)
        return result
    }

    /// `sum >> 22` clamped to 0…255: the 8-bit passes' clipping (sums start at 2^21,
    /// which makes the shift round to nearest).
    /// Sums are Int32 with wrapping arithmetic, as Pillow's C `int` (normalised weights
    /// keep them far from overflow); 32-bit lanes also let the loops vectorise.
    @inline(__always)
    static func clip8(_ sum: Int32) -> UInt8 {
        let shifted = sum >> Int32(precisionBits)
        return UInt8(min(max(shifted, 0), 255))
    }

    /// `image.resize((width, height), Image.LANCZOS)` for mode L: two separable passes,
    /// each rounded to 8 bits, so their order matters. Pillow (13.0) runs the horizontal
    /// pass first (over only the rows the vertical pass reads) unless the height shrinks
    /// by more than twice as many pixels as the width does, in which case the vertical
    /// pass goes first. A pass whose size does not change is skipped.
    static func resizeLanczos(_ image: GreyImage, width: Int, height: Int) -> GreyImage {
        guard width > 0, height > 0, image.width > 0, image.height > 0,
              image.pixels.count >= image.width * image.height else {
            return GreyImage(width: max(width, 0), height: max(height, 0),
                             pixels: [UInt8](repeating: 0, count: max(width, 0) * max(height, 0)))
        }
        let needHorizontal = width != image.width
        let needVertical = height != image.height
        let rowsShrink = image.height - height, columnsShrink = image.width - width
        let horizontalFirst = !(rowsShrink > 0 && rowsShrink > columnsShrink * 2)
        var current = image
        if horizontalFirst {
            if needHorizontal {
                // Only the rows the vertical pass will read (all when it is skipped).
                var startRow = 0, endRow = image.height
                if needVertical {
                    let vertical = coefficients(inSize: image.height, outSize: height)
                    startRow = vertical.first[0]
                    endRow = vertical.first[height - 1] + vertical.taps[height - 1]
                }
                current = horizontalPass(current, width: width, rows: startRow..<max(endRow, startRow))
                if needVertical {
                    current = verticalPass(current, height: height, sourceHeight: image.height, rowOffset: startRow)
                }
            } else if needVertical {
                current = verticalPass(current, height: height, sourceHeight: image.height, rowOffset: 0)
            }
        } else {
            if needVertical {
                current = verticalPass(current, height: height, sourceHeight: image.height, rowOffset: 0)
            }
            if needHorizontal {
                current = horizontalPass(current, width: width, rows: 0..<current.height)
            }
        }
        return current
    }

    /// The horizontal pass over `rows` of `image` (the output has `rows.count` rows).
    static func horizontalPass(_ image: GreyImage, width: Int, rows: Range<Int>) -> GreyImage {
        let c = coefficients(inSize: image.width, outSize: width)
        var out = [UInt8](repeating: 0, count: width * rows.count)
        // Rows go to the kernel as 16-bit values, a block at a time.
        let block = 16, stride = image.width + rowSlack
        var words = [Int16](repeating: 0, count: block * stride)
        image.pixels.withUnsafeBufferPointer { source in
            words.withUnsafeMutableBufferPointer { words in
                out.withUnsafeMutableBufferPointer { target in
                    guard let src = source.baseAddress, let wordBase = words.baseAddress,
                          let dst = target.baseAddress else { return }
                    var y = 0
                    while y < rows.count {
                        let count = min(block, rows.count - y)
                        for r in 0..<count {
                            let line = src + (rows.lowerBound + y + r) * image.width, row = wordBase + r * stride
                            for x in 0..<image.width { row[x] = Int16(line[x]) }
                        }
                        horizontalRows(c, width: width, rows: wordBase, stride: stride, count: count,
                                       into: dst + y * width, outStride: width)
                        y += count
                    }
                }
            }
        }
        return GreyImage(width: width, height: rows.count, pixels: out)
    }

    /// The horizontal pass of `count` rows of 16-bit grey values `stride` apart, readable
    /// `rowSlack` past their `c`'s input width, into `count` output rows of `width`.
    static func horizontalRows(_ c: Coefficients, width: Int, rows: UnsafePointer<Int16>, stride: Int, count: Int,
                               into out: UnsafeMutablePointer<UInt8>, outStride: Int) {
        guard let packed = c.packed else {
            // Not reached for normalised weights; the plain sum keeps it correct.
            for r in 0..<count {
                for x in 0..<width {
                    var sum: Int32 = 1 << Int32(precisionBits - 1)
                    for i in 0..<c.taps[x] {
                        sum = sum &+ Int32(rows[r * stride + c.first[x] + i]) &* c.weights[x * c.ksize + i]
                    }
                    out[r * outStride + x] = clip8(sum)
                }
            }
            return
        }
        packed.high.withUnsafeBufferPointer { high in
            packed.first.withUnsafeBufferPointer { first in
                packed.chunks.withUnsafeBufferPointer { chunks in
                    if let low = packed.low {
                        low.withUnsafeBufferPointer { low in
                            imprint_resample_rows(rows, stride, Int32(count), high.baseAddress, low.baseAddress, packed.stride,
                                                  first.baseAddress, chunks.baseAddress, Int32(width), out, outStride)
                        }
                    } else {
                        imprint_resample_rows(rows, stride, Int32(count), high.baseAddress, nil, packed.stride,
                                              first.baseAddress, chunks.baseAddress, Int32(width), out, outStride)
                    }
                }
            }
        }
    }

    /// The vertical pass to `height` rows. Coefficients are those of the full source
    /// height; `image` may hold only the source rows from `rowOffset` on. Whole rows are
    /// accumulated at once (a running Int32 sum per column), which is the same integer
    /// sum in the same order as Pillow's per-pixel loop.
    static func verticalPass(_ image: GreyImage, height: Int, sourceHeight: Int, rowOffset: Int) -> GreyImage {
        let c = coefficients(inSize: sourceHeight, outSize: height)
        let width = image.width
        var out = [UInt8](repeating: 0, count: width * height)
        var sums = [Int32](repeating: 0, count: width)
        image.pixels.withUnsafeBufferPointer { source in
            c.weights.withUnsafeBufferPointer { weights in
                out.withUnsafeMutableBufferPointer { target in
                    sums.withUnsafeMutableBufferPointer { sumBuffer in
                        guard let src = source.baseAddress, let kk = weights.baseAddress,
                              let dst = target.baseAddress, let sum = sumBuffer.baseAddress else { return }
                        for yy in 0..<height {
                            sum.update(repeating: 1 << Int32(precisionBits - 1), count: width)
                            let start = c.first[yy] - rowOffset
                            for y in 0..<c.taps[yy] {
                                let weight = kk[yy * c.ksize + y]
                                let line = src + (start + y) * width
                                for xx in 0..<width {
                                    sum[xx] = sum[xx] &+ Int32(line[xx]) &* weight
                                }
                            }
                            for xx in 0..<width {
                                dst[yy * width + xx] = clip8(sum[xx])
                            }
                        }
                    }
                }
            }
        }
        return GreyImage(width: width, height: height, pixels: out)
    }
}

/// A small shared memo of resampling weights (bounded: cleared when 64 sizes are held).
final class CoefficientCache: Sendable {
    static let shared = CoefficientCache()
    static let capacity = 64

    private struct Key: Hashable {
        var inSize: Int
        var outSize: Int
    }

    private let lock = NSLock()
    nonisolated(unsafe) private var entries: [Key: PillowImaging.Coefficients] = [:]

    func coefficients(inSize: Int, outSize: Int) -> PillowImaging.Coefficients {
        let key = Key(inSize: inSize, outSize: outSize)
        if let cached = lock.withLock({ entries[key] }) { return cached }
        let computed = PillowImaging.computeCoefficients(inSize: inSize, outSize: outSize)
        lock.withLock {
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[key] = computed
        }
        return computed
    }
}
