/// Builds a little-endian TIFF/EXIF block byte by byte, for fixtures: IFD0 (with pointers
/// to the EXIF and GPS IFDs) and an optional IFD1 thumbnail. Values that do not fit in four
/// bytes go to a data area after each IFD, as the TIFF specification lays them out.
public struct ExifBuilder {
    public enum Value {
        case ascii(String)
        case short([UInt16])
        case long([UInt32])
        case rational([(UInt32, UInt32)])
        case byte([UInt8])
        case undefined([UInt8])
    }

    public var ifd0: [(UInt16, Value)] = []
    public var exif: [(UInt16, Value)] = []
    public var gps: [(UInt16, Value)] = []
    public var thumbnail: [UInt8]?

    public init() {}

    public func build() -> [UInt8] {
        var out: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]
        // Lay out IFD0 first; sub-IFD pointers are patched once their offsets are known.
        var ifd0Entries = ifd0
        if !exif.isEmpty { ifd0Entries.append((0x8769, .long([0]))) }
        if !gps.isEmpty { ifd0Entries.append((0x8825, .long([0]))) }
        let ifd0Offset = 8
        ifd0Entries.sort { $0.0 < $1.0 }
        let (ifd0Bytes, pointerSlots) = encodeIFD(ifd0Entries, at: ifd0Offset)
        out += ifd0Bytes
        func patch(_ bytes: inout [UInt8], at position: Int, _ value: UInt32) {
            for i in 0..<4 { bytes[position + i] = UInt8(value >> (8 * UInt32(i)) & 0xFF) }
        }
        if !exif.isEmpty, let slot = pointerSlots[0x8769] {
            let offset = UInt32(out.count)
            out += encodeIFD(exif.sorted { $0.0 < $1.0 }, at: out.count).bytes
            patch(&out, at: slot, offset)
        }
        if !gps.isEmpty, let slot = pointerSlots[0x8825] {
            let offset = UInt32(out.count)
            out += encodeIFD(gps.sorted { $0.0 < $1.0 }, at: out.count).bytes
            patch(&out, at: slot, offset)
        }
        if let thumbnail {
            let ifd1Offset = out.count
            let count = 3
            let ifd1Size = 2 + count * 12 + 4
            let thumbnailOffset = UInt32(ifd1Offset + ifd1Size)
            let entries: [(UInt16, Value)] = [(0x0103, .short([6])), (0x0201, .long([thumbnailOffset])),
                                              (0x0202, .long([UInt32(thumbnail.count)]))]
            out += encodeIFD(entries, at: ifd1Offset).bytes
            out += thumbnail
            // IFD0's next-IFD pointer sits right after its entries.
            patch(&out, at: ifd0Offset + 2 + ifd0Entries.count * 12, UInt32(ifd1Offset))
        }
        return out
    }

    /// Encodes one IFD at absolute offset `base`; returns the bytes and, for each tag, the
    /// absolute position of its value field (for pointer patching).
    private func encodeIFD(_ entries: [(UInt16, Value)], at base: Int) -> (bytes: [UInt8], pointerSlots: [UInt16: Int]) {
        var directory: [UInt8] = le16(UInt16(entries.count))
        var data: [UInt8] = []
        var slots: [UInt16: Int] = [:]
        let dataStart = base + 2 + entries.count * 12 + 4
        for (tag, value) in entries {
            let (type, count, payload) = encode(value)
            directory += le16(tag) + le16(type) + le32(UInt32(count))
            slots[tag] = base + directory.count
            if payload.count <= 4 {
                directory += payload + [UInt8](repeating: 0, count: 4 - payload.count)
            } else {
                directory += le32(UInt32(dataStart + data.count))
                data += payload
                if data.count % 2 == 1 { data.append(0) }
            }
        }
        directory += le32(0)
        return (directory + data, slots)
    }

    private func encode(_ value: Value) -> (type: UInt16, count: Int, payload: [UInt8]) {
        switch value {
        case .ascii(let text): let bytes = Array(text.utf8) + [0]; return (2, bytes.count, bytes)
        case .short(let values): return (3, values.count, values.flatMap(le16))
        case .long(let values): return (4, values.count, values.flatMap(le32))
        case .rational(let values): return (5, values.count, values.flatMap { le32($0.0) + le32($0.1) })
        case .byte(let values): return (1, values.count, values)
        case .undefined(let values): return (7, values.count, values)
        }
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * UInt32($0)) & 0xFF) } }
}

public enum JPEGFixture {
    /// Inserts APPn segments right after SOI of an encoded JPEG.
    public static func inserting(_ segments: [(marker: UInt8, payload: [UInt8])], into jpeg: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        for segment in segments {
            let length = segment.payload.count + 2
            out += [0xFF, segment.marker, UInt8(length >> 8), UInt8(length & 0xFF)] + segment.payload
        }
        return out + jpeg.dropFirst(2)
    }

    public static func exifSegment(_ tiff: [UInt8]) -> (marker: UInt8, payload: [UInt8]) {
        (0xE1, Array("Exif".utf8) + [0, 0] + tiff)
    }

    public static func xmpSegment(_ xml: String) -> (marker: UInt8, payload: [UInt8]) {
        (0xE1, Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + Array(xml.utf8))
    }
}
