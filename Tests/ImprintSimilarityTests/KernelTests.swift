import CImprintKernels
import XCTest
@testable import ImprintSimilarity

/// The multiply-add kernel must return the plain loop's sum for every length (vector
/// body and scalar tail) and extreme values, and the resampling weights must split
/// exactly into its two 16-bit halves.
final class KernelTests: XCTestCase {
    func testSplitDotEqualsThePlainLoop() {
        var state: UInt64 = 12345
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for count in [0, 1, 7, 15, 16, 17, 31, 32, 33, 100, 757, 2689] {
            let pixels = (0..<count).map { i in i % 13 == 0 ? UInt8(255) : UInt8(truncatingIfNeeded: next()) }
            // Weights within ±2^22 / 64 keep 255 · Σ|w| far below 2^31 at these lengths.
            let weights = (0..<count).map { i -> Int32 in
                i % 11 == 0 ? -(1 << 16) : i % 7 == 0 ? (1 << 16) - 1 : Int32(Int64(next() % (1 << 17)) - (1 << 16))
            }
            var expected: Int32 = 0
            for i in 0..<count { expected &+= Int32(pixels[i]) &* weights[i] }
            let high = weights.map { Int16($0 >> 8) }, low = weights.map { Int16($0 & 255) }
            let actual = pixels.withUnsafeBufferPointer { p in
                high.withUnsafeBufferPointer { h in
                    low.withUnsafeBufferPointer { l in imprint_dot_u8_split16(p.baseAddress, h.baseAddress, l.baseAddress, Int32(count)) }
                }
            }
            XCTAssertEqual(actual, expected, "count \(count)")
        }
    }

    func testNarrowDotEqualsThePlainLoop() {
        var state: UInt64 = 777
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for count in [0, 1, 7, 15, 16, 17, 31, 32, 33, 100, 757, 2689, 3001] {
            let pixels = (0..<count).map { i in i % 13 == 0 ? UInt8(255) : UInt8(truncatingIfNeeded: next()) }
            // The whole 16-bit range, extremes included.
            let weights = (0..<count).map { i -> Int16 in
                i % 11 == 0 ? Int16.min : i % 7 == 0 ? Int16.max : Int16(truncatingIfNeeded: next())
            }
            var expected: Int32 = 0
            for i in 0..<count { expected &+= Int32(pixels[i]) &* Int32(weights[i]) }
            let actual = pixels.withUnsafeBufferPointer { p in
                weights.withUnsafeBufferPointer { w in imprint_dot_u8_i16(p.baseAddress, w.baseAddress, Int32(count)) }
            }
            XCTAssertEqual(actual, expected, "count \(count)")
        }
    }

    /// Large downscales get 16-bit weights (one multiply-add per tap), small ones not;
    /// the narrow weights are the weights.
    func testNarrowWeightsOnlyWhereEveryWeightFits() {
        for (inSize, outSize, fits) in [(4032, 8, true), (3264, 9, true), (4608, 32, true), (1024, 32, false), (64, 32, false)] {
            let c = PillowImaging.computeCoefficients(inSize: inSize, outSize: outSize)
            XCTAssertEqual(c.narrow != nil, fits, "\(inSize) → \(outSize)")
            if let narrow = c.narrow { XCTAssertTrue(narrow.map(Int32.init) == c.weights, "\(inSize) → \(outSize)") }
        }
    }

    func testResamplingWeightsSplitExactly() throws {
        for (inSize, outSize) in [(4032, 32), (3264, 9), (1600, 8), (1024, 32), (64, 32), (33, 32)] {
            let c = PillowImaging.computeCoefficients(inSize: inSize, outSize: outSize)
            let split = try XCTUnwrap(c.split, "\(inSize) → \(outSize)")
            let restored = zip(split.high, split.low).map { Int32($0) * 256 + Int32($1) }
            XCTAssertTrue(restored == c.weights, "\(inSize) → \(outSize): the halves do not restore the weights")
        }
    }

