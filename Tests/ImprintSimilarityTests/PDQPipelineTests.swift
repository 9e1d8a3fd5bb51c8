import XCTest
import ImprintImaging
@testable import ImprintSimilarity

/// PDQ on rasters the tests make: the guard, quality, the filter's exact arithmetic, the
/// median, and the dihedral relations.
final class PDQPipelineTests: XCTestCase {
    func testImagesBelowTheMinimumDimensionHashToZeroWithQualityZero() {
        for (w, h) in [(4, 4), (4, 100), (100, 4), (1, 1), (0, 0)] {
            let result = PDQ.hash(SyntheticRasters.texture(width: w, height: h))
            XCTAssertTrue(result.hash.isZero, "\(w)×\(h)")
            XCTAssertEqual(result.quality, 0, "\(w)×\(h)")
            XCTAssertEqual(result.hash.hex, String(repeating: "0", count: 64))
            XCTAssertTrue(result.dihedralHashes.allSatisfy { $0.hash.isZero })
        }
        // 5 × 5 is hashable.
        let smallest = PDQ.hash(SyntheticRasters.texture(width: 5, height: 5))
        XCTAssertEqual(smallest.coefficients.count, 256)
        XCTAssertNil(PDQ.hash(luma: [1, 2, 3], rows: 2, cols: 2), "size mismatch")
        XCTAssertEqual(PDQ.hash(luma: [Float](repeating: 1, count: 16), rows: 4, cols: 4)?.hash, .zero)
    }

    func testAFlatImageHasQualityZero() {
        for (w, h) in [(64, 64), (300, 200), (1000, 7)] {
            let result = PDQ.hash(SyntheticRasters.flat(width: w, height: h, value: 200))
            XCTAssertEqual(result.quality, 0, "\(w)×\(h)")
        }
    }

    func testATexturedImageHasHighQualityAndHalfTheBitsSet() {
        let result = PDQ.hash(SyntheticRasters.texture(width: 320, height: 240))
        XCTAssertGreaterThanOrEqual(result.quality, 50)
        XCTAssertEqual(result.hash.setBitCount, 128)
        XCTAssertFalse(result.hash.isZero)
    }

    /// The reference's worked examples (downscaling.cpp comments): input 0…15, windows 7
    /// and 8, running sums divided by the live count.
    func testBoxFilterMatchesTheRunningSumExamples() {
        let input = (0..<16).map(Float.init)
        var output = JaroszFilter.box1D(input, window: 7)
        let sums7: [Float] = [6, 10, 15, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 75, 65, 54]
        let counts7: [Float] = [4, 5, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6, 5, 4]
        XCTAssertEqual(output, zip(sums7, counts7).map { $0 / $1 })

        output = JaroszFilter.box1D(input, window: 8)
        let sums8: [Float] = [10, 15, 21, 28, 36, 44, 52, 60, 68, 76, 84, 92, 84, 75, 65, 54]
        let counts8: [Float] = [5, 6, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 7, 6, 5, 4]
        XCTAssertEqual(output, zip(sums8, counts8).map { $0 / $1 })

        XCTAssertEqual(JaroszFilter.windowSize(oldDimension: 1600), 13)
        XCTAssertEqual(JaroszFilter.windowSize(oldDimension: 128), 1)
        XCTAssertEqual(JaroszFilter.windowSize(oldDimension: 129), 2)
    }

    /// The in-place column pass (all columns swept together, ring of pending rows) gives
    /// exactly what box1D gives on each column separately, for windows 1 to 9.
    func testColumnPassEqualsPerColumnBoxes() {
        let rows = 37, cols = 5
        let values = (0..<(rows * cols)).map { Float(($0 * 7919) % 251) / 3 }
        for window in 1...9 {
            var plane = FloatPlane(rows: rows, cols: cols, values: values)
            JaroszFilter.boxAlongColumns(&plane, window: window)
            for j in 0..<cols {
                let column = (0..<rows).map { values[$0 * cols + j] }
                let expected = JaroszFilter.box1D(column, window: window)
                XCTAssertEqual((0..<rows).map { plane.values[$0 * cols + j] }, expected, "window \(window), column \(j)")
            }
        }
    }

    func testTorbenReturnsTheLowerMedian() {
        var state: UInt32 = 12345
        for trial in 0..<200 {
            let count = trial % 2 == 0 ? 256 : 1 + trial
            let values: [Float] = (0..<count).map { _ in
                state = state &* 1_664_525 &+ 1_013_904_223
                // Few distinct values on some trials, to exercise ties.
                return trial % 3 == 0 ? Float(state >> 29) : Float(Int32(bitPattern: state)) / 1e6
            }
            XCTAssertEqual(TorbenMedian.lowerMedian(values), values.sorted()[(count + 1) / 2 - 1], "trial \(trial)")
        }
        XCTAssertEqual(TorbenMedian.lowerMedian([3]), 3)
        XCTAssertEqual(TorbenMedian.lowerMedian([]), 0)
    }

    /// With no filter and no decimation (64×64 input), the DCT of a transformed image is
    /// the sign-flipped/transposed DCT of the original up to float rounding, so the hash
    /// of the transformed raster equals the derived variant.
    func testDerivedVariantsEqualTheHashesOfTransformedRasters64() {
        let original = SyntheticRasters.texture(width: 64, height: 64, seed: 7)
        let result = PDQ.hash(original)
        XCTAssertGreaterThan(result.quality, 50)
        for variant in PDQDihedral.allCases {
            let transformed = PDQ.hash(SyntheticRasters.transformed(original, variant))
            XCTAssertEqual(result.hash(of: variant), transformed.hash, "\(variant)")
            XCTAssertEqual(transformed.quality, result.quality, "\(variant)")
        }
    }

