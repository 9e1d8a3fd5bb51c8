import XCTest
@testable import ImprintImaging

final class FormatSnifferTests: XCTestCase {
    private func ftyp(_ major: String, compatible: [String]) -> [UInt8] {
        let brands = [major, "\u{0}\u{0}\u{0}\u{0}"] + compatible
        let size = 8 + 4 * brands.count
        return [0, 0, 0, UInt8(size)] + Array("ftyp".utf8) + brands.flatMap { Array($0.utf8) }
    }

    func testMagicBytesDecideNotNames() {
        XCTAssertEqual(FormatSniffer.sniff([0xFF, 0xD8, 0xFF, 0xE1, 0, 0]), .jpeg)
        XCTAssertEqual(FormatSniffer.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]), .png)
        XCTAssertEqual(FormatSniffer.sniff(Array("RIFF\u{1}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)), .webp)
        XCTAssertEqual(FormatSniffer.sniff(Array("RIFF\u{1}\u{0}\u{0}\u{0}WAVEfmt ".utf8)), .other)
        XCTAssertEqual(FormatSniffer.sniff(Array("GIF87a".utf8)), .gif)
        XCTAssertEqual(FormatSniffer.sniff(Array("GIF89a".utf8)), .gif)
        XCTAssertEqual(FormatSniffer.sniff([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]), .tiff)
        XCTAssertEqual(FormatSniffer.sniff([0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8]), .tiff)
        XCTAssertEqual(FormatSniffer.sniff([0x49, 0x49, 0x2B, 0x00, 8, 0, 0, 0]), .tiff)
        XCTAssertEqual(FormatSniffer.sniff([UInt8]()), .empty)
        XCTAssertEqual(FormatSniffer.sniff([0xFF, 0xD8]), .other)
    }

    func testBMFFBrandsSeparateHEIFFromAVIF() {
        XCTAssertEqual(FormatSniffer.sniff(ftyp("heic", compatible: ["mif1", "heic"])), .heif)
        XCTAssertEqual(FormatSniffer.sniff(ftyp("avif", compatible: ["mif1", "miaf"])), .avif)
        XCTAssertEqual(FormatSniffer.sniff(ftyp("mif1", compatible: ["avif"])), .avif)
        XCTAssertEqual(FormatSniffer.sniff(ftyp("mif1", compatible: ["heic"])), .heif)
        // An MP4 video is BMFF too, but not an image.
        XCTAssertEqual(FormatSniffer.sniff(ftyp("isom", compatible: ["mp41"])), .other)
    }

    func testBMPNeedsAPlausibleHeader() {
        var bmp: [UInt8] = Array("BM".utf8) + [UInt8](repeating: 0, count: 12) + [40, 0, 0, 0]
        XCTAssertEqual(FormatSniffer.sniff(bmp), .bmp)
        bmp[14] = 41
        XCTAssertEqual(FormatSniffer.sniff(bmp), .other)
        XCTAssertEqual(FormatSniffer.sniff(Array("BMW owners club minutes".utf8)), .other)
    }
}
