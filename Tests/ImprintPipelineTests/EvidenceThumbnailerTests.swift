import Crypto
import XCTest
import ImprintBytes
import ImprintImaging
@testable import ImprintPipeline
import ImprintTestSupport

final class EvidenceThumbnailerTests: XCTestCase {
    /// A 200 × 100 image whose every pixel differs from its neighbours (a gradient with noise).
    private func detailedPNG() throws -> [UInt8] {
        var pixels: [UInt8] = []
        for y in 0..<100 {
            for x in 0..<200 { pixels += [UInt8(x % 256), UInt8((y * 2) % 256), UInt8((x * 7 + y * 13) % 256)] }
        }
        return try ImageEncoder.png(Raster(width: 200, height: 100, layout: .rgb, pixels: pixels))
    }

    func testMosaicHasAtMostTheBlocksAcrossTheShortSideAndUniformBlocks() throws {
        let thumb = EvidenceThumbnailer().thumbnail(bytes: try detailedPNG(), width: 200, height: 100)
        XCTAssertEqual(thumb.kind, .pixelated)
        let raster = try ImageDecoder().decode(thumb.bytes, format: .png)
        // 8 blocks on the short side (100 px) → 16 across the long side; 96 / 16 = 6-pixel cells.
        XCTAssertEqual(raster.width, 96)
        XCTAssertEqual(raster.height, 48)
        var colours = Set<[UInt8]>()
        for y in 0..<raster.height {
            for x in 0..<raster.width {
                let here = Array(raster.pixels[(y * raster.width + x) * 3..<(y * raster.width + x) * 3 + 3])
                let origin = ((y / 6 * 6) * raster.width + x / 6 * 6) * 3
                XCTAssertEqual(here, Array(raster.pixels[origin..<origin + 3]))
                colours.insert(here)
            }
        }
        XCTAssertLessThanOrEqual(colours.count, 16 * 8)
        XCTAssertGreaterThan(colours.count, 1)
    }

    func testClearThumbnailOnlyWhenRevealedAndPlaceholdersSayWhy() throws {
        let clear = EvidenceThumbnailer(reveal: true).thumbnail(bytes: try detailedPNG(), width: 200, height: 100)
        XCTAssertEqual(clear.kind, .clear)
        XCTAssertEqual(clear.mimeType, "image/jpeg")
        XCTAssertEqual(clear.width, 160)
        XCTAssertEqual(clear.height, 80)
        let text = EvidenceThumbnailer().thumbnail(bytes: Array("hello".utf8), width: nil, height: nil)
        XCTAssertEqual(text.kind, .placeholder)
        XCTAssertEqual(text.reason, "not an image")
        let broken = EvidenceThumbnailer().thumbnail(bytes: Array(MagicBytes.png.prefix(40)), width: nil, height: nil)
        XCTAssertEqual(broken.kind, .placeholder)
        XCTAssertTrue(broken.reason?.hasPrefix("cannot be decoded") ?? false, broken.reason ?? "")
    }

    func testEvidenceIsShownOnlyWhenItStillHashesToTheRecord() async throws {
        let tree = try FixtureTree("thumb")
        defer { tree.remove() }
        let png = try detailedPNG()
        try tree.write("sub/a.png", png)
        let recorded = Hex.encode(SHA256.hash(data: png))
        let target = EvidenceThumbnailer.Target(fileID: 1, rootPath: tree.rootBytes, path: Array("sub/a.png".utf8),
                                                sha256: recorded, width: 200, height: 100)
        let before = tree.snapshot()
        XCTAssertEqual(EvidenceThumbnailer().thumbnail(target).kind, .pixelated)
        XCTAssertEqual(tree.snapshot(), before, "the evidence is not touched")
        var changed = target
        changed.fileID = 2
        changed.sha256 = String(repeating: "0", count: 64)
        XCTAssertEqual(EvidenceThumbnailer().thumbnail(changed).reason, "changed since ingest; not shown")
        var missing = target
        missing.fileID = 3
        missing.path = Array("sub/gone.png".utf8)
        XCTAssertEqual(EvidenceThumbnailer().thumbnail(missing).reason, "missing from its recorded location")
        let all = await EvidenceThumbnailer().thumbnails([target, changed, missing], jobs: 2)
        XCTAssertEqual(all.count, 3)
        XCTAssertEqual(all[1]?.kind, .pixelated)
        XCTAssertEqual(all[2]?.reason, "changed since ingest; not shown")
        XCTAssertEqual(all[3]?.kind, .placeholder)
    }
}
