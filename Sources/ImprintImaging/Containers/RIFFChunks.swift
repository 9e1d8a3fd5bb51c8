import ImprintBytes

/// Walks a RIFF/WebP file: "RIFF", 4-byte little-endian size, "WEBP", then chunks (FourCC,
/// little-endian size, data, one pad byte when the size is odd). Dimensions come from the
/// VP8X canvas when present, else from the first VP8/VP8L bitstream header.
enum RIFFChunks {
    static let exifHeader = Array("Exif\0\0".utf8)

    static func parse(_ b: inout ContainerBuilder) {
        let bytes = b.bytes
        var riffEnd = bytes.count
        do {
            var reader = ByteReader(bytes)
            let riff = Array(try reader.readBytes(4, "RIFF signature"))
            let size = Int(try reader.readUInt32LE("RIFF size"))
            let form = Array(try reader.readBytes(4, "RIFF form type"))
            guard riff == Array("RIFF".utf8) else {
                b.issue("bad-signature", at: 0, "file does not start with RIFF")
                return
            }
            if form != Array("WEBP".utf8) {
                b.issue("bad-signature", at: 8, "RIFF form type is \(TextDecoding.fourCC(form)), not WEBP")
            }
            let declaredEnd = 8 + size
            if declaredEnd > bytes.count {
                b.issue("truncated", at: 4, "RIFF size says \(declaredEnd) bytes, the file has \(bytes.count)")
            } else {
                riffEnd = declaredEnd
            }
            b.add(name: "RIFF", identifiedAs: TextDecoding.fourCC(form), offset: 0, length: riffEnd,
                  payloadOffset: 8, payloadLength: max(0, riffEnd - 8))
        } catch {
            b.issue(error, context: "RIFF header")
            return
        }
        var dimensions = WebPDimensions()
        walkChunks(&b, from: 12, to: riffEnd, dimensions: &dimensions)
        if let canvas = dimensions.canvas ?? dimensions.bitstream {
            b.result.width = canvas.width
            b.result.height = canvas.height
        }
        b.setTrailing(from: riffEnd)
    }

    struct WebPDimensions {
        var canvas: (width: Int, height: Int)?
        var bitstream: (width: Int, height: Int)?
    }

    private static func walkChunks(_ b: inout ContainerBuilder, from start: Int, to end: Int, dimensions: inout WebPDimensions) {
        var position = start
        while position < end, b.hasRoom(at: position) {
            do {
                var reader = try ByteReader.over(b.bytes, from: position, to: end)
                let fourCC = TextDecoding.fourCC(try reader.readBytes(4, "chunk FourCC"))
                let size = Int(try reader.readUInt32LE("chunk size"))
                let dataStart = reader.offset
                guard size <= reader.remaining else {
                    b.issue("truncated", at: position, "\(fourCC) chunk declares \(size) bytes, only \(reader.remaining) remain in the RIFF")
                    return
                }
                let data = dataStart..<(dataStart + size)
                let identified = interpret(&b, fourCC: fourCC, chunkOffset: position, data: data, dimensions: &dimensions)
                // The pad byte after an odd-sized chunk belongs to the chunk.
                let padded = min(data.upperBound + size % 2, end)
                b.add(name: fourCC, identifiedAs: identified, offset: position, length: padded - position,
                      payloadOffset: dataStart, payloadLength: size)
                position = padded
            } catch {
                b.issue(error, context: "RIFF chunk")
                return
            }
        }
    }

    private static func interpret(_ b: inout ContainerBuilder, fourCC: String, chunkOffset: Int, data: Range<Int>,
                                  dimensions: inout WebPDimensions) -> String? {
        let bytes = b.bytes
        switch fourCC {
        case "VP8X":
            // 1 byte flags, 3 reserved, 24-bit canvas width-1 and height-1 (little-endian).
            guard data.count >= 10 else {
                b.issue("truncated", at: chunkOffset, "VP8X chunk shorter than 10 bytes")
                return nil
            }
            let base = data.lowerBound
            let width = (Int(bytes[base + 4]) | Int(bytes[base + 5]) << 8 | Int(bytes[base + 6]) << 16) + 1
            let height = (Int(bytes[base + 7]) | Int(bytes[base + 8]) << 8 | Int(bytes[base + 9]) << 16) + 1
            if dimensions.canvas == nil { dimensions.canvas = (width, height) }
        case "VP8 ":
            // RFC 6386 §9.1: 3-byte frame tag, start code 9D 01 2A on key frames, then
            // 16-bit little-endian width and height whose top two bits are a scale.
            guard data.count >= 10 else {
                b.issue("truncated", at: chunkOffset, "VP8 chunk shorter than its frame header")
                return nil
            }
            let base = data.lowerBound
            let isKeyFrame = bytes[base] & 0x01 == 0
            guard isKeyFrame, bytes.matches([0x9D, 0x01, 0x2A], at: base + 3) else {
                b.issue("bad-bitstream", at: data.lowerBound, "VP8 data is not a key frame with start code 9D 01 2A")
                return nil
            }
            let width = (Int(bytes[base + 6]) | Int(bytes[base + 7]) << 8) & 0x3FFF
            let height = (Int(bytes[base + 8]) | Int(bytes[base + 9]) << 8) & 0x3FFF
            if dimensions.bitstream == nil { dimensions.bitstream = (width, height) }
        case "VP8L":
            // WebP lossless §3.1: signature 0x2F, then 14-bit width-1 and 14-bit height-1.
            guard data.count >= 5 else {
                b.issue("truncated", at: chunkOffset, "VP8L chunk shorter than its header")
                return nil
            }
            let base = data.lowerBound
            guard bytes[base] == 0x2F else {
                b.issue("bad-bitstream", at: data.lowerBound, "VP8L data does not start with the signature 0x2F")
                return nil
            }
            let bits = UInt32(bytes[base + 1]) | UInt32(bytes[base + 2]) << 8 | UInt32(bytes[base + 3]) << 16 | UInt32(bytes[base + 4]) << 24
            let width = Int(bits & 0x3FFF) + 1
            let height = Int((bits >> 14) & 0x3FFF) + 1
            if dimensions.bitstream == nil { dimensions.bitstream = (width, height) }
        case "EXIF":
            // Some writers keep JPEG's "Exif\0\0" in front of the TIFF header; strip it.
            let start = bytes.matches(exifHeader, at: data.lowerBound) && data.count >= exifHeader.count
                ? data.lowerBound + exifHeader.count : data.lowerBound
            if b.result.exif == nil {
                b.result.exif = Array(bytes[start..<data.upperBound])
                b.result.exifOffset = start
            }
            return "EXIF"
        case "XMP ":
            if b.result.xmp == nil {
                b.result.xmp = Array(bytes[data])
                b.result.xmpOffset = data.lowerBound
            }
            return "XMP"
        case "ICCP":
            if b.result.icc == nil {
                b.result.icc = Array(bytes[data])
                b.result.iccOffset = data.lowerBound
            }
            return "ICC"
        case "C2PA":
            if b.result.jumbf == nil {
                b.result.jumbf = Array(bytes[data])
                b.result.jumbfOffset = data.lowerBound
            }
            return "JUMBF"
        default:
            break
        }
        return nil
    }
}