    func testTransposeEqualsTheIndexFormula() {
        for (rows, cols) in [(1, 1), (3, 5), (8, 8), (9, 17), (64, 4032 / 16), (23, 8), (8, 23), (64, 64)] {
            let source = (0..<(rows * cols)).map { Float($0) * 0.5 - 7 }
            var target = [Float](repeating: .nan, count: rows * cols)
            source.withUnsafeBufferPointer { s in
                target.withUnsafeMutableBufferPointer { t in imprint_transpose_f32(s.baseAddress, Int32(rows), Int32(cols), t.baseAddress) }
            }
            var expected = [Float](repeating: 0, count: rows * cols)
            for r in 0..<rows { for c in 0..<cols { expected[c * rows + r] = source[r * cols + c] } }
            XCTAssertTrue(target.map(\.bitPattern) == expected.map(\.bitPattern), "\(rows) x \(cols)")
        }
    }
    /// Pillow's grey and PDQ's float32 luma kernels, apart and fused, against their plain
    /// formulas for every (R, G, B) triple (vector body), then odd lengths (scalar tails)
    /// in RGB and RGBA.
    func testGreyAndPDQLumaKernelsEqualThePlainFormulasForEveryColour() {
        func grey(_ p: ArraySlice<UInt8>) -> UInt8 {
            let i = p.startIndex
            let r = UInt32(p[i]) * 19595, g = UInt32(p[i + 1]) * 38470, b = UInt32(p[i + 2]) * 7471
            return UInt8((r + g + b + 0x8000) >> 16)
        }
        func luma(_ p: ArraySlice<UInt8>) -> Float {
            let i = p.startIndex
            let r: Float = 0.299 * Float(p[i]), g: Float = 0.587 * Float(p[i + 1]), b: Float = 0.114 * Float(p[i + 2])
            return (r + g) + b
        }
        func check(_ pixels: [UInt8], channels: Int, _ what: String) -> Int {
            let count = pixels.count / channels
            var greys = [UInt8](repeating: 0, count: count), lumas = [Float](repeating: 0, count: count)
            pixels.withUnsafeBufferPointer { p in
                greys.withUnsafeMutableBufferPointer { imprint_pillow_grey(p.baseAddress, Int32(channels), count, $0.baseAddress) }
                lumas.withUnsafeMutableBufferPointer { imprint_pdq_luma_f32(p.baseAddress, Int32(channels), count, $0.baseAddress) }
            }
            // The fused kernel gives both at once, the same values.
            var fusedGreys = [UInt8](repeating: 0, count: count), fusedLumas = [Float](repeating: 0, count: count)
            pixels.withUnsafeBufferPointer { p in
                fusedGreys.withUnsafeMutableBufferPointer { g in
                    fusedLumas.withUnsafeMutableBufferPointer { l in
                        imprint_pillow_grey_and_pdq_luma(p.baseAddress, Int32(channels), count, g.baseAddress, l.baseAddress)
                    }
                }
            }
            var wrong = 0
            for k in 0..<count {
                let pixel = pixels[(k * channels)..<(k * channels + 3)]
                if greys[k] != grey(pixel) || lumas[k].bitPattern != luma(pixel).bitPattern || fusedGreys[k] != greys[k]
                    || fusedLumas[k].bitPattern != lumas[k].bitPattern {
                    wrong += 1
                    if wrong <= 3 { XCTFail("\(what): pixel \(Array(pixel)): \(greys[k]) / \(lumas[k])") }
                }
            }
            return wrong
        }
        var wrong = 0
        for red in 0...255 {
            var pixels: [UInt8] = []
            pixels.reserveCapacity(65_536 * 3)
            for green in 0...255 { for blue in 0...255 { pixels += [UInt8(red), UInt8(green), UInt8(blue)] } }
            wrong += check(pixels, channels: 3, "R \(red)")
        }
        var state: UInt64 = 4242
        for channels in [3, 4] {
            for count in [0, 1, 15, 16, 17, 31, 33, 1001] {
                let pixels = (0..<(count * channels)).map { _ -> UInt8 in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return UInt8(truncatingIfNeeded: state >> 40)
                }
                wrong += check(pixels, channels: channels, "\(channels) channels, \(count) pixels")
            }
        }
        XCTAssertEqual(wrong, 0)
    }
}
