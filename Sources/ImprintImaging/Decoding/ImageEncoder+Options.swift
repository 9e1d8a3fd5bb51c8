import CImprintCodecs

/// Encoder choices beyond the IJG defaults: what compression fixtures and normalised
/// re-encoding need (split luma/chroma quality, subsampling, progressive, optimised Huffman).
public struct JPEGEncodeOptions: Sendable, Equatable {
    public enum Subsampling: Int32, Sendable { case s420 = 0, s422 = 1, s444 = 2 }

    public var lumaQuality: Int
    public var chromaQuality: Int
    public var subsampling: Subsampling
    public var progressive: Bool
    public var optimizeCoding: Bool

    public init(quality: Int, chromaQuality: Int? = nil, subsampling: Subsampling = .s420, progressive: Bool = false,
                optimizeCoding: Bool = false) {
        self.lumaQuality = quality
        self.chromaQuality = chromaQuality ?? quality
        self.subsampling = subsampling
        self.progressive = progressive
        self.optimizeCoding = optimizeCoding
    }
}

extension ImageEncoder {
    public static func jpeg(_ raster: Raster, options: JPEGEncodeOptions) throws(EncodeError) -> [UInt8] {
        let source = raster.layout == .rgba ? raster.droppingAlpha() : raster
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: Int(IMPRINT_CODEC_MESSAGE_LENGTH))
        let status = source.pixels.withUnsafeBufferPointer { pixels in
            imprint_jpeg_encode_options(pixels.baseAddress, Int32(source.width), Int32(source.height), Int32(source.channels),
                                        Int32(options.lumaQuality), Int32(options.chromaQuality), options.subsampling.rawValue,
                                        options.progressive ? 1 : 0, options.optimizeCoding ? 1 : 0, &out, &size, &message)
        }
        defer { imprint_buffer_free(out) }
        guard status == IMPRINT_CODEC_OK, let out else {
            throw EncodeError(description: "JPEG encoding failed: " + String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }
}
