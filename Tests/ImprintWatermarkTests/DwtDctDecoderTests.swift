import ImprintCase
import ImprintDetectors
import ImprintImaging
import ImprintPipeline
import ImprintTestSupport
import XCTest

final class DwtDctDecoderTests: XCTestCase {
    private func payload(_ id: String) throws -> DwtDctPayload {
        try XCTUnwrap(DwtDctPayload.known.first { $0.id == id })
    }

    func testPayloadBitsAreTheSpecsTable() throws {
        let sd1 = try payload("sd1"), sd2 = try payload("sd2"), sdxl = try payload("sdxl")
        XCTAssertEqual(sd1.length, 136)
        XCTAssertEqual(sd1.bits.filter { $0 }.count, 68)
        XCTAssertEqual(sd2.length, 32)
        XCTAssertEqual(sd2.bits.filter { $0 }.count, 13)
        XCTAssertEqual(sd2.bits.map { $0 ? "1" : "0" }.joined(), "01010011010001000101011000110010")
        XCTAssertEqual(sdxl.length, 48)
        XCTAssertEqual(sdxl.bits.filter { $0 }.count, 27)
        XCTAssertEqual(sdxl.bits.prefix(12).map { $0 ? "1" : "0" }.joined(), "101100111110")
    }

    func testBinomialTail() {
        XCTAssertEqual(BinomialTail.upper(k: 0, n: 48), 1)
        XCTAssertEqual(BinomialTail.upper(k: 49, n: 48), 0)
        XCTAssertEqual(BinomialTail.upper(k: 48, n: 48), 1 / 281_474_976_710_656, accuracy: 1e-20)
        XCTAssertEqual(BinomialTail.upper(k: 36, n: 48), 3.5863483669729135e-4, accuracy: 1e-12)
        XCTAssertEqual(BinomialTail.upper(k: 30, n: 32), 1.2316741049289703e-7, accuracy: 1e-15)
        // P(X >= k) + P(X >= n - k + 1) = 1 by symmetry.
        XCTAssertEqual(BinomialTail.upper(k: 70, n: 136) + BinomialTail.upper(k: 67, n: 136), 1, accuracy: 1e-12)
    }

    func testTiersFollowTheCorrectedProbability() {
        XCTAssertEqual(DwtDctScoring.tier(falseAlarm: 1e-9, degenerate: false), .veryLikely)
        XCTAssertEqual(DwtDctScoring.tier(falseAlarm: 1e-4, degenerate: false), .likely)
        XCTAssertEqual(DwtDctScoring.tier(falseAlarm: 1e-2, degenerate: false), .partial)
        XCTAssertEqual(DwtDctScoring.tier(falseAlarm: 0.5, degenerate: false), DwtDctTier.none)
        XCTAssertEqual(DwtDctScoring.tier(falseAlarm: 1e-9, degenerate: true), .partial)
        // 44 of 48 after searching 144 variants: 144 x 7.6e-10 ~ 1.1e-7.
        let (tail, corrected) = DwtDctScoring.falseAlarmProbability(agreeing: 44, length: 48, searchSize: 144)
        XCTAssertEqual(corrected, min(1, tail * 144 * DwtDctScoring.empiricalInflation), accuracy: 1e-15)
        XCTAssertLessThan(corrected, 1e-6)
    }

    func testRecoversEveryPayloadInEveryOrderAndLattice() throws {
        let picture = DwtDctEmbedder.texturedPicture(width: 512, height: 384)
        let decoder = DwtDctDecoder()
        for payload in DwtDctPayload.known {
            for (order, expectedOrder) in [(DwtDctEmbedder.Order.bgr, DwtDctChannelOrder.bgr), (.rgbAsBgr, .rgbAsBgr)] {
                for lattice in [DwtDctEmbedder.Lattice.uint8, .float] {
                    let marked = DwtDctEmbedder.embed(picture, bits: payload.bits, order: order, lattice: lattice)
                    guard case let .decoded(blocks, results) = decoder.decode(marked) else {
                        return XCTFail("\(payload.id) \(order) \(lattice): not decoded")
                    }
                    XCTAssertEqual(blocks, 64 * 48)
                    let result = try XCTUnwrap(results.first { $0.payload.id == payload.id })
                    let context = "\(payload.id) \(order) \(lattice)"
                    XCTAssertGreaterThanOrEqual(result.agreeing, payload.length - payload.length / 32, context)
                    XCTAssertEqual(result.tier, .veryLikely, context)
                    XCTAssertEqual(result.variant.order, expectedOrder, context)
                    XCTAssertFalse(result.degenerate, context)
                    for other in results where other.payload.id != payload.id {
                        XCTAssertLessThan(other.tier, .likely, "\(context) also reads as \(other.payload.id)")
                    }
                }
            }
        }
    }

    func testUnmarkedPictureIsNotReported() {
        for seed in [UInt64(1), 2, 3] {
            let picture = DwtDctEmbedder.texturedPicture(width: 512, height: 384, seed: seed)
            guard case let .decoded(_, results) = DwtDctDecoder().decode(picture) else { return XCTFail("not decoded") }
            XCTAssertEqual(results.count, 3)
            for result in results {
                XCTAssertLessThan(result.tier, .likely, "seed \(seed) \(result.payload.id) \(result.agreeing)/\(result.payload.length)")
            }
        }
    }

