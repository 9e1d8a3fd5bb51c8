import Foundation
import XCTest
import ImprintImaging
@testable import ImprintSimilarity

/// The imagehash-compatible hashes and the Pillow steps under them, on rasters the tests
/// make.
final class ImageHashTests: XCTestCase {
    /// An integer pattern that Python rebuilds exactly:
    /// `a[y, x] = ((7x + 13y) % 256, (x² + 3y) % 256, (xy) % 256)`.
    static func pattern(width: Int, height: Int) -> Raster {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                pixels += [UInt8((x * 7 + y * 13) % 256), UInt8((x * x + 3 * y) % 256), UInt8((x * y) % 256)]
            }
        }
        return Raster(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// Reference values for `pattern`, made once with imagehash 4.3.2 / Pillow 13.0.0
    /// (`str(imagehash.phash(Image.fromarray(a, 'RGB')))`, likewise dhash, average_hash)
    /// and pdqhash 0.2.8 (`pdqhash.compute(a)`). They cover up-sampling (23 < 32 rows),
    /// extreme aspect ratios (5×400 and 129×700 shrink the height by more than twice the
    /// width, so Pillow runs the vertical pass first), the 64×64 pass-through, images
    /// constant along one axis (1×50, 50×1: pHash coefficients exactly zero) and 1×1.
    static let vectors: [(width: Int, height: Int, phash: String, dhash: String, ahash: String, pdq: String, quality: Int)] = [
        (37, 23, "871e112665ae79ab", "eae8e9e5cfcb4bda", "0e3e3c3063232f2f",
         "ead584a6eb3d51aa86bb5cc6a0bd758aa43f8d6a134ee7381dd3cc321144b338", 100),
        (300, 200, "d255527d5252ad53", "dd2222ddd92299dd", "4cfffb4c6cb36d4c",
         "14187f7574e453d77b995b752b975492677854a36f7a502250a5dcdd10845cd1", 100),
        (5, 400, "8735383d2733274d", "fff8e2c4e0eff8f3", "00ff3f377f00ff00",
         "6e5b31c8294a69da96a59b2696a56cd96b5a64d9cb729b26c3703b0e390e9b26", 100),
        (1, 1, "0000000000000000", "0000000000000000", "0000000000000000",
         String(repeating: "0", count: 64), 0),
        (64, 64, "80000f75aef72f5b", "ee98a38c31e61873", "334e396798f3ceb9",
         "c97b4992437fbad1ca87397ba28ee38d4a8708ad9f78b53649a8aa51c5f01f80", 100),
        (129, 700, "807d54d5545554fd", "a441808a00008aa4", "4421404400004454",
         "80151555b51545577515555705155557751545df551555557515d557b515557f", 100),
        (1, 50, "8000000000008000", "0000000000000000", "0000ff0000ffffff", String(repeating: "0", count: 64), 0),
        (50, 1, "8100000000000000", "d8d8d8d8d8d8d8d8", "3e3e3e3e3e3e3e3e", String(repeating: "0", count: 64), 0),
    ]

    func testReferenceVectorsOnMadeImages() {
        for vector in Self.vectors {
            let hashes = PerceptualHashes.compute(Self.pattern(width: vector.width, height: vector.height))
            let label = "\(vector.width)×\(vector.height)"
            XCTAssertEqual(hashes.phash, vector.phash, label)
            XCTAssertEqual(hashes.dhash, vector.dhash, label)
            XCTAssertEqual(hashes.ahash, vector.ahash, label)
            XCTAssertEqual(hashes.pdq, vector.pdq, label)
            XCTAssertEqual(hashes.pdqQuality, vector.quality, label)
        }
    }

    /// A flat image has no AC energy: scipy's DCT gives exact zeros, so only the DC bit
    /// can be set (`imagehash.phash(Image.new('RGB', (100, 80), (v, v, v)))`).
    func testFlatImages() {
        for (value, phash) in [(0, "0000000000000000"), (1, "8000000000000000"), (128, "8000000000000000"), (255, "8000000000000000")] {
            let hashes = PerceptualHashes.compute(SyntheticRasters.flat(width: 100, height: 80, value: UInt8(value)))
            XCTAssertEqual(hashes.phash, phash, "\(value)")
            XCTAssertEqual(hashes.dhash, "0000000000000000", "\(value)")
            XCTAssertEqual(hashes.ahash, "0000000000000000", "\(value)")
            XCTAssertEqual(hashes.pdqQuality, 0)
        }
    }

    /// pdqhash computes luma in float64 (NumPy) and rounds once to float32; the spec (and
    /// Meta's C++) uses float32 arithmetic. One ulp per pixel is harmless on real photos
    /// (corpus: identical) but on tiny upsampled images of low quality, where most DCT
    /// coefficients sit at the median, it decides many bits. With `.float64` the rest of
    /// the pipeline reproduces pdqhash exactly even there.
    func testFloat64LumaReproducesPdqhashOnLowQualityImages() {
        let references: [(Int, Int, String, Int)] = [
            (8, 8, "6e447f80846f7f007e40ff00db92f5284b162a55a5ad007f413e82df6d240877", 20),
            (9, 8, "bc8cf5a059cbd5a8ac95f7a076225f08a635a2758b5d28d7562aaa57db080a5f", 23),
            (12, 10, "a51302886489208242caf555a55057ff0595df7d835657d752ac75f71aa857f7", 36),
        ]
        for (w, h, pdq, quality) in references {
            let raster = Self.pattern(width: w, height: h)
            let float64 = PDQ.hash(raster, luma: .float64)
            XCTAssertEqual(float64.hash.hex, pdq, "\(w)×\(h)")
            XCTAssertEqual(float64.quality, quality)
            XCTAssertEqual(PDQ.hash(raster).quality, quality, "quality does not depend on the ulp")
        }
    }

    func testDCTMatchesTheDefinitionAndKeepsSymmetricZerosExact() {
        var state: UInt32 = 7
        let x: [Double] = (0..<32).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return Double(state >> 24)
        }
        let fast = ImageHashes.dct2(x, count: 8)
        for k in 0..<8 {
            let direct = 2 * (0..<32).reduce(0.0) { $0 + x[$1] * cos(Double.pi * Double(k) * Double(2 * $1 + 1) / 64) }
            XCTAssertEqual(fast[k], direct, accuracy: 1e-9 * max(1, abs(direct)), "k = \(k)")
        }
        // Constant input: every AC coefficient exactly 0, as scipy's FFT gives.
        XCTAssertEqual(ImageHashes.dct2([Double](repeating: 77, count: 32), count: 8), [2 * 32 * 77] + [Double](repeating: 0, count: 7))
        // x[n] + x[31 − n] constant (a ramp): the even AC coefficients are exactly 0.
        let ramp = ImageHashes.dct2((0..<32).map { Double(3 * $0 + 5) }, count: 8)
        XCTAssertEqual([ramp[2], ramp[4], ramp[6]], [0, 0, 0])
        XCTAssertEqual(ImageHashes.dct2([1, 2, 3], count: 2).count, 2, "odd sizes fall back to the plain sum")
    }

    func testPillowGreyConversion() {
        let raster = Raster(width: 5, height: 1, layout: .rgb,
                            pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 12, 34, 56])
        // (19595·R + 38470·G + 7471·B + 0x8000) >> 16
        let weighted: Int = 12 * 19595 + 34 * 38470 + 56 * 7471
        let mixed = UInt8((weighted + 0x8000) >> 16)
        XCTAssertEqual(PillowImaging.grey(raster).pixels, [76, 150, 29, 255, mixed])
        // R = G = B gives the value back, so a luma raster is already Pillow's L.
        let greys = Raster(width: 256, height: 1, layout: .rgb, pixels: (0..<256).flatMap { [UInt8($0), UInt8($0), UInt8($0)] })
        XCTAssertEqual(PillowImaging.grey(greys).pixels, (0..<256).map(UInt8.init))
    }

    func testLanczosKeepsFlatImagesFlatAndSkipsUnchangedAxes() {
        for value: UInt8 in [0, 1, 127, 254, 255] {
            let flat = GreyImage(width: 123, height: 45, pixels: [UInt8](repeating: value, count: 123 * 45))
            for (w, h) in [(8, 8), (9, 8), (32, 32), (200, 90)] {
                let out = PillowImaging.resizeLanczos(flat, width: w, height: h)
                XCTAssertEqual(out.pixels, [UInt8](repeating: value, count: w * h), "\(value) → \(w)×\(h)")
            }
        }
        let image = GreyImage(width: 32, height: 32, pixels: (0..<1024).map { UInt8($0 % 251) })
        XCTAssertEqual(PillowImaging.resizeLanczos(image, width: 32, height: 32), image)
        XCTAssertEqual(PillowImaging.resizeLanczos(image, width: 0, height: 8).pixels, [])
    }

    func testLanczosWeightsAreNormalised() {
        for (inSize, outSize) in [(1600, 32), (23, 32), (9, 9), (1004, 8), (5, 400)] {
            let c = PillowImaging.coefficients(inSize: inSize, outSize: outSize)
            for xx in 0..<outSize {
                let sum = (0..<c.taps[xx]).reduce(0) { $0 + Int(c.weights[xx * c.ksize + $1]) }
                XCTAssertLessThanOrEqual(abs(sum - (1 << 22)), c.taps[xx], "\(inSize)→\(outSize) sample \(xx)")
                XCTAssertGreaterThanOrEqual(c.first[xx], 0)
                XCTAssertLessThanOrEqual(c.first[xx] + c.taps[xx], inSize)
            }
        }
        XCTAssertEqual(PillowImaging.lanczos(0), 1)
        XCTAssertEqual(PillowImaging.lanczos(3), 0)
        XCTAssertEqual(PillowImaging.lanczos(-3.5), 0)
    }

    func testDHashOfGradientsAndAHashOfHalves() {
        let rising = Raster(width: 90, height: 40, layout: .luma, pixels: (0..<(90 * 40)).map { UInt8($0 % 90 * 2) })
        XCTAssertEqual(ImageHashes.dHash(rising).hex, "ffffffffffffffff")
        let falling = Raster(width: 90, height: 40, layout: .luma, pixels: (0..<(90 * 40)).map { UInt8(255 - $0 % 90 * 2) })
        XCTAssertEqual(ImageHashes.dHash(falling).hex, "0000000000000000")
        let halves = Raster(width: 160, height: 80, layout: .luma, pixels: (0..<(160 * 80)).map { $0 % 160 < 80 ? 0 : 255 })
        XCTAssertEqual(ImageHashes.averageHash(halves).hex, "0f0f0f0f0f0f0f0f")
    }

    func testTinyAndEmptyRastersNeverTrap() {
        for (w, h) in [(0, 0), (1, 1), (2, 1), (1, 9), (4, 4)] {
            let hashes = PerceptualHashes.compute(Self.pattern(width: w, height: h))
            XCTAssertEqual(hashes.pdq, String(repeating: "0", count: 64), "\(w)×\(h)")
            XCTAssertEqual(hashes.pdqQuality, 0)
            XCTAssertEqual(hashes.phash.count, 16)
            XCTAssertEqual(hashes.dhash.count, 16)
        }
        // A raster whose pixel buffer is shorter than its dimensions claim.
        let short = Raster(width: 100, height: 100, layout: .rgb, pixels: [1, 2, 3])
        let hashes = PerceptualHashes.compute(short)
        XCTAssertEqual(hashes.phash.count, 16)
    }
}
