import CImprintKernels
import XCTest
@testable import ImprintSimilarity

/// The resampling kernel must give the plain pass's pixels for every block and chunk
/// boundary and extreme values, and the packed weights must restore the weights exactly.
final class KernelTests: XCTestCase {
    /// `imprint_resample_rows` against the plain per-pixel sum of Pillow's horizontal
    /// pass, for row counts around its 4-row blocks, taps around its 16-wide chunks, both
    /// weight layouts, and the extremes (255 pixels, the widest weights).
    func testResampleRowsEqualsThePlainPass() {
        var state: UInt64 = 12345
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for (inSize, outSize) in [(4032, 8), (3264, 9), (4608, 32), (1024, 32), (97, 32), (33, 32), (640, 9), (16, 8), (5, 8)] {
            let c = PillowImaging.computeCoefficients(inSize: inSize, outSize: outSize)
            guard let packed = c.packed else { return XCTFail("\(inSize) → \(outSize): no packed weights") }
            for rowCount in [1, 3, 4, 5, 8, 11] {
                let stride = inSize + PillowImaging.rowSlack + 3
                var rows = [Int16](repeating: 0, count: rowCount * stride)
                for r in 0..<rowCount {
                    for x in 0..<stride {
                        // Slack holds junk: its weights are zero, so it must not matter.
                        rows[r * stride + x] = x >= inSize ? Int16(truncatingIfNeeded: next()) : (x + r) % 17 == 0 ? 255 : Int16(next() % 256)
                    }
                }
                var expected = [UInt8](repeating: 0, count: rowCount * outSize)
                for r in 0..<rowCount {
                    for x in 0..<outSize {
                        var sum: Int32 = 1 << 21
                        for i in 0..<c.taps[x] { sum &+= Int32(rows[r * stride + c.first[x] + i]) &* c.weights[x * c.ksize + i] }
                        expected[r * outSize + x] = UInt8(min(max(sum >> 22, 0), 255))
                    }
                }
                var actual = [UInt8](repeating: 0, count: rowCount * outSize)
                rows.withUnsafeBufferPointer { rowBuffer in
                    actual.withUnsafeMutableBufferPointer { out in
                        PillowImaging.horizontalRows(c, width: outSize, rows: rowBuffer.baseAddress!, stride: stride,
                                                     count: rowCount, into: out.baseAddress!, outStride: outSize)
                    }
                }
                XCTAssertTrue(actual == expected, "\(inSize) → \(outSize), \(rowCount) rows, narrow \(packed.low == nil)")
            }
        }
    }

    /// Large downscales get 16-bit weights (one multiply-add per tap), small ones the
    /// split; either restores the weights exactly, zero past each output's taps.
    func testPackedWeightsRestoreTheWeights() throws {
        for (inSize, outSize, narrow) in [(4032, 8, true), (3264, 9, true), (4608, 32, true), (1024, 32, false),
                                          (64, 32, false), (33, 32, false), (1600, 8, true)] {
            let c = PillowImaging.computeCoefficients(inSize: inSize, outSize: outSize)
            let packed = try XCTUnwrap(c.packed, "\(inSize) → \(outSize)")
            XCTAssertEqual(packed.low == nil, narrow, "\(inSize) → \(outSize)")
            XCTAssertEqual(packed.stride % 16, 0)
            for x in 0..<outSize {
                XCTAssertEqual(Int(packed.first[x]), c.first[x])
                XCTAssertEqual(Int(packed.chunks[x]), (c.taps[x] + 15) / 16)
                for i in 0..<packed.stride {
                    let high = Int32(packed.high[x * packed.stride + i]), low = packed.low.map { Int32($0[x * packed.stride + i]) }
                    let restored = low.map { high * 256 + $0 } ?? high
                    let expected = i < c.taps[x] ? c.weights[x * c.ksize + i] : 0
                    if restored != expected { return XCTFail("\(inSize) → \(outSize): weight \(x), \(i) is \(restored), not \(expected)") }
                }
            }
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
            // The 16-bit grey alone, and with the luma from the same read: the same values.
            var words = [Int16](repeating: -1, count: count)
            var fusedWords = [Int16](repeating: -1, count: count), fusedLumas = [Float](repeating: 0, count: count)
            pixels.withUnsafeBufferPointer { p in
                words.withUnsafeMutableBufferPointer { imprint_pillow_grey16(p.baseAddress, Int32(channels), count, $0.baseAddress) }
                fusedWords.withUnsafeMutableBufferPointer { g in
                    fusedLumas.withUnsafeMutableBufferPointer { l in
                        imprint_pillow_grey16_and_pdq_luma(p.baseAddress, Int32(channels), count, g.baseAddress, l.baseAddress)
                    }
                }
            }
            var wrong = 0
            for k in 0..<count {
                let pixel = pixels[(k * channels)..<(k * channels + 3)]
                if greys[k] != grey(pixel) || lumas[k].bitPattern != luma(pixel).bitPattern || words[k] != Int16(greys[k])
                    || fusedWords[k] != Int16(greys[k]) || fusedLumas[k].bitPattern != lumas[k].bitPattern {
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
