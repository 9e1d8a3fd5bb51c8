import ImprintBytes
import ImprintImaging
import ImprintMetadata

/// One file's bytes and everything derived from them, shared by all analyzers of that
/// file: read once, sniffed once, parsed once, its metadata extracted once, and its pixels
/// decoded at most once per size. An artifact lives inside one analysis task and is never
/// shared across tasks, so its lazy caches need no locking.
public final class Artifact {
    /// Path relative to the evidence root (or as given to `imprint analyze`).
    public let path: [UInt8]
    /// The final path component.
    public let name: [UInt8]
    public let bytes: [UInt8]
    public let format: ImageFormat
    let decoder: ImageDecoder
    let limits: ContainerLimits

    public init(path: [UInt8], name: [UInt8], bytes: [UInt8], format: ImageFormat,
                decoder: ImageDecoder = ImageDecoder(), limits: ContainerLimits = ContainerLimits()) {
        self.path = path
        self.name = name
        self.bytes = bytes
        self.format = format
        self.decoder = decoder
        self.limits = limits
    }

    /// The lowercase extension of the file name without the dot, or nil.
    public var fileExtension: String? {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > name.startIndex, dot < name.index(before: name.endIndex) else {
            return nil
        }
        return String(decoding: name[(dot + 1)...], as: UTF8.self).lowercased()
    }

    /// The container structure (segments, chunks, boxes) with byte offsets.
    public private(set) lazy var container: ParsedContainer = ContainerParser.parse(bytes, format: format, limits: limits)

    private lazy var extracted = MetadataExtractor.extract(container)

    /// What the file says about itself, normalised.
    public var metadata: MetadataRecord { extracted.record }

    /// The EXIF contents as libexif read them (tags, thumbnail), if any.
    public var exif: ExifContents? { extracted.exif }

    private var rasters: [RasterKey: Result<Raster, DecodeError>] = [:]

    private struct RasterKey: Hashable {
        var scale: Int
        var luma: Bool
    }

    /// Decoded pixels, decoded on first request and cached. `scaleDenominator` 2/4/8 asks
    /// libjpeg for a smaller image (JPEG only; other formats decode at full size).
    public func raster(scaleDenominator: Int = 1, luma: Bool = false) throws(DecodeError) -> Raster {
        let key = RasterKey(scale: format == .jpeg ? scaleDenominator : 1, luma: luma)
        if let cached = rasters[key] { return try cached.get() }
        let result: Result<Raster, DecodeError>
        do {
            result = .success(try decoder.decode(bytes, format: format, scaleDenominator: key.scale, luma: luma))
        } catch {
            result = .failure(error)
        }
        rasters[key] = result
        return try result.get()
    }

    /// Every decode error met so far (recorded against the file once each).
    public var decodeErrors: [DecodeError] {
        var seen: [DecodeError] = []
        for case .failure(let error) in rasters.values where !seen.contains(error) { seen.append(error) }
        return seen
    }
}
