import CZlib
import Foundation

/// Byte-by-byte builders for the container tests: every fixture is made here, none is
/// committed. Lengths, offsets and checksums are computed the way the specs define them,
/// independently of the parser under test (CRC-32 in particular has its own table here).
enum Bytes {
    static func u16be(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func u32be(_ v: Int) -> [UInt8] { [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func u64be(_ v: Int) -> [UInt8] { u32be(v >> 32) + u32be(v & 0xFFFF_FFFF) }
    static func u16le(_ v: Int) -> [UInt8] { u16be(v).reversed() }
    static func u32le(_ v: Int) -> [UInt8] { u32be(v).reversed() }
    static func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), as the PNG spec's sample code defines it.
    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// A zlib stream of `data` (zlib's own compressor; the parser's inflate is under test).
    static func zlibCompress(_ data: [UInt8], level: Int32 = 9) -> [UInt8] {
        var size = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let rc = out.withUnsafeMutableBufferPointer { o in
            data.withUnsafeBufferPointer { i in compress2(o.baseAddress, &size, i.baseAddress, uLong(data.count), level) }
        }
        precondition(rc == Z_OK, "compress2 failed in a test fixture")
        return Array(out.prefix(Int(size)))
    }
}

enum JPEGFixture {
    static let soi: [UInt8] = [0xFF, 0xD8]
    static let eoi: [UInt8] = [0xFF, 0xD9]

    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker] + Bytes.u16be(payload.count + 2) + payload
    }

    static func app(_ n: UInt8, _ signature: String, _ data: [UInt8] = []) -> [UInt8] {
        segment(0xE0 + n, Bytes.ascii(signature) + data)
    }

    /// DQT with the 64 values given in zigzag (stream) order.
    static func dqt(id: Int, sixteenBit: Bool = false, zigzag: [Int]) -> [UInt8] {
        var payload: [UInt8] = [UInt8((sixteenBit ? 0x10 : 0) | id)]
        for v in zigzag { payload += sixteenBit ? Bytes.u16be(v) : [UInt8(v)] }
        return segment(0xDB, payload)
    }

    static func sof(_ marker: UInt8 = 0xC0, width: Int, height: Int, components: Int = 3) -> [UInt8] {
        var payload: [UInt8] = [8] + Bytes.u16be(height) + Bytes.u16be(width) + [UInt8(components)]
        for c in 0..<components { payload += [UInt8(c + 1), c == 0 ? 0x22 : 0x11, c == 0 ? 0 : 1] }
        return segment(marker, payload)
    }

    /// One DC table with a single 1-bit code.
    static func dht(classAndID: UInt8 = 0x00) -> [UInt8] {
        segment(0xC4, [classAndID, 1] + [UInt8](repeating: 0, count: 15) + [0])
    }

    static func sos(components: Int = 3) -> [UInt8] {
        var payload: [UInt8] = [UInt8(components)]
        for c in 0..<components { payload += [UInt8(c + 1), 0x00] }
        return segment(0xDA, payload + [0, 63, 0])
    }

    /// Entropy-coded bytes with a stuffed FF 00, a restart marker and fill bytes before EOI.
    static let scanData: [UInt8] = [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0x78, 0xFF, 0x00]

    /// SOI, the given segments, then a complete frame: DQT, SOF0, DHT, SOS, scan data, EOI.
    static func image(_ segments: [[UInt8]] = [], width: Int = 16, height: Int = 8, sofMarker: UInt8 = 0xC0) -> [UInt8] {
        soi + segments.flatMap { $0 } + dqt(id: 0, zigzag: Array(1...64)) + sof(sofMarker, width: width, height: height)
            + dht() + sos() + scanData + eoi
    }

    static let tiffHeaderLE: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]
}

enum PNGFixture {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func chunk(_ type: String, _ data: [UInt8], corruptCRC: Bool = false) -> [UInt8] {
        let typeBytes = Bytes.ascii(type)
        var crc = Bytes.crc32(typeBytes + data)
        if corruptCRC { crc ^= 1 }
        return Bytes.u32be(data.count) + typeBytes + data + Bytes.u32be(Int(crc))
    }

    static func ihdr(width: Int, height: Int, bitDepth: UInt8 = 8, colorType: UInt8 = 2) -> [UInt8] {
        chunk("IHDR", Bytes.u32be(width) + Bytes.u32be(height) + [bitDepth, colorType, 0, 0, 0])
    }

    static func tEXt(_ keyword: String, latin1 text: [UInt8]) -> [UInt8] {
        chunk("tEXt", Bytes.ascii(keyword) + [0] + text)
    }

