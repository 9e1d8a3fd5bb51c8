import CImprintCodecs

/// Why pixels could not be had.
public enum DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// More pixels than the configured limit (a decompression bomb, or just huge).
    case tooManyPixels(width: Int, height: Int, limit: Int)
    case corrupt(String)
    case unsupported(ImageFormat)
    case outOfMemory(String)

    /// A stable code for recorded errors.
    public var code: String {
        switch self {
        case .tooManyPixels: return "pixel-limit"
        case .corrupt: return "decode-failed"
        case .unsupported: return "decode-unsupported"
        case .outOfMemory: return "out-of-memory"
        }
    }

    public var description: String {
        switch self {
        case let .tooManyPixels(width, height, limit):
            return "\(width) x \(height) pixels exceeds the decode limit of \(limit) pixels; not decoded (dimensions recorded)"
        case .corrupt(let message): return "cannot decode: \(message)"
        case .unsupported(let format): return "decoding \(format.rawValue) is not supported; pixel analyzers skipped"
        case .outOfMemory(let message): return "cannot decode: \(message)"
        }
    }
}

/// Decoding of JPEG (libjpeg-turbo) and PNG (libpng) into a `Raster`.
public struct ImageDecoder: Sendable {
    /// Refuse to decode images larger than this many pixels (default 200 megapixels).
    public static let defaultMaxPixels = 200_000_000

    public var maxPixels: Int

    public init(maxPixels: Int = defaultMaxPixels) {
        self.maxPixels = maxPixels
    }

    public static func canDecode(_ format: ImageFormat) -> Bool { format == .jpeg || format == .png }

    /// How a JPEG's subsampled chroma is brought to full size.
    public enum ChromaUpsampling: Sendable, Hashable {
        /// libjpeg's default smoothing ("fancy") filter: the reference decode for hashes.
        case smooth
        /// Each chroma sample replicated over the pixels it covers, so every 2x2 block
        /// keeps the chroma value the encoder stored (chroma-domain watermark decoding).
        case replicate
    }

    /// Decodes `bytes`. For JPEG, `scaleDenominator` 2, 4 or 8 decodes at that fraction of
    /// the size in the DCT domain, `luma` decodes only the Y channel, and `chroma` chooses
    /// the chroma upsampling (ignored for other formats).
    public func decode(_ bytes: [UInt8], format: ImageFormat, scaleDenominator: Int = 1,
                       luma: Bool = false, chroma: ChromaUpsampling = .smooth) throws(DecodeError) -> Raster {
        var image = imprint_image()
        let status: Int32
        switch format {
        case .jpeg:
            return try decodeJPEG(bytes, scaleDenominator: scaleDenominator, luma: luma, chroma: chroma)
        case .png:
            status = bytes.withUnsafeBufferPointer { buffer in
                imprint_png_decode(buffer.baseAddress, buffer.count, UInt64(maxPixels), &image)
            }
        default:
            throw .unsupported(format)
        }
        defer { imprint_image_free(&image) }
        let message = try check(status, &image)
        let count = Int(image.width) * Int(image.height) * Int(image.channels)
        guard let pointer = image.pixels, count > 0, let layout = Raster.Layout(rawValue: Int(image.channels)) else {
            throw .corrupt("the decoder returned no pixels")
        }
        var raster = Raster(width: Int(image.width), height: Int(image.height), layout: layout,
                            pixels: Array(UnsafeBufferPointer(start: pointer, count: count)),
                            sourceWidth: Int(image.image_width), sourceHeight: Int(image.image_height),
                            warnings: Int(image.warnings), warningMessage: image.warnings > 0 ? message : nil)
        if luma && raster.layout != .luma { raster = raster.luma() }
        return raster
    }

