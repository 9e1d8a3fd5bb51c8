import ImprintBytes

/// Walks a PNG's chunks (PNG spec §5.3): 4-byte length, 4-byte type, data, CRC-32 over
/// type and data. A bad CRC is recorded and the walk goes on (the length still says where
/// the next chunk is); a length that cannot be right stops it.
enum PNGChunks {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// PNG limits chunk lengths to 2^31-1 (§5.3).
    static let maxChunkLength = 0x7FFF_FFFF

    static func parse(_ b: inout ContainerBuilder) {
        let bytes = b.bytes
        guard bytes.count >= signature.count else {
            b.issue("truncated", at: 0, "file ends inside the PNG signature")
            return
        }
        guard bytes.matches(signature, at: 0) else {
            b.issue("bad-signature", at: 0, "file does not start with the PNG signature")
            return
        }
        b.add(name: "signature", offset: 0, length: 8, payloadOffset: 0, payloadLength: 8)
        var position = signature.count
        var index = 0
        while b.hasRoom(at: position) {
            guard position < bytes.count else {
                b.issue("truncated", at: position, "file ends without an IEND chunk")
                return
            }
            do {
                var reader = try ByteReader.over(bytes, from: position)
                let length = Int(try reader.readUInt32BE("chunk length"))
                let typeBytes = Array(try reader.readBytes(4, "chunk type"))
                let type = TextDecoding.fourCC(typeBytes)
                guard length <= maxChunkLength else {
                    b.issue("bad-length", at: position, "\(type) chunk declares \(length) bytes (more than 2^31-1)")
                    return
                }
                guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                    b.issue("bad-chunk-type", at: position, "chunk type \(type) is not four ASCII letters; the chunk structure is lost here")
                    return
                }
                let dataStart = reader.offset
                guard length <= reader.remaining else {
                    b.issue("truncated", at: position, "\(type) chunk declares \(length) bytes, only \(reader.remaining) remain")
                    return
                }
                try reader.skip(length, "\(type) data")
                let storedCRC = try reader.readUInt32BE("\(type) CRC")
                let data = dataStart..<(dataStart + length)
                let computed = CRC32.checksum(bytes, (position + 4)..<data.upperBound)
                if computed != storedCRC {
                    b.issue("bad-crc", at: position,
                            "\(type) chunk CRC is \(hex32(storedCRC)), its bytes give \(hex32(computed))")
                }
                if index == 0 && type != "IHDR" {
                    b.issue("unexpected-chunk", at: position, "first chunk is \(type), not IHDR")
                }
                let identified = interpret(&b, type: type, chunkOffset: position, data: data)
                b.add(name: type, identifiedAs: identified, offset: position, length: reader.offset - position,
                      payloadOffset: dataStart, payloadLength: length)
                position = reader.offset
                index += 1
                if type == "IEND" {
                    b.setTrailing(from: position)
                    return
                }
            } catch {
                b.issue(error, context: "PNG chunk")
                return
            }
        }
    }

    private static func hex32(_ value: UInt32) -> String {
        "0x" + TextDecoding.hex([UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    /// Reads what one chunk says; returns what its payload was identified as.
    private static func interpret(_ b: inout ContainerBuilder, type: String, chunkOffset: Int, data: Range<Int>) -> String? {
        switch type {
        case "IHDR":
            readIHDR(&b, chunkOffset: chunkOffset, data: data)
        case "IDAT":
            b.result.pngIDATCount += 1
        case "tEXt", "zTXt", "iTXt":
            guard let chunk = PNGText.decode(&b, type: type, chunkOffset: chunkOffset, data: data) else { return nil }
            b.result.pngText.append(chunk.text)
            if chunk.text.keyword == PNGText.xmpKeyword {
                if b.result.xmp == nil {
                    b.result.xmp = chunk.textBytes
                    b.result.xmpOffset = chunk.textOffset
                } else {
                    b.issue("duplicate-metadata", at: chunkOffset, "a second XMP text chunk (the first is used)")
                }
                return "XMP"
            }
        case "eXIf":
            if b.result.exif == nil {
                b.result.exif = Array(b.bytes[data])
                b.result.exifOffset = data.lowerBound
            } else {
                b.issue("duplicate-metadata", at: chunkOffset, "a second eXIf chunk (the first is used)")
            }
            return "EXIF"
        case "iCCP":
            readICCP(&b, chunkOffset: chunkOffset, data: data)
            return "ICC"
        case "caBX":
            if b.result.jumbf == nil {
                b.result.jumbf = Array(b.bytes[data])
                b.result.jumbfOffset = data.lowerBound
            }
            return "JUMBF"
        default:
            break
        }
        return nil
    }

    private static func readIHDR(_ b: inout ContainerBuilder, chunkOffset: Int, data: Range<Int>) {
        do {
            var reader = try ByteReader.over(b.bytes, from: data.lowerBound, to: data.upperBound)
            let width = Int(try reader.readUInt32BE("IHDR width"))
            let height = Int(try reader.readUInt32BE("IHDR height"))
            b.result.pngBitDepth = Int(try reader.readUInt8("IHDR bit depth"))
            b.result.pngColorType = Int(try reader.readUInt8("IHDR colour type"))
            b.result.width = width
            b.result.height = height
            if width == 0 || height == 0 || width > maxChunkLength || height > maxChunkLength {
                b.issue("bad-dimensions", at: chunkOffset, "IHDR declares \(width)×\(height)")
            }
        } catch {
            b.issue(error, context: "IHDR chunk")
        }
    }

    /// iCCP: profile name (1–79 bytes), NUL, compression method 0, zlib-compressed profile.
    private static func readICCP(_ b: inout ContainerBuilder, chunkOffset: Int, data: Range<Int>) {
        do {
            var reader = try ByteReader.over(b.bytes, from: data.lowerBound, to: data.upperBound)
            _ = try reader.readCString(maxLength: 79, "iCCP profile name")
            let method = try reader.readUInt8("iCCP compression method")
            guard method == 0 else {
                b.issue("bad-compression", at: chunkOffset, "iCCP compression method \(method) (only 0 exists)")
                return
            }
            guard b.result.icc == nil else {
                b.issue("duplicate-metadata", at: chunkOffset, "a second iCCP chunk (the first is used)")
                return
            }
            let compressed = try reader.readBytes(reader.remaining, "iCCP profile")
            let inflated = b.inflate(compressed, at: chunkOffset, what: "iCCP profile")
            b.result.icc = inflated.bytes
            b.result.iccOffset = data.lowerBound
        } catch {
            b.issue(error, context: "iCCP chunk")
        }
    }
}
