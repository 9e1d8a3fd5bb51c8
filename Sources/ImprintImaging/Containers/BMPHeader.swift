import ImprintBytes

/// A BMP's file header (14 bytes) and DIB header, for the dimensions only: pixel data and
/// palettes are not structure imprint needs to locate.
enum BMPHeader {
    static func parse(_ b: inout ContainerBuilder) {
        do {
            var reader = ByteReader(b.bytes)
            guard reader.hasPrefix(Array("BM".utf8)) else {
                b.issue("bad-signature", at: 0, "file does not start with BM")
                return
            }
            try reader.skip(14, "BMP file header")
            b.add(name: "BITMAPFILEHEADER", offset: 0, length: 14, payloadOffset: 2, payloadLength: 12)
            let dibOffset = reader.offset
            let dibSize = Int(try reader.readUInt32LE("DIB header size"))
            if dibSize == 12 {
                // BITMAPCOREHEADER: 16-bit unsigned width and height.
                b.result.width = Int(try reader.readUInt16LE("width"))
                b.result.height = Int(try reader.readUInt16LE("height"))
            } else if dibSize >= 40 {
                // BITMAPINFOHEADER and later: 32-bit signed; a negative height means top-down rows.
                b.result.width = Int(Int32(bitPattern: try reader.readUInt32LE("width"))).magnitude.clampedToInt
                b.result.height = Int(Int32(bitPattern: try reader.readUInt32LE("height"))).magnitude.clampedToInt
            } else {
                b.issue("bad-length", at: dibOffset, "DIB header size \(dibSize) is not a known header")
                return
            }
            let available = min(dibSize, b.bytes.count - dibOffset)
            if available < dibSize { b.issue("truncated", at: dibOffset, "DIB header of \(dibSize) bytes is cut short") }
            b.add(name: "DIBHeader", offset: dibOffset, length: available, payloadOffset: dibOffset + 4, payloadLength: max(0, available - 4))
        } catch {
            b.issue(error, context: "BMP header")
        }
    }
}

private extension UInt {
    var clampedToInt: Int { self > UInt(Int.max) ? Int.max : Int(self) }
}