    static func zTXt(_ keyword: String, _ text: [UInt8]) -> [UInt8] {
        chunk("zTXt", Bytes.ascii(keyword) + [0, 0] + Bytes.zlibCompress(text))
    }

    static func iTXt(_ keyword: String, _ text: String, compressed: Bool, language: String = "", translated: String = "") -> [UInt8] {
        let body = compressed ? Bytes.zlibCompress(Array(text.utf8)) : Array(text.utf8)
        return chunk("iTXt", Bytes.ascii(keyword) + [0, compressed ? 1 : 0, 0] + Bytes.ascii(language) + [0]
                     + Array(translated.utf8) + [0] + body)
    }

    static let iend = chunk("IEND", [])

    static func image(_ chunks: [[UInt8]] = [], idat: Int = 1) -> [UInt8] {
        signature + ihdr(width: 3, height: 2) + chunks.flatMap { $0 }
            + (0..<idat).flatMap { _ in chunk("IDAT", Bytes.zlibCompress([0, 1, 2, 3, 4, 5, 6])) } + iend
    }
}

enum RIFFFixture {
    static func chunk(_ fourCC: String, _ data: [UInt8]) -> [UInt8] {
        Bytes.ascii(fourCC) + Bytes.u32le(data.count) + data + (data.count % 2 == 1 ? [0] : [])
    }

    static func webp(_ chunks: [[UInt8]]) -> [UInt8] {
        let body = Bytes.ascii("WEBP") + chunks.flatMap { $0 }
        return Bytes.ascii("RIFF") + Bytes.u32le(body.count) + body
    }

    static func vp8x(width: Int, height: Int, flags: UInt8 = 0x2C) -> [UInt8] {
        let w = width - 1, h = height - 1
        return chunk("VP8X", [flags, 0, 0, 0, UInt8(w & 0xFF), UInt8((w >> 8) & 0xFF), UInt8(w >> 16),
                              UInt8(h & 0xFF), UInt8((h >> 8) & 0xFF), UInt8(h >> 16)])
    }

    /// A VP8 key frame header: frame tag, start code, 14-bit sizes (scale bits set to check masking).
    static func vp8(width: Int, height: Int) -> [UInt8] {
        chunk("VP8 ", [0x50, 0x01, 0x00, 0x9D, 0x01, 0x2A] + Bytes.u16le(width | 0x4000) + Bytes.u16le(height | 0x8000) + [0, 0, 0])
    }

    static func vp8l(width: Int, height: Int) -> [UInt8] {
        let bits = (width - 1) | (height - 1) << 14 | 1 << 28
        return chunk("VP8L", [0x2F] + Bytes.u32le(bits) + [0, 0, 0])
    }
}

enum BMFFFixture {
    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        Bytes.u32be(payload.count + 8) + Bytes.ascii(type) + payload
    }

    static func fullBox(_ type: String, version: UInt8 = 0, flags: Int = 0, _ payload: [UInt8]) -> [UInt8] {
        box(type, [version, UInt8((flags >> 16) & 0xFF), UInt8((flags >> 8) & 0xFF), UInt8(flags & 0xFF)] + payload)
    }

    static func ftyp(_ major: String, _ compatible: [String]) -> [UInt8] {
        box("ftyp", Bytes.ascii(major) + [0, 0, 0, 0] + compatible.flatMap(Bytes.ascii))
    }

    static func infe(id: Int, type: String, contentType: String? = nil) -> [UInt8] {
        var payload = Bytes.u16be(id) + [0, 0] + Bytes.ascii(type) + [0]
        if let contentType { payload += Bytes.ascii(contentType) + [0] }
        return fullBox("infe", version: 2, payload)
    }

    static func ispe(_ width: Int, _ height: Int) -> [UInt8] {
        fullBox("ispe", Bytes.u32be(width) + Bytes.u32be(height))
    }

    static func uuid(_ userType: [UInt8], _ payload: [UInt8]) -> [UInt8] {
        Bytes.u32be(payload.count + 24) + Bytes.ascii("uuid") + userType + payload
    }
}

enum TIFFFixture {
    struct Entry { var tag: Int; var type: Int; var count: Int; var value: [UInt8] }

