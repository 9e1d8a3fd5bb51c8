import Foundation
import XCTest
@testable import ImprintImaging
import ImprintTestSupport

final class DecoderTests: XCTestCase {
    /// A smooth colour gradient (JPEG-friendly) of the given size.
    static func gradient(width: Int, height: Int) -> Raster {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                pixels += [UInt8(x * 255 / max(width - 1, 1)), UInt8(y * 255 / max(height - 1, 1)), UInt8((x + y) % 256)]
            }
        }
        return Raster(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    func testJPEGRoundTripFullScaledAndLuma() throws {
        let source = Self.gradient(width: 64, height: 48)
        let jpeg = try ImageEncoder.jpeg(source, quality: 95)
        XCTAssertEqual(FormatSniffer.sniff(jpeg), .jpeg)
        let decoder = ImageDecoder()
        let full = try decoder.decode(jpeg, format: .jpeg)
        XCTAssertEqual([full.width, full.height, full.channels], [64, 48, 3])
        let meanError = zip(full.pixels, source.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +) / source.pixels.count
        XCTAssertLessThan(meanError, 4, "q95 should be close to the source")
        let eighth = try decoder.decode(jpeg, format: .jpeg, scaleDenominator: 8)
        XCTAssertEqual([eighth.width, eighth.height, eighth.sourceWidth, eighth.sourceHeight], [8, 6, 64, 48])
        let luma = try decoder.decode(jpeg, format: .jpeg, luma: true)
        XCTAssertEqual(luma.layout, .luma)
        XCTAssertEqual(luma.pixels.count, 64 * 48)
    }

    func testPNGRoundTripIsExact() throws {
        var pixels: [UInt8] = []
        for i in 0..<(17 * 5) { pixels += [UInt8(i), UInt8(255 - i), UInt8(i * 3 % 256), UInt8(i % 7 * 30)] }
        let source = Raster(width: 17, height: 5, layout: .rgba, pixels: pixels)
        let png = try ImageEncoder.png(source)
        let decoded = try ImageDecoder().decode(png, format: .png)
        XCTAssertEqual(decoded.layout, .rgba)
        XCTAssertEqual(decoded.pixels, pixels)
        let grey = try ImageEncoder.png(Raster(width: 3, height: 1, layout: .luma, pixels: [0, 128, 255]))
        XCTAssertEqual(try ImageDecoder().decode(grey, format: .png).pixels, [0, 0, 0, 128, 128, 128, 255, 255, 255])
    }

    func testPixelLimitRefusesBeforeDecodingAndKeepsDimensions() throws {
        let jpeg = try ImageEncoder.jpeg(Self.gradient(width: 64, height: 48), quality: 80)
        XCTAssertThrowsError(try ImageDecoder(maxPixels: 1000).decode(jpeg, format: .jpeg)) { error in
            XCTAssertEqual(error as? DecodeError, .tooManyPixels(width: 64, height: 48, limit: 1000))
            XCTAssertEqual((error as? DecodeError)?.code, "pixel-limit")
        }
        let png = try ImageEncoder.png(Self.gradient(width: 64, height: 48))
        XCTAssertThrowsError(try ImageDecoder(maxPixels: 1000).decode(png, format: .png)) { error in
            XCTAssertEqual(error as? DecodeError, .tooManyPixels(width: 64, height: 48, limit: 1000))
        }
    }

    func testTruncatedAndGarbageInputNeverCrashes() throws {
        let jpeg = try ImageEncoder.jpeg(Self.gradient(width: 40, height: 40), quality: 90)
        let png = try ImageEncoder.png(Self.gradient(width: 40, height: 40))
        let decoder = ImageDecoder()
        for cut in stride(from: 0, to: jpeg.count, by: 7) {
            // Either an error or a partial image with warnings; never a crash or an exit.
            if let raster = try? decoder.decode(Array(jpeg.prefix(cut)), format: .jpeg) {
                XCTAssertGreaterThan(raster.warnings, 0, "a truncated JPEG decodes only with warnings (cut \(cut))")
            }
        }
        for cut in stride(from: 0, to: png.count, by: 5) {
            XCTAssertThrowsError(try decoder.decode(Array(png.prefix(cut)), format: .png), "cut \(cut)")
        }
        XCTAssertThrowsError(try decoder.decode([UInt8](repeating: 0x41, count: 100), format: .jpeg))
        XCTAssertThrowsError(try decoder.decode([], format: .png))
        XCTAssertThrowsError(try decoder.decode([1, 2, 3], format: .gif)) { error in
            XCTAssertEqual(error as? DecodeError, .unsupported(.gif))
        }
    }

    func testCoefficientsOfAFlatImage() throws {
        let flat = Raster(width: 32, height: 16, layout: .luma, pixels: [UInt8](repeating: 200, count: 32 * 16))
        let jpeg = try ImageEncoder.jpeg(flat, quality: 50)
        let coefficients = try ImageDecoder().coefficients(jpeg)
        XCTAssertEqual(coefficients.components.count, 1)
        let luma = coefficients.components[0]
        XCTAssertEqual([luma.widthInBlocks, luma.heightInBlocks], [4, 2])
        // IJG quality 50 is the standard table itself: luma DC step 16.
        XCTAssertEqual(luma.quantizationTable[0], 16)
        XCTAssertEqual(luma.quantizationTable[1], 11)
        // A flat block has only a DC term: (200 - 128) * 8 / 16 = 36.
        for block in 0..<8 {
            XCTAssertEqual(luma.coefficients[block * 64], 36)
            XCTAssertTrue(luma.coefficients[(block * 64 + 1)..<(block * 64 + 64)].allSatisfy { $0 == 0 })
        }
    }

    /// Conformance: imprint's decode equals djpeg's (the same library, same settings) on
    /// every camera JPEG of the shared corpus.
    func testCameraJPEGsDecodeExactlyAsDjpeg() throws {
        let corpus = try SharedCorpus.require("camera")
        guard let djpeg = ["/usr/bin/djpeg", "/usr/local/bin/djpeg"].first(where: FileManager.default.isExecutableFile) else {
            print("NOTICE: djpeg (libjpeg-turbo-progs) is not installed; skipping the djpeg comparison")
            throw XCTSkip("djpeg not installed")
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: corpus).filter { $0.lowercased().hasSuffix(".jpg") }.sorted()
        XCTAssertGreaterThan(files.count, 40)
        var compared = 0
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: corpus + "/" + file)))
            guard let ours = try? ImageDecoder().decode(bytes, format: .jpeg) else { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: djpeg)
            process.arguments = ["-ppm", corpus + "/" + file]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let ppm = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
            process.waitUntilExit()
            guard process.terminationStatus == 0, let pixels = PPM.pixels(ppm), ours.layout == .rgb else { continue }
            XCTAssertEqual(pixels.count, ours.pixels.count, file)
            XCTAssertTrue(pixels == ours.pixels, "\(file): decoded pixels differ from djpeg's")
            compared += 1
        }
        XCTAssertGreaterThan(compared, 40)
    }
}

