import Foundation
import ImprintSimilarity
import XCTest
@testable import ImprintDetectors

/// The spectral features' FFT must stay bit-identical to the plain one-column-at-a-time
/// radix-2 transform it replaced, and must be a correct DFT; two spectra from one
/// transform must agree with each transform alone to rounding.
final class FFT2DTests: XCTestCase {
    private func randomImage(side: Int, seed: UInt64) -> [Double] {
        var generator = SplitMix64(state: seed)
        return (0..<(side * side)).map { _ in Double(generator.next() % 256) + Double(generator.next() % 1000) / 1000 - 128 }
    }

    func testBitIdenticalToTheScalarTransform() throws {
        for side in [4, 8, 16, 64, 256, 512] {
            let image = randomImage(side: side, seed: UInt64(side))
            let fast = try XCTUnwrap(FFT2D(size: side)).shiftedPower(image)
            let reference = ScalarFFT(size: side).shiftedPower(image)
            XCTAssertEqual(fast.count, reference.count)
            let differing = zip(fast, reference).filter { $0.bitPattern != $1.bitPattern }.count
            XCTAssertEqual(differing, 0, "side \(side): \(differing) values differ in their bits")
        }
    }

    func testMatchesADirectDFT() throws {
        let side = 8
        let image = randomImage(side: side, seed: 99)
        let power = try XCTUnwrap(FFT2D(size: side)).shiftedPower(image)
        assertMatchesDirectDFT(power, of: image, side: side)
    }

    /// `power` (shifted) against |Σ image · e^(−2πi(ux + vy)/side)|² at every frequency.
    private func assertMatchesDirectDFT(_ power: [Double], of image: [Double], side: Int, line: UInt = #line) {
        for v in 0..<side {
            for u in 0..<side {
                var re = 0.0, im = 0.0
                for y in 0..<side {
                    for x in 0..<side {
                        let angle = -2 * Double.pi * Double(u * x + v * y) / Double(side)
                        re += image[y * side + x] * cos(angle)
                        im += image[y * side + x] * sin(angle)
                    }
                }
                let shifted = ((v + side / 2) % side) * side + (u + side / 2) % side
                let expected = re * re + im * im
                XCTAssertEqual(power[shifted], expected, accuracy: 1e-9 * max(1, expected), "frequency (\(v), \(u))", line: line)
            }
        }
    }

    /// Two spectra from one transform: each within rounding of its own transform, the
    /// error bounded by the larger spectrum at that frequency (a spectrum far weaker than
    /// the other there keeps only an absolute accuracy). Includes a smooth image beside a
    /// noisy one, the features' case (a crop and its residual), and every size's mirror
    /// lanes (4 wraps within one panel).
    func testPairedPowersMatchEachTransformAlone() throws {
        for side in [4, 8, 16, 64, 512] {
            let fft = try XCTUnwrap(FFT2D(size: side))
            let noisy = randomImage(side: side, seed: UInt64(side) + 7)
            let smooth = (0..<(side * side)).map { index -> Double in
                let x = Double(index % side), y = Double(index / side)
                return 60 * sin(x / Double(side) * 2 * Double.pi) + 0.25 * y - 10
            }
            for (a, b) in [(randomImage(side: side, seed: UInt64(side)), noisy), (smooth, noisy), (noisy, smooth)] {
                let (pa, pb) = fft.shiftedPowers(a, b)
                let alone = (fft.shiftedPower(a), fft.shiftedPower(b))
                var worst = 0.0
                for index in 0..<(side * side) {
                    let scale = max(alone.0[index], alone.1[index], 1)
                    worst = max(worst, abs(pa[index] - alone.0[index]) / scale, abs(pb[index] - alone.1[index]) / scale)
                }
                XCTAssertLessThan(worst, 1e-12, "side \(side)")
            }
        }
    }

    /// The paired transform against the direct DFT too (not only against the single one).
    func testPairedPowersMatchADirectDFT() throws {
        let side = 8
        let a = randomImage(side: side, seed: 5), b = randomImage(side: side, seed: 6)
        let (pa, pb) = try XCTUnwrap(FFT2D(size: side)).shiftedPowers(a, b)
        assertMatchesDirectDFT(pa, of: a, side: side)
        assertMatchesDirectDFT(pb, of: b, side: side)
    }

    /// The spectral features read each log term once and reuse it at the mirrored
    /// frequency, which relies on both paired spectra being exactly centro-symmetric:
    /// P(k) and P(−k) the same bits, at every size (4 wraps within one panel).
    func testPairedPowersAreCentroSymmetricBitForBit() throws {
        for side in [4, 8, 16, 64, 256] {
            let (pa, pb) = try XCTUnwrap(FFT2D(size: side)).shiftedPowers(randomImage(side: side, seed: UInt64(side) + 11),
                                                                            randomImage(side: side, seed: UInt64(side) + 12))
            var asymmetric = 0
            for row in 1..<side {
                for column in 1..<side {
                    let index = row * side + column, mirror = (side - row) * side + (side - column)
                    XCTAssertEqual(mirror, side * side + side - index)
                    if pa[index].bitPattern != pa[mirror].bitPattern { asymmetric += 1 }
                    if pb[index].bitPattern != pb[mirror].bitPattern { asymmetric += 1 }
                }
            }
            XCTAssertEqual(asymmetric, 0, "side \(side)")
        }
    }

    func testRefusesSizesThatAreNotPowersOfTwo() {
        XCTAssertNil(FFT2D(size: 0))
        XCTAssertNil(FFT2D(size: 12))
        XCTAssertNil(FFT2D(size: 2))
    }
}

/// The transform as first written: one strided column (or row) at a time.
private struct ScalarFFT {
    let size: Int

    private func transform(_ re: inout [Double], _ im: inout [Double], offset: Int, stride: Int) {
        let n = size, bits = n.trailingZeroBitCount
        for i in 0..<n {
            var j = 0
            for bit in 0..<bits where i & (1 << bit) != 0 { j |= 1 << (bits - 1 - bit) }
            if j > i {
                re.swapAt(offset + i * stride, offset + j * stride)
                im.swapAt(offset + i * stride, offset + j * stride)
            }
        }
        var length = 2
        while length <= n {
            let half = length / 2, step = n / length
            var start = 0
            while start < n {
                for k in 0..<half {
                    let wr = cos(-2 * Double.pi * Double(k * step) / Double(n))
                    let wi = sin(-2 * Double.pi * Double(k * step) / Double(n))
                    let a = offset + (start + k) * stride, b = offset + (start + k + half) * stride
                    let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr
                    im[b] = im[a] - ti
                    re[a] += tr
                    im[a] += ti
                }
                start += length
            }
            length *= 2
        }
    }

    func shiftedPower(_ image: [Double]) -> [Double] {
        var re = image
        var im = [Double](repeating: 0, count: image.count)
        for row in 0..<size { transform(&re, &im, offset: row * size, stride: 1) }
        for column in 0..<size { transform(&re, &im, offset: column, stride: size) }
        var power = [Double](repeating: 0, count: image.count)
        for y in 0..<size {
            for x in 0..<size {
                let index = y * size + x
                power[((y + size / 2) % size) * size + (x + size / 2) % size] = re[index] * re[index] + im[index] * im[index]
            }
        }
        return power
    }
}
