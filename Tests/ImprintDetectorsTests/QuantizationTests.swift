import ImprintImaging
import ImprintMetadata
import ImprintTestSupport
import XCTest
@testable import ImprintDetectors

final class QuantizationTests: XCTestCase {
    /// A textured RGB image, so the encoder has something to quantise.
    static func raster(width: Int = 64, height: Int = 48, channels: Int = 3) -> Raster {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels { pixels.append(UInt8((x * 7 + y * 13 + c * 50 + (x * y) % 17) & 0xFF)) }
            }
        }
        return Raster(width: width, height: height, layout: channels == 1 ? .luma : .rgb, pixels: pixels)
    }

    static func parse(_ bytes: [UInt8]) -> ParsedContainer { ContainerParser.parse(bytes, format: .jpeg) }

    func testIJGTablesMatchTheSpecRows() {
        // SYNTHETIC-DETECTION §1.3: row 0 and Σ of luma and chroma at q 75, 85, 90, 95.
        let expected: [(Int, [Int], Int, [Int], Int)] = [
            (75, [8, 6, 5, 8, 12, 20, 26, 31], 1858, [9, 9, 12, 24, 50, 50, 50, 50], 2780),
            (85, [5, 3, 3, 5, 7, 12, 15, 18], 1109, [5, 5, 7, 14, 30, 30, 30, 30], 1666),
            (90, [3, 2, 2, 3, 5, 8, 10, 12], 736, [3, 4, 5, 9, 20, 20, 20, 20], 1110),
            (95, [2, 1, 1, 2, 2, 4, 5, 6], 369, [2, 2, 2, 5, 10, 10, 10, 10], 558),
        ]
        for (q, lumaRow, lumaSum, chromaRow, chromaSum) in expected {
            let luma = IJGQuantization.table(base: IJGQuantization.annexKLuma, quality: q)
            let chroma = IJGQuantization.table(base: IJGQuantization.annexKChroma, quality: q)
            XCTAssertEqual(Array(luma.prefix(8)), lumaRow, "q\(q)")
            XCTAssertEqual(luma.reduce(0, +), lumaSum, "q\(q)")
            XCTAssertEqual(Array(chroma.prefix(8)), chromaRow, "q\(q)")
            XCTAssertEqual(chroma.reduce(0, +), chromaSum, "q\(q)")
        }
        XCTAssertEqual(IJGQuantization.table(base: IJGQuantization.annexKLuma, quality: 50), IJGQuantization.annexKLuma)
        XCTAssertEqual(Set(IJGQuantization.table(base: IJGQuantization.annexKLuma, quality: 100)), [1])
        XCTAssertEqual(IJGQuantization.annexKLuma.reduce(0, +), 3688)
        XCTAssertEqual(IJGQuantization.annexKChroma.reduce(0, +), 5505)
    }

    func testEveryBaselineQualityIsIdentifiedExactly() {
        for q in 1...100 {
            let luma = IJGQuantization.table(base: IJGQuantization.annexKLuma, quality: q)
            let chroma = IJGQuantization.table(base: IJGQuantization.annexKChroma, quality: q)
            let lq = IJGQuantization.exactQuality(luma, base: IJGQuantization.annexKLuma)
            let cq = IJGQuantization.exactQuality(chroma, base: IJGQuantization.annexKChroma)
            // Low qualities clamp to 255 everywhere in chroma; the pair is still unique.
            XCTAssertEqual(lq, q, "luma q\(q)")
            XCTAssertNotNil(cq, "chroma q\(q)")
        }
    }

    func testJPEGsEncodedAtKnownQualitiesAreClassedIJG() throws {
        for q in [20, 50, 75, 85, 90, 95, 100] {
            let bytes = try ImageEncoder.jpeg(Self.raster(), quality: q)
            let assessment = try XCTUnwrap(QuantizationClassifier.assess(Self.parse(bytes)), "q\(q)")
            XCTAssertEqual(assessment.kind, .ijg, "q\(q)")
            XCTAssertEqual(assessment.lumaQuality, q)
            XCTAssertEqual(assessment.chromaQuality, q)
            XCTAssertEqual(assessment.quality, Double(q))
            // The estimate from the median ratio lands on the same quality.
            XCTAssertEqual(try XCTUnwrap(assessment.lumaEstimate).quality, Double(q), accuracy: q == 100 ? 0.5 : 1.0, "q\(q)")
        }
    }

    func testSplitQualitiesAndGreyscale() throws {
        let split = try ImageEncoder.jpeg(Self.raster(), options: JPEGEncodeOptions(quality: 90, chromaQuality: 70))
        let assessment = try XCTUnwrap(QuantizationClassifier.assess(Self.parse(split)))
        XCTAssertEqual(assessment.kind, .ijgSplit)
        XCTAssertEqual(assessment.lumaQuality, 90)
        XCTAssertEqual(assessment.chromaQuality, 70)

        let grey = try ImageEncoder.jpeg(Self.raster(channels: 1), quality: 80)
        let greyAssessment = try XCTUnwrap(QuantizationClassifier.assess(Self.parse(grey)))
        XCTAssertEqual(greyAssessment.kind, .ijg)
        XCTAssertEqual(greyAssessment.lumaQuality, 80)
        XCTAssertNil(greyAssessment.chromaQuality)
    }

    func testAlteredTableIsCustomAndProportionalTableIsAnnexKScaled() throws {
        var bytes = try ImageEncoder.jpeg(Self.raster(), quality: 90)
        let container = Self.parse(bytes)
        // Change one luma entry in the file (DQT stores zigzag order; entry 10 is fine).
        let luma = try XCTUnwrap(container.quantizationTables.first { $0.id == 0 })
        bytes[luma.offset + 1 + 10] = bytes[luma.offset + 1 + 10] &+ 9
        let custom = try XCTUnwrap(QuantizationClassifier.assess(Self.parse(bytes)))
        XCTAssertEqual(custom.kind, .custom)
        XCTAssertGreaterThan(try XCTUnwrap(custom.lumaEstimate).deviationMax, 0)

        // Annex K scaled by 37 % but rounded down instead of to nearest.
        let floorScaled = IJGQuantization.annexKLuma.map { max(1, $0 * 37 / 100) }
        XCTAssertNil(IJGQuantization.exactQuality(floorScaled, base: IJGQuantization.annexKLuma))
        let estimate = try XCTUnwrap(IJGQuantization.estimate(floorScaled, base: IJGQuantization.annexKLuma))
        XCTAssertTrue(estimate.proportionalToAnnexK)
        XCTAssertEqual(estimate.quality, 81.5, accuracy: 2)

        // A camera-like table: flat 4s and 6s, nothing like Annex K.
        let flat = (0..<64).map { $0 < 32 ? 4 : 6 }
        XCTAssertFalse(try XCTUnwrap(IJGQuantization.estimate(flat, base: IJGQuantization.annexKLuma)).proportionalToAnnexK)
    }

    func testSubsamplingProgressiveAndHuffman() throws {
        let cases: [(JPEGEncodeOptions.Subsampling, String)] = [(.s444, "4:4:4"), (.s422, "4:2:2"), (.s420, "4:2:0")]
        for (subsampling, name) in cases {
            let bytes = try ImageEncoder.jpeg(Self.raster(), options: JPEGEncodeOptions(quality: 85, subsampling: subsampling))
            let container = Self.parse(bytes)
            XCTAssertEqual(ChromaSubsampling.name(try XCTUnwrap(container.jpegFrame)), name)
            XCTAssertEqual(HuffmanAssessment.kind(container), .standard, name)
            XCTAssertFalse(try XCTUnwrap(container.jpegFrame).isProgressive)
        }
        let grey = Self.parse(try ImageEncoder.jpeg(Self.raster(channels: 1), quality: 85))
        XCTAssertEqual(ChromaSubsampling.name(try XCTUnwrap(grey.jpegFrame)), "greyscale")

        let optimized = Self.parse(try ImageEncoder.jpeg(Self.raster(), options: JPEGEncodeOptions(quality: 85, optimizeCoding: true)))
        XCTAssertEqual(HuffmanAssessment.kind(optimized), .optimized)

        let progressive = Self.parse(try ImageEncoder.jpeg(Self.raster(), options: JPEGEncodeOptions(quality: 85, progressive: true)))
        let profile = CompressionProfile.read(progressive, metadata: .init())
        XCTAssertTrue(profile.progressive)
        XCTAssertEqual(profile.process, "progressive")
        XCTAssertEqual(profile.huffman, .optimized)
        XCTAssertEqual(profile.quantization?.kind, .ijg)
    }

    func testStandardHuffmanTablesAreTheOnesLibjpegWrites() throws {
        // libjpeg's default tables are Annex K.3: all four are recognised, none is missed.
        let container = Self.parse(try ImageEncoder.jpeg(Self.raster(), quality: 75))
        XCTAssertEqual(container.huffmanTables.count, 4)
        XCTAssertTrue(container.huffmanTables.allSatisfy(HuffmanAssessment.isStandard))
        XCTAssertEqual(container.huffmanTables.map(\.values.count).sorted(), [12, 12, 162, 162])
    }

    func testEncoderSignatureRulesReadComments() throws {
        var container = Self.parse(try ImageEncoder.jpeg(Self.raster(), quality: 75))
        XCTAssertTrue(EncoderSignatures.match(container).isEmpty)
        container.comments = [(offset: 20, text: "CREATOR: gd-jpeg v1.0 (using IJG JPEG v62), quality = 75")]
        XCTAssertEqual(EncoderSignatures.match(container).map(\.software), ["GD library (e.g. PHP)"])
    }

    func testExifCompletenessAndDimensions() {
        var record = MetadataRecordFixture.camera()
        XCTAssertEqual(ExifCompleteness.assess(record).fraction, 1)
        record.makerNotePresent = false
        record.iso = nil
        let partial = ExifCompleteness.assess(record)
        XCTAssertEqual(partial.missing, ["ISO", "MakerNote"])
        XCTAssertEqual(partial.fraction, 0.8, accuracy: 1e-12)
        XCTAssertEqual(ExifCompleteness.assess(.init()).fraction, 0)

        XCTAssertEqual(GeneratorDimensions.assess(width: 1024, height: 1024).knownSize?.width, 1024)
        XCTAssertTrue(GeneratorDimensions.assess(width: 1344, height: 768).multipleOf64)
        XCTAssertNil(GeneratorDimensions.assess(width: 1344, height: 768).knownSize)
        XCTAssertFalse(GeneratorDimensions.assess(width: 4000, height: 3000).multipleOf64)
    }
}
