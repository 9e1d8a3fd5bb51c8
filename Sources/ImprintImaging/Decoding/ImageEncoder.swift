import CImprintCodecs

/// Encoding of rasters to JPEG (libjpeg-turbo, IJG quality scale) and PNG (libpng).
/// Used for normalised re-encoding of evaluation sets, protected thumbnails, and fixtures.
public enum ImageEncoder {
    public struct EncodeError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func jpeg(_ raster: Raster, quality: Int, optimizeCoding: Bool = false) throws(EncodeError) -> [UInt8] {
        let source = raster.layout == .rgba ? raster.droppingAlpha() : raster
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: Int(IMPRINT_CODEC_MESSAGE_LENGTH))
        let status = source.pixels.withUnsafeBufferPointer { pixels in
            imprint_jpeg_encode(pixels.baseAddress, Int32(source.width), Int32(source.height), Int32(source.channels),
                                Int32(quality), optimizeCoding ? 1 : 0, &out, &size, &message)
        }
        defer { imprint_buffer_free(out) }
        guard status == IMPRINT_CODEC_OK, let out else {
            throw EncodeError(description: "JPEG encoding failed: " + String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    public static func png(_ raster: Raster) throws(EncodeError) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: Int(IMPRINT_CODEC_MESSAGE_LENGTH))
        let status = raster.pixels.withUnsafeBufferPointer { pixels in
            imprint_png_encode(pixels.baseAddress, Int32(raster.width), Int32(raster.height), Int32(raster.channels),
                               &out, &size, &message)
        }
        defer { imprint_buffer_free(out) }
        guard status == IMPRINT_CODEC_OK, let out else {
            throw EncodeError(description: "PNG encoding failed: " + String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }
}

extension Raster {
    /// The RGB part of an RGBA raster.
    public func droppingAlpha() -> Raster {
        guard layout == .rgba else { return self }
        var rgb = [UInt8]()
        rgb.reserveCapacity(width * height * 3)
        for index in 0..<(width * height) {
            rgb.append(pixels[index * 4])
            rgb.append(pixels[index * 4 + 1])
            rgb.append(pixels[index * 4 + 2])
        }
        return Raster(width: width, height: height, layout: .rgb, pixels: rgb, sourceWidth: sourceWidth,
                      sourceHeight: sourceHeight, warnings: warnings, warningMessage: warningMessage)
    }
}
