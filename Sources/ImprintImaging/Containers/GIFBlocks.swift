import ImprintBytes

/// Walks a GIF (GIF89a specification): header, logical screen descriptor, global colour
/// table, then image descriptors and extensions (each followed by data sub-blocks) up to
/// the trailer 0x3B. Anything after the trailer is trailing data.
enum GIFBlocks {
    /// XMP's application extension pads its packet with a 257-byte "magic trailer"
    /// (0x01, 0xFF, 0xFE, …, 0x01, 0x00) so that GIF readers skipping sub-blocks land on
    /// the block terminator (XMP spec part 3, §1.1.2).
    static let xmpMagicTrailer: [UInt8] = [0x01] + (0...255).reversed().map { UInt8($0) }

    static func parse(_ b: inout ContainerBuilder) {
        let bytes = b.bytes
        guard bytes.count >= 13 else {
            b.issue("truncated", at: 0, "file ends inside the GIF header and logical screen descriptor")
            return
        }
        guard bytes.matches(Array("GIF87a".utf8), at: 0) || bytes.matches(Array("GIF89a".utf8), at: 0) else {
            b.issue("bad-signature", at: 0, "file does not start with GIF87a or GIF89a")
            return
        }
        b.add(name: "header", offset: 0, length: 6, payloadOffset: 0, payloadLength: 6)
        b.result.width = Int(bytes[6]) | Int(bytes[7]) << 8
        b.result.height = Int(bytes[8]) | Int(bytes[9]) << 8
        let packed = bytes[10]
        b.add(name: "LogicalScreenDescriptor", offset: 6, length: 7, payloadOffset: 6, payloadLength: 7)
        var position = 13
        if packed & 0x80 != 0 {
            let size = 3 << (Int(packed & 0x07) + 1)
            guard size <= bytes.count - position else {
                b.issue("truncated", at: position, "file ends inside the global colour table")
                return
            }
            b.add(name: "GlobalColorTable", offset: position, length: size, payloadOffset: position, payloadLength: size)
            position += size
        }
        walkBlocks(&b, from: position)
    }

    private static func walkBlocks(_ b: inout ContainerBuilder, from start: Int) {
        let bytes = b.bytes
        var position = start
        while b.hasRoom(at: position) {
            guard position < bytes.count else {
                b.issue("truncated", at: position, "file ends without the GIF trailer")
                return
            }
            let introducer = bytes[position]
            switch introducer {
            case 0x3B:
                b.add(name: "Trailer", offset: position, length: 1, payloadOffset: position + 1, payloadLength: 0)
                b.setTrailing(from: position + 1)
                return
            case 0x2C:
                guard let next = readImage(&b, at: position) else { return }
                position = next
            case 0x21:
                guard let next = readExtension(&b, at: position) else { return }
                position = next
            default:
                b.issue("unexpected-data", at: position,
                        "byte 0x\(TextDecoding.hex([introducer])) where an image, extension or trailer was expected")
                return
            }
        }
    }

    /// Image descriptor (10 bytes), optional local colour table, LZW minimum code size,
    /// then the image data sub-blocks. Returns where the next block starts.
    private static func readImage(_ b: inout ContainerBuilder, at start: Int) -> Int? {
        let bytes = b.bytes
        guard start + 10 <= bytes.count else {
            b.issue("truncated", at: start, "file ends inside an image descriptor")
            return nil
        }
        b.add(name: "ImageDescriptor", offset: start, length: 10, payloadOffset: start + 1, payloadLength: 9)
        var position = start + 10
        let packed = bytes[start + 9]
        if packed & 0x80 != 0 {
            let size = 3 << (Int(packed & 0x07) + 1)
            guard size <= bytes.count - position else {
                b.issue("truncated", at: position, "file ends inside a local colour table")
                return nil
            }
            b.add(name: "LocalColorTable", offset: position, length: size, payloadOffset: position, payloadLength: size)
            position += size
        }
        guard position < bytes.count else {
            b.issue("truncated", at: position, "file ends before the LZW minimum code size")
            return nil
        }
        let dataStart = position
        guard let end = skipSubBlocks(&b, from: position + 1, what: "image data") else { return nil }
        b.add(name: "ImageData", offset: dataStart, length: end - dataStart, payloadOffset: dataStart + 1,
              payloadLength: end - dataStart - 1)
        return end
    }

