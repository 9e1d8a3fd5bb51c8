import ImprintBytes

/// Walks a TIFF file's IFDs (TIFF 6.0 §2; BigTIFF): the IFD0, IFD1, … chain and the IFDs
/// it points to (SubIFDs, Exif, GPS, Interoperability), each as an element. The whole file
/// is the TIFF-structured EXIF block; the tags that carry XMP, IPTC, ICC and C2PA are
/// recorded as elements with their payloads.
enum TIFFStructure {
    /// Tags pointing to further IFDs, and the names those IFDs get.
    static let pointerTags: [Int: String] = [330: "SubIFD", 34665: "ExifIFD", 34853: "GPSIFD", 40965: "InteropIFD"]
    /// Tags whose values are whole metadata payloads.
    static let payloadTags: [Int: String] = [700: "XMP", 33723: "IPTC", 34377: "PhotoshopIRB", 34675: "ICC", 52545: "JUMBF"]

    static func parse(_ b: inout ContainerBuilder) {
        let bytes = b.bytes
        guard bytes.count >= 8 else {
            b.issue("truncated", at: 0, "file ends inside the TIFF header")
            return
        }
        let little: Bool
        if bytes[0] == 0x49 && bytes[1] == 0x49 {
            little = true
        } else if bytes[0] == 0x4D && bytes[1] == 0x4D {
            little = false
        } else {
            b.issue("bad-signature", at: 0, "byte order mark is neither II nor MM")
            return
        }
        var reader = TIFFReader(bytes: bytes, little: little, big: false)
        do {
            var header = try reader.at(2)
            let magic = try reader.u16(&header)
            guard magic == 42 || magic == 43 else {
                b.issue("bad-signature", at: 2, "TIFF magic number \(magic) (42, or 43 for BigTIFF)")
                return
            }
            let first: UInt64
            if magic == 43 {
                reader.big = true
                let offsetSize = try reader.u16(&header)
                _ = try reader.u16(&header)
                guard offsetSize == 8 else {
                    b.issue("bad-signature", at: 4, "BigTIFF offset size \(offsetSize) (only 8 exists)")
                    return
                }
                first = try reader.u64(&header)
            } else {
                first = UInt64(try reader.u32(&header))
            }
            b.add(name: "header", identifiedAs: magic == 43 ? "BigTIFF" : "TIFF", offset: 0, length: header.offset,
                  payloadOffset: 0, payloadLength: header.offset)
            b.result.exif = bytes
            b.result.exifOffset = 0
            var walker = TIFFWalker(reader: reader)
            walker.walk(&b, firstIFD: first)
        } catch {
            b.issue(error, context: "TIFF header")
        }
    }
}

/// Reads TIFF integers in the file's byte order and entry geometry (classic or BigTIFF).
struct TIFFReader {
    let bytes: [UInt8]
    let little: Bool
    var big: Bool

    /// Entry size, count field size and offset field size differ between classic and BigTIFF.
    var entrySize: Int { big ? 20 : 12 }
    var countSize: Int { big ? 8 : 2 }
    var offsetSize: Int { big ? 8 : 4 }

    func at(_ offset: Int) throws(ByteReaderError) -> ByteReader { try ByteReader.over(bytes, from: offset) }

    func u16(_ r: inout ByteReader) throws(ByteReaderError) -> UInt16 { little ? try r.readUInt16LE() : try r.readUInt16BE() }
    func u32(_ r: inout ByteReader) throws(ByteReaderError) -> UInt32 { little ? try r.readUInt32LE() : try r.readUInt32BE() }
    func u64(_ r: inout ByteReader) throws(ByteReaderError) -> UInt64 {
        let a = UInt64(try u32(&r)), b = UInt64(try u32(&r))
        return little ? b << 32 | a : a << 32 | b
    }
    /// An offset-sized field (4 bytes, 8 in BigTIFF).
    func offsetField(_ r: inout ByteReader) throws(ByteReaderError) -> UInt64 { big ? try u64(&r) : UInt64(try u32(&r)) }
    func countField(_ r: inout ByteReader) throws(ByteReaderError) -> UInt64 { big ? try u64(&r) : UInt64(try u16(&r)) }

    /// Bytes per value of each TIFF field type (TIFF 6.0 §2, BigTIFF adds 16–18); 0 if unknown.
    static func typeSize(_ type: Int) -> Int {
        switch type {
        case 1, 2, 6, 7: return 1
        case 3, 8: return 2
        case 4, 9, 11, 13: return 4
        case 5, 10, 12, 16, 17, 18: return 8
        default: return 0
        }
    }
}
