import XCTest
import ImprintBytes
import ImprintImaging
import ImprintProvenance

/// Stealth pnginfo (SD-WATERMARK.md §5): both modes, plain and gzip, the bounds, and the
/// payload fed through the generator rules.
final class StealthPNGInfoTests: XCTestCase {
    static let novelAI = #"{"Description": "a lighthouse at night", "Software": "NovelAI", "Source": "NovelAI Diffusion V4 F6D1A4B2", "#
        + #""Comment": "{\"steps\": 28, \"sampler\": \"k_euler_ancestral\", \"seed\": 77, \"scale\": 5.0, \"uc\": \"lowres\", \"signed_hash\": \"abc\"}"}"#

    func testAlphaPlainA1111() throws {
        let raster = GF.embedStealth(GF.small(width: 40, height: 40, alpha: true), rgb: false, magic: "stealth_pnginfo",
                                     payload: Array(GF.a1111Text.utf8))
        let payloads = StealthPNGInfo.read(raster)
        XCTAssertEqual(payloads.map(\.magic), ["stealth_pnginfo"])
        XCTAssertEqual(payloads.first?.text, GF.a1111Text)
        let hits = GeneratorScanner.scan(stealth: try XCTUnwrap(payloads.first))
        XCTAssertEqual(hits.map(\.rule), ["a1111.png-parameters"])
        XCTAssertEqual(hits.first?.fields["seed"]?.stringValue, "235284042")
        XCTAssertEqual(hits.first?.fields["stealth"]?["mode"]?.stringValue, "alpha")
        XCTAssertEqual(hits.first?.element, "pixels")
    }

    func testAlphaGzipNovelAIThroughARealPNG() throws {
        let raster = GF.embedStealth(GF.small(width: 64, height: 64, alpha: true), rgb: false, magic: "stealth_pngcomp",
                                     payload: GF.gzipStored(Array(Self.novelAI.utf8)))
        // Round trip through libpng: what a seized file would hold.
        let decoded = try ImageDecoder().decode(try ImageEncoder.png(raster), format: .png)
        let payload = try XCTUnwrap(StealthPNGInfo.read(decoded).first)
        XCTAssertTrue(payload.compressed)
        XCTAssertEqual(payload.status, .complete)
        let hits = GeneratorScanner.scan(stealth: payload)
        let hit = try XCTUnwrap(hits.first { $0.generator == "novelai" })
        XCTAssertEqual(hit.fields["prompt"]?.stringValue, "a lighthouse at night")
        XCTAssertEqual(hit.fields["seed"]?.intValue, 77)
        XCTAssertEqual(hit.fields["signedHash"]?.stringValue, "abc", "reported, never verified")
        XCTAssertEqual(hit.confidence, .high)
        XCTAssertTrue(hit.carrier.contains("stealth_pngcomp"))
        XCTAssertGreaterThanOrEqual(hit.precedence, 1_000, "stealth ranks after the file's own metadata")
    }

    func testRGBPlainAndGzip() throws {
        let base = GF.small(width: 30, height: 30, alpha: false)
        let plain = GF.embedStealth(base, rgb: true, magic: "stealth_rgbinfo", payload: Array(GF.a1111Text.utf8))
        XCTAssertEqual(StealthPNGInfo.read(plain).map(\.text), [GF.a1111Text])
        let comp = GF.embedStealth(base, rgb: true, magic: "stealth_rgbcomp", payload: GF.gzipStored(Array(GF.a1111Text.utf8)))
        let payload = try XCTUnwrap(StealthPNGInfo.read(comp).first)
        XCTAssertEqual(payload.mode, .rgb)
        XCTAssertEqual(payload.text, GF.a1111Text)
        XCTAssertEqual(GeneratorScanner.scan(stealth: payload).first?.generator, "automatic1111")
        // RGB mode also works on an RGBA raster; alpha mode is not fooled by RGB bits.
        let rgba = GF.embedStealth(GF.small(width: 30, height: 30, alpha: true), rgb: true, magic: "stealth_rgbinfo",
                                   payload: Array("hello".utf8))
        XCTAssertEqual(StealthPNGInfo.read(rgba).map(\.mode), [.rgb])
    }