    /// Extension: 0x21, label, then sub-blocks. Returns where the next block starts.
    private static func readExtension(_ b: inout ContainerBuilder, at start: Int) -> Int? {
        let bytes = b.bytes
        guard start + 2 <= bytes.count else {
            b.issue("truncated", at: start, "file ends inside an extension introducer")
            return nil
        }
        let label = bytes[start + 1]
        let blocksStart = start + 2
        guard let end = skipSubBlocks(&b, from: blocksStart, what: "extension") else { return nil }
        var identified: String?
        let name: String
        switch label {
        case 0xF9:
            name = "GraphicControlExtension"
        case 0xFE:
            name = "CommentExtension"
            let text = joinedSubBlocks(bytes, from: blocksStart, to: end)
            b.result.comments.append((offset: start, text: TextDecoding.utf8OrLatin1(text)))
        case 0x01:
            name = "PlainTextExtension"
        case 0xFF:
            name = "ApplicationExtension"
            identified = readApplication(&b, extensionStart: start, blocksStart: blocksStart, end: end)
        default:
            name = "Extension(0x\(TextDecoding.hex([label])))"
        }
        b.add(name: name, identifiedAs: identified, offset: start, length: end - start,
              payloadOffset: blocksStart, payloadLength: end - blocksStart)
        return end
    }

    /// The first sub-block of an application extension holds an 8-byte identifier and a
    /// 3-byte authentication code; they name what the following sub-blocks carry.
    private static func readApplication(_ b: inout ContainerBuilder, extensionStart: Int, blocksStart: Int, end: Int) -> String? {
        let bytes = b.bytes
        guard blocksStart < end, bytes[blocksStart] == 11, blocksStart + 12 <= end else { return nil }
        let identifier = TextDecoding.fourCC(bytes[(blocksStart + 1)..<(blocksStart + 12)])
        let dataStart = blocksStart + 12
        switch identifier {
        case "XMP DataXMP":
            // The packet is stored raw (its bytes double as sub-block lengths) up to the
            // block terminator at `end - 1`; the magic trailer is not part of it.
            let raw = Array(bytes[dataStart..<max(dataStart, end - 1)])
            var packet = raw
            if raw.count >= xmpMagicTrailer.count, Array(raw.suffix(xmpMagicTrailer.count)) == xmpMagicTrailer {
                packet = Array(raw.dropLast(xmpMagicTrailer.count))
            } else {
                b.issue("bad-xmp-trailer", at: extensionStart, "XMP application extension lacks the magic trailer; kept as found")
            }
            if b.result.xmp == nil {
                b.result.xmp = packet
                b.result.xmpOffset = dataStart
            }
            return "XMP"
        case "ICCRGBG1012":
            if b.result.icc == nil {
                b.result.icc = joinedSubBlocks(bytes, from: dataStart, to: end)
                b.result.iccOffset = dataStart
            }
            return "ICC"
        default:
            return identifier
        }
    }

    /// Skips data sub-blocks (a length byte, then that many bytes) through the 0 terminator.
    /// Returns the offset after the terminator, or nil (with an issue) when the file ends first.
    private static func skipSubBlocks(_ b: inout ContainerBuilder, from start: Int, what: String) -> Int? {
        let bytes = b.bytes
        var position = start
        while position < bytes.count {
            let length = Int(bytes[position])
            if length == 0 { return position + 1 }
            position += 1 + length
        }
        b.issue("truncated", at: start, "file ends inside the \(what) sub-blocks")
        return nil
    }

    /// The contents of the sub-blocks in `start..<end` (a range `skipSubBlocks` validated).
    private static func joinedSubBlocks(_ bytes: [UInt8], from start: Int, to end: Int) -> [UInt8] {
        var data: [UInt8] = []
        var position = start
        while position < end, position < bytes.count {
            let length = Int(bytes[position])
            if length == 0 { break }
            let chunkEnd = min(position + 1 + length, end, bytes.count)
            data.append(contentsOf: bytes[(position + 1)..<chunkEnd])
            position += 1 + length
        }
        return data
    }
}
