import ImprintBytes
import ImprintImaging
import ImprintMetadata
import ImprintProvenance
import ImprintTestSupport

/// Byte-by-byte builders for the files the generator tests make: PNG chunks, JPEG
/// segments, big-endian TIFF, WebP, gzip, pickles, stealth LSB. Everything here follows
/// the format specifications and GENERATOR-METADATA.md; nothing is copied from a tool.
enum GF {
    // MARK: Scanning

    struct Scan {
        var hits: [GeneratorHit]
        var declarations: [SourceTypeDeclaration]
        var container: ParsedContainer

        func hit(_ generator: String) -> GeneratorHit? { hits.first { $0.generator == generator } }
        var generators: [String] { hits.map(\.generator) }
    }

    static func scan(_ bytes: [UInt8]) -> Scan {
        let container = ContainerParser.parse(bytes, format: FormatSniffer.sniff(bytes))
        let (record, _) = MetadataExtractor.extract(container)
        let input = GeneratorScanInput(bytes: bytes, container: container, metadata: record)
        return Scan(hits: GeneratorScanner.scan(input), declarations: SourceTypeVocabulary.declarations(in: input),
                    container: container)
    }

    // MARK: Checksums and integers

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func latin1(_ s: String) -> [UInt8] { s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } }

    // MARK: PNG

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return be32(UInt32(data.count)) + typeBytes + data + be32(crc32(typeBytes + data))
    }

    static func tEXt(_ keyword: String, _ text: String) -> [UInt8] { chunk("tEXt", latin1(keyword) + [0] + latin1(text)) }

    /// iTXt, uncompressed, empty language and translated keyword.
    static func iTXt(_ keyword: String, _ text: String) -> [UInt8] {
        chunk("iTXt", latin1(keyword) + [0, 0, 0, 0, 0] + Array(text.utf8))
    }

    /// A real PNG (libpng) with `chunks` inserted right after IHDR.
    static func png(_ raster: Raster = small(), chunks: [[UInt8]]) throws -> [UInt8] {
        let encoded = try ImageEncoder.png(raster)
        let ihdrEnd = 8 + 8 + 13 + 4
        return Array(encoded[0..<ihdrEnd]) + chunks.flatMap { $0 } + Array(encoded[ihdrEnd...])
    }

    static func small(width: Int = 8, height: Int = 8, alpha: Bool = false) -> Raster {
        let channels = alpha ? 4 : 3
        var pixels: [UInt8] = []
        for index in 0..<(width * height) {
            for c in 0..<channels { pixels.append(c == 3 ? 255 : UInt8((index * 37 + c * 91) & 0xFF)) }
        }
        return Raster(width: width, height: height, layout: alpha ? .rgba : .rgb, pixels: pixels)
    }

    // MARK: JPEG

    /// A real JPEG (libjpeg-turbo) with APPn/COM segments inserted after its JFIF APP0.
    static func jpeg(_ segments: [(marker: UInt8, payload: [UInt8])]) throws -> [UInt8] {
        let encoded = try ImageEncoder.jpeg(small(), quality: 90)
        var position = 2
        if encoded[2] == 0xFF, encoded[3] == 0xE0 { position = 4 + (Int(encoded[4]) << 8 | Int(encoded[5])) }
        var out = Array(encoded[0..<position])
        for segment in segments {
            out += [0xFF, segment.marker] + be16(UInt16(segment.payload.count + 2)) + segment.payload
        }
        return out + encoded[position...]
    }

    static func exifAPP1(_ tiff: [UInt8]) -> (marker: UInt8, payload: [UInt8]) { (0xE1, Array("Exif".utf8) + [0, 0] + tiff) }
    static func xmpAPP1(_ xml: String) -> (marker: UInt8, payload: [UInt8]) {
        (0xE1, Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + Array(xml.utf8))
    }

    /// APP13 Photoshop IRB with one 0x0404 IPTC-IIM resource.
    static func iptcAPP13(_ datasets: [(record: UInt8, dataset: UInt8, value: String)]) -> (marker: UInt8, payload: [UInt8]) {
        var iim: [UInt8] = []
        for d in datasets {
            let value = Array(d.value.utf8)
            iim += [0x1C, d.record, d.dataset] + be16(UInt16(value.count)) + value
        }
        var resource = Array("8BIM".utf8) + be16(0x0404) + [0, 0] + be32(UInt32(iim.count)) + iim
        if iim.count % 2 == 1 { resource.append(0) }
        return (0xED, Array("Photoshop 3.0".utf8) + [0] + resource)
    }

    /// A big-endian (`MM`) TIFF block whose Exif IFD holds one UNDEFINED UserComment.
    static func bigEndianUserComment(_ value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A] + be32(8)
        out += be16(1) + be16(0x8769) + be16(4) + be32(1) + be32(26) + be32(0)      // IFD0 at 8, Exif IFD at 26
        out += be16(1) + be16(0x9286) + be16(7) + be32(UInt32(value.count)) + be32(44) + be32(0)
        return out + value
    }

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        text.utf16.flatMap { unit in bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    }

    // MARK: WebP

    static func webp(chunks: [(String, [UInt8])]) -> [UInt8] {
        var body = Array("WEBP".utf8)
        // A minimal VP8L header: signature 0x2F, then 14-bit width-1 and height-1 (8×8).
        let vp8l: [UInt8] = [0x2F, 0x07, 0xC0, 0x01, 0x00]
        for (type, data) in [("VP8L", vp8l)] + chunks {
            body += Array(type.utf8) + le32(UInt32(data.count)) + data
            if data.count % 2 == 1 { body.append(0) }
        }
        return Array("RIFF".utf8) + le32(UInt32(body.count)) + body
    }

    // MARK: gzip (RFC 1952 around RFC 1951 blocks)

    /// gzip with stored (uncompressed) deflate blocks: valid gzip that any inflater reads.
    static func gzipStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let final: UInt8 = offset + count == data.count ? 1 : 0
            out += [final, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[offset..<(offset + count)]
            offset += count
        } while offset < data.count
        return out + le32(crc32(data)) + le32(UInt32(truncatingIfNeeded: data.count))
    }

    /// gzip of `count` zero bytes in one fixed-Huffman block: a literal 0, then length-258
    /// copies at distance 1. ~13 bits per 258 output bytes — a decompression bomb in miniature.
    static func gzipZeros(_ count: Int) -> [UInt8] {
        var bits: [Bool] = []
        func put(_ value: Int, _ width: Int, reversed: Bool) {
            // Huffman codes go MSB first; extra bits and header fields LSB first.
            for i in 0..<width { bits.append((value >> (reversed ? width - 1 - i : i)) & 1 == 1) }
        }
        put(1, 1, reversed: false)          // BFINAL
        put(1, 2, reversed: false)          // BTYPE 01: fixed Huffman
        put(0x30, 8, reversed: true)        // literal 0
        var produced = 1
        while produced + 258 <= count {
            put(0b1100_0101, 8, reversed: true)   // length code 285 (258)
            put(0, 5, reversed: true)             // distance code 0 (1)
            produced += 258
        }
        while produced < count {
            put(0x30, 8, reversed: true)
            produced += 1
        }
        put(0, 7, reversed: true)           // end of block (256)
        var deflate = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (i, bit) in bits.enumerated() where bit { deflate[i / 8] |= 1 << UInt8(i % 8) }
        let zeros = [UInt8](repeating: 0, count: count)
        return [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF] + deflate + le32(crc32(zeros)) + le32(UInt32(truncatingIfNeeded: count))
    }

    // MARK: Stealth pnginfo

    /// Writes `magic | bitLength u32 BE | payload` into the LSBs, column-major, MSB first.
    static func embedStealth(_ raster: Raster, rgb: Bool, magic: String, payload: [UInt8], declaredBits: Int? = nil) -> Raster {
        var out = raster
        let stream = Array(magic.utf8) + be32(UInt32(declaredBits ?? payload.count * 8)) + payload
        let perPixel = rgb ? 3 : 1
        for index in 0..<(stream.count * 8) {
            let bit = (stream[index / 8] >> (7 - UInt8(index % 8))) & 1
            let pixel = index / perPixel
            let x = pixel / raster.height, y = pixel % raster.height
            let channel = rgb ? index % 3 : 3
            let at = (y * raster.width + x) * raster.channels + channel
            out.pixels[at] = (out.pixels[at] & 0xFE) | bit
        }
        return out
    }

    // MARK: Pickle (protocol 4 opcodes, written by hand)

    enum P {
        static func str(_ s: String) -> [UInt8] {
            let b = Array(s.utf8)
            return b.count < 256 ? [0x8C, UInt8(b.count)] + b + [0x94] : [0x58] + le32(UInt32(b.count)) + b + [0x94]
        }
        static func int1(_ v: UInt8) -> [UInt8] { [0x4B, v] }
        static func int2(_ v: UInt16) -> [UInt8] { [0x4D, UInt8(v & 0xFF), UInt8(v >> 8)] }
        static func float(_ d: Double) -> [UInt8] {
            let raw = d.bitPattern
            return [0x47] + (0..<8).map { UInt8(raw >> (56 - 8 * UInt64($0)) & 0xFF) }
        }
        static func bytes(_ b: [UInt8]) -> [UInt8] { [0x43, UInt8(b.count)] + b }
        static func global(_ module: String, _ name: String) -> [UInt8] { str(module) + str(name) + [0x93, 0x94] }
        static let mark: [UInt8] = [0x28]
        static let tuple: [UInt8] = [0x74]
        static let none: [UInt8] = [0x4E]

        /// A numpy array as numpy pickles one: `_reconstruct(ndarray, (0,), b'b')`, then
        /// BUILD with `(1, shape, dtype, False, raw bytes)`.
        static func ndarray(rows: UInt8, cols: UInt8, data: [UInt8]) -> [UInt8] {
            var out = global("numpy.core.multiarray", "_reconstruct") + global("numpy", "ndarray")
            out += int1(0) + [0x85] + bytes([0x62]) + [0x87, 0x52, 0x94]
            out += mark + int1(1) + int1(rows) + int1(cols) + [0x86]
            out += global("numpy", "dtype") + str("f4") + [0x89, 0x88, 0x87, 0x52, 0x94]
            out += mark + int1(3) + str("<") + none + none + none + [0x4A, 0xFF, 0xFF, 0xFF, 0xFF, 0x4A, 0xFF, 0xFF, 0xFF, 0xFF]
                + int1(0) + tuple + [0x62]
            out += [0x89] + bytes(data) + tuple + [0x62]
            return out
        }

        /// A DeepFaceLab face dict, pickled with protocol 4 and one FRAME.
        static func deepFaceLab(sourceFilename: String = "frame_000123.png") -> [UInt8] {
            var body: [UInt8] = [0x7D, 0x94] + mark
            body += str("face_type") + str("whole_face")
            body += str("landmarks") + ndarray(rows: 2, cols: 2, data: [UInt8](repeating: 0x3F, count: 16))
            body += str("eyebrows_expand_mod") + float(1.0)
            body += str("source_filename") + str(sourceFilename)
            body += str("source_rect") + mark + int1(10) + int1(20) + int2(300) + int2(320) + tuple + [0x94]
            body += str("source_landmarks") + ndarray(rows: 2, cols: 2, data: [UInt8](repeating: 0x40, count: 16))
            body += str("image_to_face_mat") + ndarray(rows: 1, cols: 2, data: [UInt8](repeating: 0x41, count: 8))
            body += str("seg_ie_polys") + none
            body += str("xseg_mask") + none
            body += [0x75, 0x2E]   // SETITEMS, STOP
            return [0x80, 0x04, 0x95] + (0..<8).map { UInt8(UInt64(body.count) >> (8 * UInt64($0)) & 0xFF) } + body
        }
    }

    static let a1111Text = "photo of a duck\nNegative prompt: monochrome\nSteps: 15, Sampler: UniPC, CFG scale: 5, "
        + "Seed: 235284042, Size: 512x400, Model hash: c0d1994c73, Model: realistic_realisticVisionV20_v20"
}