    /// The message of a decode, or the error its status stands for.
    private func check(_ status: Int32, _ image: inout imprint_image) throws(DecodeError) -> String {
        let message = Self.message(&image.message)
        switch status {
        case IMPRINT_CODEC_OK: return message
        case IMPRINT_CODEC_TOO_LARGE:
            throw .tooManyPixels(width: Int(image.image_width), height: Int(image.image_height), limit: maxPixels)
        case IMPRINT_CODEC_NO_MEMORY: throw .outOfMemory(message)
        default: throw .corrupt(message.isEmpty ? "unknown decoder error" : message)
        }
    }

    /// A JPEG decoded straight into the raster's own array: the size comes from the
    /// header first, so the tens of megabytes of a camera image are written once, not
    /// decoded into a C buffer and copied.
    /// The byte count and layout a JPEG decode will return, from the header alone.
    private func jpegOutputSize(_ bytes: [UInt8], scaleDenominator: Int,
                                luma: Bool) throws(DecodeError) -> (count: Int, layout: Raster.Layout) {
        var info = imprint_image()
        let status = bytes.withUnsafeBufferPointer { buffer in
            imprint_jpeg_output_dimensions(buffer.baseAddress, buffer.count, Int32(scaleDenominator), luma ? 1 : 0,
                                           UInt64(maxPixels), &info)
        }
        _ = try check(status, &info)
        let (count, overflow) = (Int(info.width) * Int(info.height)).multipliedReportingOverflow(by: Int(info.channels))
        guard !overflow, count > 0, let layout = Raster.Layout(rawValue: Int(info.channels)) else {
            throw .corrupt("the decoder reported no pixels")
        }
        return (count, layout)
    }

    private func decodeJPEG(_ bytes: [UInt8], scaleDenominator: Int, luma: Bool,
                            chroma: ChromaUpsampling) throws(DecodeError) -> Raster {
        let (count, layout) = try jpegOutputSize(bytes, scaleDenominator: scaleDenominator, luma: luma)
        var image = imprint_image()
        var status = IMPRINT_CODEC_ERROR
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { target, initialized in
            status = bytes.withUnsafeBufferPointer { buffer in
                imprint_jpeg_decode_into(buffer.baseAddress, buffer.count, Int32(scaleDenominator), luma ? 1 : 0,
                                         chroma == .smooth ? 1 : 0, UInt64(maxPixels), target.baseAddress, count, &image)
            }
            // libjpeg writes every scanline or fails; a failure keeps nothing.
            initialized = status == IMPRINT_CODEC_OK && Int(image.width) * Int(image.height) * Int(image.channels) == count ? count : 0
        }
        defer { imprint_image_free(&image) }
        let message = try check(status, &image)
        guard pixels.count == count else { throw .corrupt("the decoder returned another size than its header gave") }
        return Raster(width: Int(image.width), height: Int(image.height), layout: layout, pixels: pixels,
                      sourceWidth: Int(image.image_width), sourceHeight: Int(image.image_height),
                      warnings: Int(image.warnings), warningMessage: image.warnings > 0 ? message : nil)
    }

    /// Both full-size colour decodes of a JPEG with 4:2:0 or 4:2:2 chroma, from one pass
    /// of entropy decoding and inverse DCT: `smooth` is identical to `decode(…, chroma:
    /// .smooth)`, `replicated` to `decode(…, chroma: .replicate)`. Nil when the JPEG has
    /// another layout (grey, 4:4:4, CMYK, other sampling, tiny), or when this decode
    /// fails: decode those with `decode`, which reports the error as usual.
    public func decodeBoth(_ bytes: [UInt8]) -> (smooth: Raster, replicated: Raster)? {
        guard let decoded = decodeBoth(bytes, consumer: nil, smoothConsumer: nil, keepReplicated: true),
              let replicated = decoded.replicated else { return nil }
        return (decoded.smooth, replicated)
    }