/// Just enough of the binary PPM format (P6, maxval 255) to read djpeg's output.
enum PPM {
    static func pixels(_ bytes: [UInt8]) -> [UInt8]? {
        var fields: [String] = []
        var index = 0
        while fields.count < 4 && index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
            var token = ""
            while index < bytes.count, !(bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09) {
                token.unicodeScalars.append(Unicode.Scalar(bytes[index]))
                index += 1
            }
            fields.append(token)
        }
        guard fields.count == 4, fields[0] == "P6", fields[3] == "255" else { return nil }
        return Array(bytes[(index + 1)...])
    }
}


/// PNGs in the bit depths and colour types an encoder of ours does not write, built
/// chunk by chunk (raw scanlines with filter byte 0, deflated).
final class PNGDecodingModesTests: XCTestCase {
    private func png(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, rows: [[UInt8]],
                     extra: [[UInt8]] = []) -> [UInt8] {
        let raw: [UInt8] = rows.flatMap { [UInt8(0)] + $0 }
        return PNGFixture.signature + PNGFixture.ihdr(width: width, height: height, bitDepth: bitDepth, colorType: colorType)
            + extra.flatMap { $0 } + PNGFixture.chunk("IDAT", Bytes.zlibCompress(raw)) + PNGFixture.chunk("IEND", [])
    }

    func testSixteenBitRGBKeepsTheHighByte() throws {
        let row: [UInt8] = [0x12, 0x34, 0xAB, 0xCD, 0xFF, 0x00, 0x00, 0xFF, 0x80, 0x01, 0x7F, 0xFE]
        let decoded = try ImageDecoder().decode(png(width: 2, height: 1, bitDepth: 16, colorType: 2, rows: [row]), format: .png)
        XCTAssertEqual(decoded.layout, .rgb)
        XCTAssertEqual(decoded.pixels, [0x12, 0xAB, 0xFF, 0x00, 0x80, 0x7F])
    }