    /// Lays out a little- or big-endian classic TIFF: header, then each IFD followed by its
    /// out-of-line values. `next[i]` names the IFD index IFD i chains to (nil = end);
    /// `pointers` adds LONG pointer tags from IFD a to IFD b.
    static func build(bigEndian: Bool = false, ifds: [[Entry]], next: [Int?], pointers: [(from: Int, tag: Int, to: Int)] = []) -> (bytes: [UInt8], ifdOffsets: [Int], valueOffsets: [Int: Int]) {
        func u16(_ v: Int) -> [UInt8] { bigEndian ? Bytes.u16be(v) : Bytes.u16le(v) }
        func u32(_ v: Int) -> [UInt8] { bigEndian ? Bytes.u32be(v) : Bytes.u32le(v) }
        var ifds = ifds
        for pointer in pointers { ifds[pointer.from].append(Entry(tag: pointer.tag, type: 4, count: 1, value: [0, 0, 0, 0])) }
        // First pass: sizes and offsets.
        var offsets: [Int] = []
        var position = 8
        for entries in ifds {
            offsets.append(position)
            position += 2 + 12 * entries.count + 4
            for e in entries where e.value.count > 4 { position += e.value.count + e.value.count % 2 }
        }
        var out = (bigEndian ? Bytes.ascii("MM") : Bytes.ascii("II")) + u16(42) + u32(offsets.first ?? 0)
        var valueOffsets: [Int: Int] = [:]
        for (index, entries) in ifds.enumerated() {
            let sorted = entries.sorted { $0.tag < $1.tag }
            var valuesPosition = offsets[index] + 2 + 12 * sorted.count + 4
            var values: [UInt8] = []
            out += u16(sorted.count)
            for e in sorted {
                out += u16(e.tag) + u16(e.type) + u32(e.count)
                if let pointer = pointers.first(where: { $0.from == index && $0.tag == e.tag }) {
                    out += u32(offsets[pointer.to])
                } else if e.value.count <= 4 {
                    out += e.value + [UInt8](repeating: 0, count: 4 - e.value.count)
                } else {
                    out += u32(valuesPosition)
                    valueOffsets[e.tag] = valuesPosition
                    values += e.value + (e.value.count % 2 == 1 ? [0] : [])
                    valuesPosition += e.value.count + e.value.count % 2
                }
            }
            out += u32(next[index].map { offsets[$0] } ?? 0)
            out += values
        }
        return (out, offsets, valueOffsets)
    }

    static func short(_ tag: Int, _ v: Int, bigEndian: Bool = false) -> Entry {
        Entry(tag: tag, type: 3, count: 1, value: bigEndian ? Bytes.u16be(v) : Bytes.u16le(v))
    }

    static func long(_ tag: Int, _ v: Int, bigEndian: Bool = false) -> Entry {
        Entry(tag: tag, type: 4, count: 1, value: bigEndian ? Bytes.u32be(v) : Bytes.u32le(v))
    }

    static func undefined(_ tag: Int, _ bytes: [UInt8]) -> Entry { Entry(tag: tag, type: 7, count: bytes.count, value: bytes) }
}

enum GIFFixture {
    static func subBlocks(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var rest = data[...]
        while !rest.isEmpty {
            let piece = rest.prefix(255)
            out += [UInt8(piece.count)] + piece
            rest = rest.dropFirst(piece.count)
        }
        return out + [0]
    }

    static func header(width: Int, height: Int, globalTableBits: Int? = 1) -> [UInt8] {
        var out = Bytes.ascii("GIF89a") + Bytes.u16le(width) + Bytes.u16le(height)
        if let bits = globalTableBits {
            out += [0x80 | 0x70 | UInt8(bits - 1), 0, 0] + [UInt8](repeating: 0x7F, count: 3 << bits)
        } else {
            out += [0x00, 0, 0]
        }
        return out
    }

    static func image(localTableBits: Int? = nil) -> [UInt8] {
        var out: [UInt8] = [0x2C, 0, 0, 0, 0, 2, 0, 2, 0]
        if let bits = localTableBits {
            out += [0x80 | UInt8(bits - 1)] + [UInt8](repeating: 0x11, count: 3 << bits)
        } else {
            out += [0]
        }
        return out + [2] + subBlocks([0x44, 0x01])
    }

    static func graphicControl() -> [UInt8] { [0x21, 0xF9, 4, 0, 10, 0, 0, 0] }
    static func comment(_ text: String) -> [UInt8] { [0x21, 0xFE] + subBlocks(Array(text.utf8)) }
    static func application(_ identifier: String, _ data: [UInt8]) -> [UInt8] { [0x21, 0xFF, 11] + Bytes.ascii(identifier) + subBlocks(data) }

    /// XMP as its spec stores it in GIF: the raw packet, the 257-byte magic trailer, the terminator.
    static func xmp(_ packet: String) -> [UInt8] {
        [0x21, 0xFF, 11] + Bytes.ascii("XMP DataXMP") + Array(packet.utf8) + [0x01] + (0...255).reversed().map { UInt8($0) } + [0]
    }
}