    /// As `decodeBoth(_:)`, but the replicated image goes to `consumer` in strips of 8
    /// rows (as three planes) as it is made, and is never held whole (with no consumer it is not made at
    /// all). `smoothConsumer`, if any, is also handed the smooth image in strips of 8 rows,
    /// right after they are written and while they are in cache, for a reader that would
    /// otherwise make one more pass over the whole raster. Each consumer sees every row
    /// exactly once, in order, when this returns the smooth raster. On nil they may have
    /// seen some rows; discard what they gathered.
    public func decodeBoth(_ bytes: [UInt8], replicatedStrips consumer: (any PlanarStripConsumer)?,
                           smoothStrips smoothConsumer: (any RasterStripConsumer)? = nil) -> Raster? {
        decodeBoth(bytes, consumer: consumer, smoothConsumer: smoothConsumer, keepReplicated: false)?.smooth
    }

    private func decodeBoth(_ bytes: [UInt8], consumer: (any PlanarStripConsumer)?, smoothConsumer: (any RasterStripConsumer)?,
                            keepReplicated: Bool) -> (smooth: Raster, replicated: Raster?)? {
        guard let (count, layout) = try? jpegOutputSize(bytes, scaleDenominator: 1, luma: false), layout == .rgb else {
            return nil
        }
        var image = imprint_image()
        var status = IMPRINT_CODEC_ERROR
        var replicated: [UInt8]?
        let smooth = [UInt8](unsafeUninitializedCapacity: count) { smoothBuffer, smoothCount in
            func decode(into replicatedBuffer: UnsafeMutablePointer<UInt8>?) {
                status = runDecodeBoth(bytes, smooth: smoothBuffer.baseAddress, replicated: replicatedBuffer, capacity: count,
                                       consumer: consumer, smoothConsumer: smoothConsumer, into: &image)
            }
            let complete = { status == IMPRINT_CODEC_OK && Int(image.width) * Int(image.height) * 3 == count }
            if keepReplicated {
                replicated = [UInt8](unsafeUninitializedCapacity: count) { replicatedBuffer, replicatedCount in
                    decode(into: replicatedBuffer.baseAddress)
                    replicatedCount = complete() ? count : 0
                }
            } else {
                decode(into: nil)
            }
            smoothCount = complete() ? count : 0
        }
        defer { imprint_image_free(&image) }
        guard status == IMPRINT_CODEC_OK, smooth.count == count, replicated.map({ $0.count == count }) ?? true else { return nil }
        let message = Self.message(&image.message)
        func raster(_ pixels: [UInt8]) -> Raster {
            Raster(width: Int(image.width), height: Int(image.height), layout: .rgb, pixels: pixels,
                   sourceWidth: Int(image.image_width), sourceHeight: Int(image.image_height),
                   warnings: Int(image.warnings), warningMessage: image.warnings > 0 ? message : nil)
        }
        return (raster(smooth), replicated.map(raster))
    }

    /// As `decodeBoth(_:replicatedStrips:smoothStrips:)`, but the smooth image too goes
    /// only to its consumer, in strips of 8 rows, and is never held whole: for a file whose
    /// every reader of the image streams it. Nil, as there, for another layout or a failed
    /// decode (the consumers may then have seen some rows).
    public func decodeStrips(_ bytes: [UInt8], replicatedStrips consumer: (any PlanarStripConsumer)?,
                             smoothStrips smoothConsumer: any RasterStripConsumer) -> StreamedImage? {
        guard let (count, layout) = try? jpegOutputSize(bytes, scaleDenominator: 1, luma: false), layout == .rgb else {
            return nil
        }
        var image = imprint_image()
        let status = runDecodeBoth(bytes, smooth: nil, replicated: nil, capacity: count, consumer: consumer,
                                   smoothConsumer: smoothConsumer, into: &image)
        defer { imprint_image_free(&image) }
        guard status == IMPRINT_CODEC_OK, Int(image.width) * Int(image.height) * 3 == count else { return nil }
        let message = Self.message(&image.message)
        return StreamedImage(width: Int(image.width), height: Int(image.height), sourceWidth: Int(image.image_width),
                             sourceHeight: Int(image.image_height), warnings: Int(image.warnings),
                             warningMessage: image.warnings > 0 ? message : nil)
    }