    func testPaletteWithTransparencyBecomesRGBA() throws {
        let palette = PNGFixture.chunk("PLTE", [255, 0, 0, 0, 255, 0, 0, 0, 255])
        let transparency = PNGFixture.chunk("tRNS", [255, 128])
        let decoded = try ImageDecoder().decode(png(width: 3, height: 1, bitDepth: 8, colorType: 3, rows: [[0, 1, 2]],
                                                    extra: [palette, transparency]), format: .png)
        XCTAssertEqual(decoded.layout, .rgba)
        XCTAssertEqual(decoded.pixels, [255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 255])
    }

    func testOneBitGreyExpandsToFullRange() throws {
        // 8 pixels 10110000 → white, black, white, white, black, black, black, black.
        let decoded = try ImageDecoder().decode(png(width: 8, height: 1, bitDepth: 1, colorType: 0, rows: [[0b1011_0000]]),
                                                format: .png)
        XCTAssertEqual(decoded.layout, .rgb)
        XCTAssertEqual(stride(from: 0, to: decoded.pixels.count, by: 3).map { decoded.pixels[$0] },
                       [255, 0, 255, 255, 0, 0, 0, 0])
    }

    /// A bad CRC in an ancillary chunk is a warning (the chunk is dropped, the pixels are
    /// decoded); in a critical chunk it is an error; an intact file has no warning.
    func testPNGCRCErrorsInAncillaryChunksWarnAndInCriticalOnesFail() throws {
        let picture = DecoderTests.gradient(width: 40, height: 30)
        let png = try ImageEncoder.png(picture)
        let decoder = ImageDecoder()
        XCTAssertEqual(try decoder.decode(png, format: .png).warnings, 0)

        // A tEXt chunk with a wrong CRC after IHDR (8-byte signature + 25-byte IHDR).
        let text: [UInt8] = Array("tEXt".utf8) + Array("Comment\0hello".utf8)
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in text {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        crc = ~crc ^ 1
        let length = UInt32(text.count - 4)
        let chunk = withUnsafeBytes(of: length.bigEndian, Array.init) + text + withUnsafeBytes(of: crc.bigEndian, Array.init)
        let ancillary = Array(png[0..<33]) + chunk + Array(png[33...])
        let decoded = try decoder.decode(ancillary, format: .png)
        XCTAssertEqual(decoded.pixels, try decoder.decode(png, format: .png).pixels)
        XCTAssertEqual(decoded.warnings, 1)
        XCTAssertTrue(decoded.warningMessage?.contains("CRC") ?? false, "\(decoded.warningMessage ?? "no message")")

        // The IDAT's CRC flipped.
        var critical = png
        let idat = try XCTUnwrap((0..<(png.count - 4)).first { Array(png[$0..<($0 + 4)]) == Array("IDAT".utf8) })
        let idatLength = png[(idat - 4)..<idat].reduce(0) { $0 << 8 | Int($1) }
        critical[idat + 4 + idatLength] ^= 1
        XCTAssertThrowsError(try decoder.decode(critical, format: .png))
    }

    /// A text chunk declaring nearly 2 GiB in a 200-byte file (found by the `png-decode`
    /// fuzz target): the decode fails at once, as a typed error, without libpng allocating
    /// the declared length first (it used to take 2 GB and 5 s).
    func testAHugeDeclaredTextChunkIsNotAllocated() throws {
        let png = try ImageEncoder.png(DecoderTests.gradient(width: 2, height: 2))
        let header: [UInt8] = [0x7A, 0x00, 0x00, 0xBF] + Array("tEXt".utf8) + Array("parameters\0a duck".utf8)
        let file = Array(png[0..<33]) + header + Array(png[33...])
        var before = rusage(), after = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &before)
        XCTAssertThrowsError(try ImageDecoder().decode(file, format: .png)) { error in
            XCTAssertTrue(String(describing: error).contains("end of file"), "\(error)")
        }
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &after)
        XCTAssertLessThan(after.ru_maxrss - before.ru_maxrss, 256 * 1024, "peak memory grew by \(after.ru_maxrss - before.ru_maxrss) KB")
    }

    func testCorruptPixelDataIsAnErrorWithTheLibraryMessage() throws {
        var bytes = png(width: 4, height: 4, bitDepth: 8, colorType: 2, rows: Array(repeating: [UInt8](repeating: 9, count: 12), count: 4))
        // Break the deflate stream inside IDAT (after its 8-byte header and the zlib header).
        let idat = try XCTUnwrap((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == Array("IDAT".utf8) })
        bytes[idat + 7] ^= 0xFF
        XCTAssertThrowsError(try ImageDecoder().decode(bytes, format: .png)) { error in
            guard case .corrupt(let message)? = error as? DecodeError else { return XCTFail("\(error)") }
            XCTAssertFalse(message.isEmpty)
        }
    }
}