    func testImagesThatCannotCarryTheMark() {
        let decoder = DwtDctDecoder()
        let grey = Raster(width: 300, height: 300, layout: .luma, pixels: [UInt8](repeating: 90, count: 90_000))
        guard case .notApplicable(let reason) = decoder.decode(grey) else { return XCTFail("greyscale decoded") }
        XCTAssertTrue(reason.contains("greyscale"), reason)

        let greyAsRGB = Raster(width: 300, height: 300, layout: .rgb, pixels: [UInt8](repeating: 90, count: 270_000))
        guard case .notApplicable(let why) = decoder.decode(greyAsRGB) else { return XCTFail("R = G = B decoded") }
        XCTAssertTrue(why.contains("grey"), why)

        let small = DwtDctEmbedder.texturedPicture(width: 255, height: 255)
        guard case .notApplicable(let size) = decoder.decode(small) else { return XCTFail("255 x 255 decoded") }
        XCTAssertTrue(size.contains("256 x 256"), size)
    }

    func testFlatColourIsDegenerateAndNeverReported() {
        var pixels = [UInt8]()
        for _ in 0..<(320 * 320) { pixels += [200, 100, 50] }
        let flat = Raster(width: 320, height: 320, layout: .rgb, pixels: pixels)
        guard case let .decoded(_, results) = DwtDctDecoder().decode(flat) else { return XCTFail("not decoded") }
        for result in results {
            XCTAssertTrue(result.degenerate, result.payload.id)
            XCTAssertLessThanOrEqual(result.tier, .partial, result.payload.id)
        }
    }

    func testJPEGResaveIsReadWithReplicatedChroma() throws {
        let picture = DwtDctEmbedder.texturedPicture(width: 512, height: 512, seed: 7)
        let sdxl = try payload("sdxl")
        let marked = DwtDctEmbedder.embed(picture, bits: sdxl.bits, order: .bgr, lattice: .float)
        let jpeg = try ImageEncoder.jpeg(marked, quality: 95)
        let artifact = Artifact(path: Array("marked.jpg".utf8), name: Array("marked.jpg".utf8), bytes: jpeg, format: .jpeg)
        let smooth = try artifact.raster()
        let replicated = try artifact.rasterWithReplicatedChroma()
        XCTAssertEqual(smooth.width, replicated.width)
        XCTAssertNotEqual(smooth.pixels, replicated.pixels, "4:2:0 chroma must be replicated, not smoothed")
        // Luma is the same either way: only chroma upsampling differs.
        XCTAssertEqual(smooth.luma().pixels.count, replicated.luma().pixels.count)

        let findings = try SDWatermarkAnalyzer().analyze(artifact)
        let finding = try XCTUnwrap(findings.first, "the q95 re-save must still be detected")
        XCTAssertEqual(finding.label, "watermark.sd-dwtdct")
        XCTAssertEqual(finding.category, .watermark)
        XCTAssertEqual(finding.details["payload"]?.stringValue, "sdxl")
        XCTAssertGreaterThanOrEqual(finding.details["bitsAgreeing"]?.intValue ?? 0, 40)
        XCTAssertLessThan(finding.details["pFalseAlarm"]?.doubleValue ?? 1, 1e-3)
        XCTAssertNotNil(finding.details["agreement"]?.doubleValue)
    }

    /// Ingest has the shared decode stream the replicated image to the analyzer's
    /// collector (`prepare`); that must decode exactly as the whole replicated raster.
    func testStreamedDecodeEqualsTheRasterDecode() throws {
        let picture = DwtDctEmbedder.texturedPicture(width: 517, height: 389, seed: 11)
        let analyzer = SDWatermarkAnalyzer()
        for (name, order, lattice) in [("sdxl", DwtDctEmbedder.Order.rgbAsBgr, DwtDctEmbedder.Lattice.float), ("sd1", .bgr, .uint8)] {
            let marked = DwtDctEmbedder.embed(picture, bits: try payload(name).bits, order: order, lattice: lattice)
            for subsampling in [JPEGEncodeOptions.Subsampling.s420, .s422] {
                let jpeg = try ImageEncoder.jpeg(marked, options: .init(quality: 95, subsampling: subsampling))
                let streamed = Artifact(path: Array("s.jpg".utf8), name: Array("s.jpg".utf8), bytes: jpeg, format: .jpeg)
                analyzer.prepare(streamed)
                let viaStrips = try XCTUnwrap(try analyzer.decodeAll(streamed))
                XCTAssertNotNil(streamed.streamedReplicatedChroma(key: analyzer.id), "\(name) \(subsampling): not streamed")
                let whole = Artifact(path: Array("w.jpg".utf8), name: Array("w.jpg".utf8), bytes: jpeg, format: .jpeg)
                let viaRaster = try XCTUnwrap(try analyzer.decodeAll(whole))
                XCTAssertNil(whole.streamedReplicatedChroma(key: analyzer.id))
                XCTAssertEqual(viaStrips.outcome, viaRaster.outcome, "\(name) \(subsampling)")
                XCTAssertEqual([viaStrips.width, viaStrips.height], [517, 389])
                guard case let .decoded(_, results) = viaStrips.outcome else { return XCTFail("not decoded") }
                XCTAssertGreaterThanOrEqual(results.first { $0.payload.id == name }?.agreeing ?? 0, payloadLength(name) * 3 / 4)
            }
        }
    }

    private func payloadLength(_ id: String) -> Int { (try? payload(id).length) ?? 0 }

    func testPNGHasNoSecondDecode() throws {
        let png = try ImageEncoder.png(DwtDctEmbedder.texturedPicture(width: 300, height: 300))
        let artifact = Artifact(path: Array("a.png".utf8), name: Array("a.png".utf8), bytes: png, format: .png)
        XCTAssertEqual(try artifact.rasterWithReplicatedChroma(), try artifact.raster())
    }
}