    /// `imprint_jpeg_decode_both` with the consumers behind its sinks.
    private func runDecodeBoth(_ bytes: [UInt8], smooth: UnsafeMutablePointer<UInt8>?, replicated: UnsafeMutablePointer<UInt8>?,
                               capacity: Int, consumer: (any PlanarStripConsumer)?, smoothConsumer: (any RasterStripConsumer)?,
                               into image: inout imprint_image) -> Int32 {
        let sink = consumer.map(PlanarStripSink.init), smoothSink = smoothConsumer.map(RasterStripSink.init)
        return bytes.withUnsafeBufferPointer { buffer in
            withExtendedLifetime((sink, smoothSink)) {
                imprint_jpeg_decode_both(buffer.baseAddress, buffer.count, UInt64(maxPixels), smooth, replicated, capacity,
                                         sink == nil ? nil : PlanarStripSink.callback,
                                         sink.map { Unmanaged.passUnretained($0).toOpaque() },
                                         smoothSink == nil ? nil : RasterStripSink.callback,
                                         smoothSink.map { Unmanaged.passUnretained($0).toOpaque() }, &image)
            }
        }
    }

    /// The quantised DCT coefficients of a JPEG.
    public func coefficients(_ bytes: [UInt8]) throws(DecodeError) -> JPEGCoefficients {
        var raw = imprint_jpeg_coefficients()
        let status = bytes.withUnsafeBufferPointer { buffer in
            imprint_jpeg_read_coefficients(buffer.baseAddress, buffer.count, UInt64(maxPixels), &raw)
        }
        defer { imprint_jpeg_coefficients_free(&raw) }
        let message = Self.message(&raw.message)
        switch status {
        case IMPRINT_CODEC_OK: break
        case IMPRINT_CODEC_TOO_LARGE:
            throw .tooManyPixels(width: Int(raw.image_width), height: Int(raw.image_height), limit: maxPixels)
        case IMPRINT_CODEC_NO_MEMORY: throw .outOfMemory(message)
        default: throw .corrupt(message.isEmpty ? "unknown decoder error" : message)
        }
        var components: [JPEGCoefficients.Component] = []
        let widths = [raw.width_in_blocks.0, raw.width_in_blocks.1, raw.width_in_blocks.2, raw.width_in_blocks.3]
        let heights = [raw.height_in_blocks.0, raw.height_in_blocks.1, raw.height_in_blocks.2, raw.height_in_blocks.3]
        let tableIndexes = [raw.quant_table_index.0, raw.quant_table_index.1, raw.quant_table_index.2, raw.quant_table_index.3]
        let pointers = [raw.coefficients.0, raw.coefficients.1, raw.coefficients.2, raw.coefficients.3]
        let tables: [[UInt16]] = withUnsafeBytes(of: &raw.quant_tables) { buffer in
            let values = buffer.bindMemory(to: UInt16.self)
            return (0..<4).map { Array(values[($0 * 64)..<($0 * 64 + 64)]) }
        }
        for index in 0..<Int(min(max(raw.components, 0), 4)) {
            let count = Int(widths[index]) * Int(heights[index]) * 64
            guard let pointer = pointers[index] else { continue }
            components.append(.init(widthInBlocks: Int(widths[index]), heightInBlocks: Int(heights[index]),
                                    quantizationTableIndex: Int(tableIndexes[index]), quantizationTable: tables[index],
                                    coefficients: Array(UnsafeBufferPointer(start: pointer, count: count))))
        }
        return JPEGCoefficients(imageWidth: Int(raw.image_width), imageHeight: Int(raw.image_height), components: components)
    }

    private static func message<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { buffer in
            let bytes = buffer.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The decoder libraries' versions, for the record.
    public static var libraryVersions: [String: String] {
        let jpeg = Int(imprint_libjpeg_version())
        let png = imprint_libpng_version().map { String(cString: $0) } ?? "unknown"
        return ["libjpeg-turbo": "\(jpeg / 1_000_000).\(jpeg / 1000 % 1000).\(jpeg % 1000)", "libpng": png]
    }
}