    /// Through the tent filter, at a size where its grid is symmetric (rows and columns
    /// 64·5 = 320: odd window 3, odd decimation step), the relation holds up to the
    /// rounding of running sums taken in the opposite direction.
    func testDerivedVariantsMatchTransformedRastersThroughTheFilter() {
        let original = SyntheticRasters.texture(width: 320, height: 320, seed: 3)
        let result = PDQ.hash(original)
        for variant in PDQDihedral.allCases {
            let transformed = PDQ.hash(SyntheticRasters.transformed(original, variant)).hash
            XCTAssertLessThanOrEqual(result.hash(of: variant).distance(to: transformed), 2, "\(variant)")
            if variant != .original {
                XCTAssertGreaterThan(result.hash.distance(to: transformed), 60, "\(variant) must differ from the original")
            }
        }
    }

    func testDihedralAlgebra() throws {
        let result = PDQ.hash(SyntheticRasters.texture(width: 200, height: 150, seed: 11))
        let b = result.coefficients
        XCTAssertEqual(PDQDihedral.original.transform(b), b)
        // Two quarter turns make a half turn; a flip twice is the identity.
        XCTAssertEqual(PDQDihedral.rotate90.transform(PDQDihedral.rotate90.transform(b)), PDQDihedral.rotate180.transform(b))
        XCTAssertEqual(PDQDihedral.rotate90.transform(PDQDihedral.rotate270.transform(b)), b)
        for flip in [PDQDihedral.flipX, .flipY, .flipPlus1, .flipMinus1, .rotate180] {
            XCTAssertEqual(flip.transform(flip.transform(b)), b, "\(flip)")
        }
        // flipX then flipY is a half turn.
        XCTAssertEqual(PDQDihedral.flipY.transform(PDQDihedral.flipX.transform(b)), PDQDihedral.rotate180.transform(b))
        XCTAssertEqual(result.dihedralHashes.map(\.variant), PDQDihedral.allCases)
        XCTAssertEqual(result.dihedralHashes[0].hash, result.hash)
        XCTAssertEqual(Set(PDQDihedral.allCases.map(\.exifOrientation)), Set(1...8))
    }

    func testAlphaIsDroppedWithoutCompositingAndGreyPassesThroughTheRGBFormula() {
        let rgb = SyntheticRasters.texture(width: 90, height: 70, seed: 5)
        var rgba: [UInt8] = []
        for index in 0..<(90 * 70) {
            rgba += rgb.pixels[(index * 3)..<(index * 3 + 3)]
            rgba.append(UInt8(index * 37 % 256))  // arbitrary alpha, must not matter
        }
        let withAlpha = Raster(width: 90, height: 70, layout: .rgba, pixels: rgba)
        XCTAssertEqual(PerceptualHashes.compute(withAlpha), PerceptualHashes.compute(rgb))

        let grey = Raster(width: 90, height: 70, layout: .luma, pixels: (0..<(90 * 70)).map { rgb.pixels[$0 * 3] })
        let greyAsRGB = Raster(width: 90, height: 70, layout: .rgb, pixels: grey.pixels.flatMap { [$0, $0, $0] })
        XCTAssertEqual(PerceptualHashes.compute(grey), PerceptualHashes.compute(greyAsRGB))
        XCTAssertEqual(PDQ.hash(grey), PDQ.hash(greyAsRGB))
    }

    func testLumaUsesTheSpecCoefficientsInOrder() {
        let raster = Raster(width: 2, height: 1, layout: .rgb, pixels: [255, 0, 0, 10, 200, 30])
        let plane = PDQLuma.plane(from: raster)
        let r: Float = 0.299, g: Float = 0.587, b: Float = 0.114
        XCTAssertEqual(plane.values, [(r * 255 + g * 0) + b * 0, (r * 10 + g * 200) + b * 30])
    }

    func testPrescalePolicy() {
        XCTAssertEqual(PDQPrescale.none.scaleDenominator(width: 8000, height: 6000), 1)
        XCTAssertEqual(PDQPrescale.dct.scaleDenominator(width: 8000, height: 6000), 8)  // 750 px short side
        XCTAssertEqual(PDQPrescale.dct.scaleDenominator(width: 4000, height: 3000), 4)  // 750
        XCTAssertEqual(PDQPrescale.dct.scaleDenominator(width: 1600, height: 1004), 2)  // 502
        XCTAssertEqual(PDQPrescale.dct.scaleDenominator(width: 1600, height: 990), 1)   // 495 < 500
        XCTAssertEqual(PDQPrescale.dct.scaleDenominator(width: 512, height: 512), 1)    // never ≤ 512
        XCTAssertEqual(PDQPrescale.none.descriptor(libjpegTurboVersion: "2.1.5"),
                       "pdq/1;decode=libjpeg-turbo-2.1.5,islow,fancy;prescale=none;orient=stored;alpha=drop")
        XCTAssertEqual(PDQPrescale.dct.descriptor(libjpegTurboVersion: "2.1.5", scaleDenominator: 2),
                       "pdq/1;decode=libjpeg-turbo-2.1.5,islow,fancy;prescale=dct-1/2;orient=stored;alpha=drop")
    }
}