    func testUnexplainedPayloadStillReportsTheWriter() throws {
        let raster = GF.embedStealth(GF.small(width: 20, height: 20, alpha: true), rgb: false, magic: "stealth_pnginfo",
                                     payload: Array("just some words".utf8))
        let hits = GeneratorScanner.scan(stealth: try XCTUnwrap(StealthPNGInfo.read(raster).first))
        XCTAssertEqual(hits.map(\.rule), ["stealth.magic"])
        XCTAssertEqual(hits.first?.generator, "stealth-pnginfo")
    }

    func testLengthIsValidatedAgainstCapacityAndBytes() throws {
        let base = GF.small(width: 20, height: 20, alpha: true)   // 400 bits of alpha capacity
        let tooLong = GF.embedStealth(base, rgb: false, magic: "stealth_pnginfo", payload: [0x41], declaredBits: 4_000)
        let payload = try XCTUnwrap(StealthPNGInfo.read(tooLong).first)
        guard case .badLength = payload.status else { return XCTFail("expected a bad length, got \(payload.status)") }
        XCTAssertEqual(payload.payload, [])
        let ragged = GF.embedStealth(base, rgb: false, magic: "stealth_pnginfo", payload: [0x41], declaredBits: 7)
        guard case .badLength = try XCTUnwrap(StealthPNGInfo.read(ragged).first).status else { return XCTFail("not a byte multiple") }
        XCTAssertEqual(GeneratorScanner.scan(stealth: try XCTUnwrap(StealthPNGInfo.read(ragged).first)).map(\.rule), ["stealth.magic"])
    }

    func testGzipBombStopsAtTheBound() throws {
        let bomb = GF.gzipZeros(StealthPNGInfo.maxPayloadBytes + 1_000_000)
        XCTAssertLessThan(bomb.count, 200_000)
        let side = Int(Double((bomb.count + 19) * 8).squareRoot()) + 2
        let raster = GF.embedStealth(GF.small(width: side, height: side, alpha: true), rgb: false, magic: "stealth_pngcomp", payload: bomb)
        let payload = try XCTUnwrap(StealthPNGInfo.read(raster).first)
        guard case .decompression = payload.status else { return XCTFail("expected the bound to stop it, got \(payload.status)") }
        XCTAssertLessThanOrEqual(payload.payload.count, StealthPNGInfo.maxPayloadBytes)
    }

    func testBoundedInflateReadsGzipAndHonoursTheCap() {
        let data = Array("stealth payload".utf8)
        let outcome = BoundedInflate.inflate(GF.gzipStored(data)[...], limits: .init(maxOutput: 1 << 20, maxRatio: 1_000), wrapper: .gzip)
        XCTAssertEqual(outcome.status, .complete)
        XCTAssertEqual(outcome.output, data)
        let capped = BoundedInflate.inflate(GF.gzipZeros(100_000)[...], limits: .init(maxOutput: 1_000, maxRatio: 1_000_000), wrapper: .gzip)
        XCTAssertEqual(capped.status, .limitReached)
        XCTAssertEqual(capped.output.count, 1_000)
    }

    func testOrdinaryPixelsHoldNoPayload() {
        XCTAssertEqual(StealthPNGInfo.read(GF.small(width: 64, height: 64, alpha: true)), [])
        XCTAssertEqual(StealthPNGInfo.read(GF.small(width: 3, height: 3, alpha: true)), [], "too small to hold the magic")
        XCTAssertEqual(StealthPNGInfo.read(Raster(width: 16, height: 16, layout: .luma, pixels: [UInt8](repeating: 1, count: 256))), [])
    }
}
