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
    /// This file's analysis time budget: an analyzer with a long loop calls
    /// `deadline.check(...)` and lets the error it throws propagate (docs/limits.md).
    public let deadline: AnalysisDeadline

    public init(path: [UInt8], name: [UInt8], bytes: [UInt8], format: ImageFormat,
                decoder: ImageDecoder = ImageDecoder(), limits: ContainerLimits = ContainerLimits(),
                deadline: AnalysisDeadline = .unlimited) {
        self.path = path
        self.name = name
        self.bytes = bytes
        self.format = format
        self.decoder = decoder
        self.limits = limits
        self.deadline = deadline
    }

    /// The lowercase extension of the file name without the dot, or nil. This and `bytes`
    /// are all an analyzer may base its findings on (never `path` or the rest of `name`):
    /// `ContentReuse` gives a byte-identical copy with the same extension the same results.
    public var fileExtension: String? { Self.fileExtension(of: name) }

    /// The lowercase extension of a file name without the dot, or nil.
    public static func fileExtension(of name: [UInt8]) -> String? {
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
        var chroma: ImageDecoder.ChromaUpsampling = .smooth
    }

    /// Makers of consumers of the replicated-chroma image, registered before the shared
    /// decode (`streamReplicatedChroma`); the consumers that decode fed, by key.
    private var replicatedStripMakers: [(key: String, make: (_ width: Int, _ height: Int) -> any PlanarStripConsumer)] = []
    /// The same for the smooth (shared) image's strips (`streamSmooth`).
    private var smoothStripMakers: [(key: String, make: (_ width: Int, _ height: Int) -> any RasterStripConsumer)] = []
    private var streamedConsumers: [String: AnyObject] = [:]

    /// False when every reader of the shared image streams it (`streamSmooth`): then a
    /// colour-subsampled JPEG's shared decode goes to the strip consumers only and the
    /// full-size image is never held (`decodeShared`). Set before the first decode. A
    /// later `raster()` still works: it decodes again.
    public var holdsSharedRaster = true
    /// The shared decode when it went to strip consumers only.
    public private(set) var streamedImage: StreamedImage?
    /// Full decodes run so far (a streamed one included): one per file is the aim.
    public private(set) var decodeCount = 0

    /// Asks for the full-size replicated-chroma image (`rasterWithReplicatedChroma`) of a
    /// colour-subsampled JPEG to be handed, 8 rows at a time, to the consumer `make`
    /// returns while the shared full-size decode runs, instead of being kept: for an
    /// analyzer that reads it once (the SD watermark), this saves a full-size image per
    /// file. Call it before the first decode (`Analyzer.prepare`); read the result with
    /// `streamedReplicatedChroma(key:)`.
    public func streamReplicatedChroma(key: String, make: @escaping (_ width: Int, _ height: Int) -> any PlanarStripConsumer) {
        replicatedStripMakers.append((key, make))
    }

    /// The consumer registered under `key` once the shared decode has fed it every row of
    /// the replicated-chroma image (running that decode if it has not run). Nil when the
    /// image was not streamed: not a colour-subsampled JPEG, a layout the one-pass decode
    /// does not handle, or a failed decode. Then read `rasterWithReplicatedChroma()`.
    public func streamedReplicatedChroma(key: String) -> (any PlanarStripConsumer)? {
        if replicatedStripMakers.contains(where: { $0.key == key }) { _ = try? decodeShared() }
        return streamedConsumers[key] as? any PlanarStripConsumer
    }

    /// Asks for the shared full-size decode of a colour-subsampled JPEG to be handed, 8
    /// rows at a time, to the consumer `make` returns, right after the decode writes them
    /// and while they are in cache. The raster is kept as usual; this is for a reader of
    /// every pixel (the perceptual hashes) that would otherwise fetch the whole raster
    /// back from memory. Call it before the first decode; read the result with
    /// `streamedSmooth(key:)`.
    public func streamSmooth(key: String, make: @escaping (_ width: Int, _ height: Int) -> any RasterStripConsumer) {
        smoothStripMakers.append((key, make))
    }

    /// The consumer registered under `key` once the shared decode has fed it every row
    /// (running that decode if it has not run); nil when the image was not streamed (not
    /// a colour-subsampled JPEG, a layout the one-pass decode does not handle, a failed
    /// decode): then read `raster()`.
    public func streamedSmooth(key: String) -> (any RasterStripConsumer)? {
        if smoothStripMakers.contains(where: { $0.key == key }) { _ = try? decodeShared() }
        return streamedConsumers[key] as? any RasterStripConsumer
    }

    /// The full-size colour raster with each JPEG chroma sample replicated rather than
    /// smoothed (see `ImageDecoder.ChromaUpsampling`). Only a JPEG whose chroma is
    /// subsampled needs a decode of its own; for anything else this is the shared raster.
    public func rasterWithReplicatedChroma() throws(DecodeError) -> Raster {
        guard hasSubsampledChroma else { return try raster() }
        return try decodeOnce(RasterKey(scale: 1, luma: false, chroma: .replicate))
    }

    /// A JPEG whose components do not all share one sampling (its chroma is subsampled).
    var hasSubsampledChroma: Bool {
        guard format == .jpeg, let frame = container.jpegFrame else { return false }
        return Set(frame.components.map { [$0.horizontalSampling, $0.verticalSampling] }).count > 1
    }

    /// Runs the shared full-size decode if it has not run, feeding the registered strip
    /// consumers, and returns the image's size. The decoded raster is kept for `raster()`
    /// unless `holdsSharedRaster` is false and the decode could go to the consumers only.
    public func decodeShared() throws(DecodeError) -> (width: Int, height: Int) {
        if let streamedImage { return (streamedImage.width, streamedImage.height) }
        let full = RasterKey(scale: 1, luma: false)
        if rasters[full] == nil, !holdsSharedRaster, hasSubsampledChroma, !smoothStripMakers.isEmpty {
            let streams = takeStreams()
            decodeCount += 1
            if let smooth = streams.smooth, let image = decoder.decodeStrips(bytes, replicatedStrips: streams.replicated, smoothStrips: smooth) {
                streamedImage = image
                streams.keep()
                return (image.width, image.height)
            }
            // Another layout after all, or a failed decode: the usual decode reports it.
        }
        let raster = try raster()
        return (raster.width, raster.height)
    }

    /// Decoded pixels, decoded on first request and cached. `scaleDenominator` 2/4/8 asks
    /// libjpeg for a smaller image (JPEG only; other formats decode at full size).
    public func raster(scaleDenominator: Int = 1, luma: Bool = false) throws(DecodeError) -> Raster {
        let key = RasterKey(scale: format == .jpeg ? scaleDenominator : 1, luma: luma)
        if let cached = rasters[key] { return try cached.get() }
        // Decode once: a smaller or luma view is derived from a full decode already made.
        // If the shared decode was streamed only, decode the full image again rather than
        // let a smaller view come from libjpeg's DCT scaling (other pixels than derived).
        let full = RasterKey(scale: 1, luma: false)
        if streamedImage != nil, rasters[full] == nil { _ = try? decodeOnce(full) }
        if key != full, case .success(let decoded)? = rasters[full] {
            let derived = Self.derive(decoded, scaleDenominator: key.scale, luma: luma)
            rasters[key] = .success(derived)
            return derived
        }
        return try decodeOnce(key)
    }

    /// Takes the registered strip makers for one decode: the fan-outs to hand the decoder
    /// (nil where none is registered), and `keep`, to call once that decode has fed them
    /// every row, which makes each consumer readable under its key. Taken either way: a
    /// failed decode's consumers saw only some rows and are dropped.
    private func takeStreams() -> (replicated: StripFanOut<any PlanarStripConsumer>?, smooth: StripFanOut<any RasterStripConsumer>?,
                                   keep: () -> Void) {
        let replicated = replicatedStripMakers, smooth = smoothStripMakers
        replicatedStripMakers = []
        smoothStripMakers = []
        let replicatedFanOut = replicated.isEmpty ? nil : StripFanOut(makers: replicated.map(\.make))
        let smoothFanOut = smooth.isEmpty ? nil : StripFanOut(makers: smooth.map(\.make))
        return (replicatedFanOut, smoothFanOut, { [self] in
            for (index, consumer) in (replicatedFanOut?.consumers ?? []).enumerated() { streamedConsumers[replicated[index].key] = consumer }
            for (index, consumer) in (smoothFanOut?.consumers ?? []).enumerated() { streamedConsumers[smooth[index].key] = consumer }
        })
    }

    /// Decodes for `key` unless already tried, caching the pixels or the error, so a file
    /// that cannot be decoded is tried (and its error recorded) once.
    private func decodeOnce(_ key: RasterKey) throws(DecodeError) -> Raster {
        if let cached = rasters[key] { return try cached.get() }
        decodeCount += 1
        // A colour-subsampled JPEG at full size: both chroma upsamplings from one decode,
        // since the watermark reads the replicated one and everything else the smooth one.
        // With consumers registered the replicated image goes to them, strip by strip.
        if key.scale == 1, !key.luma, hasSubsampledChroma {
            if key.chroma == .smooth, !replicatedStripMakers.isEmpty || !smoothStripMakers.isEmpty {
                let streams = takeStreams()
                if let raster = decoder.decodeBoth(bytes, replicatedStrips: streams.replicated, smoothStrips: streams.smooth) {
                    rasters[key] = .success(raster)
                    streams.keep()
                    return raster
                }
            } else if let both = decoder.decodeBoth(bytes) {
                rasters[RasterKey(scale: 1, luma: false)] = .success(both.smooth)
                rasters[RasterKey(scale: 1, luma: false, chroma: .replicate)] = .success(both.replicated)
                return key.chroma == .replicate ? both.replicated : both.smooth
            }
        }
        let result: Result<Raster, DecodeError>
        do {
            result = .success(try decoder.decode(bytes, format: format, scaleDenominator: key.scale, luma: key.luma,
                                                 chroma: key.chroma))
        } catch {
            result = .failure(error)
        }
        rasters[key] = result
        return try result.get()
    }

    /// Area-average reduction by `scaleDenominator` (the size libjpeg's DCT scaling gives),
    /// optionally of the luma (`Raster.luma`'s rounding per pixel, then the average).
    /// One pass over the source rows, luma computed on the fly: no full-size luma copy.
    static func derive(_ raster: Raster, scaleDenominator: Int, luma: Bool) -> Raster {
        let toLuma = luma && raster.layout != .luma
        guard scaleDenominator > 1 else { return toLuma ? raster.luma() : raster }
        var reduction = AreaReduction(sourceWidth: raster.width, sourceHeight: raster.height, step: raster.channels,
                                      scaleDenominator: scaleDenominator, luma: toLuma)
        let rowBytes = raster.width * raster.channels
        // A raster shorter than its size says gives the reduced size in zeros.
        if raster.width > 0, raster.height > 0, raster.pixels.count >= raster.height * rowBytes {
            raster.pixels.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                for y in 0..<raster.height { reduction.add(row: base + y * rowBytes) }
            }
        }
        return Raster(width: reduction.width, height: reduction.height, layout: toLuma ? .luma : raster.layout,
                      pixels: reduction.pixels, sourceWidth: raster.sourceWidth, sourceHeight: raster.sourceHeight,
                      warnings: raster.warnings, warningMessage: raster.warningMessage)
    }

    /// The recoverable problems the decoder worked around in the shared full-size decode
    /// (streamed or held): how many, and the first one's message. Nil before that decode
    /// and when it failed.
    public var sharedDecodeWarnings: (count: Int, message: String?)? {
        if let streamedImage { return (streamedImage.warnings, streamedImage.warningMessage) }
        guard case .success(let raster)? = rasters[RasterKey(scale: 1, luma: false)] else { return nil }
        return (raster.warnings, raster.warningMessage)
    }

    /// Every decode error met so far (recorded against the file once each).
    public var decodeErrors: [DecodeError] {
        var seen: [DecodeError] = []
        for case .failure(let error) in rasters.values where !seen.contains(error) { seen.append(error) }
        return seen
    }
}

/// Hands each strip of one decode to several consumers, made when the first strip
/// arrives (that is when the image's size is known).
private final class StripFanOut<Consumer> {
    private let makers: [(_ width: Int, _ height: Int) -> Consumer]
    private(set) var consumers: [Consumer] = []

    init(makers: [(_ width: Int, _ height: Int) -> Consumer]) {
        self.makers = makers
    }

    /// The consumers, made at the first strip.
    func consumers(width: Int, height: Int) -> [Consumer] {
        if consumers.isEmpty { consumers = makers.map { $0(width, height) } }
        return consumers
    }
}

extension StripFanOut: RasterStripConsumer where Consumer == any RasterStripConsumer {
    func consume(_ rows: UnsafePointer<UInt8>, firstRow: Int, rowCount: Int, width: Int, height: Int) {
        for consumer in consumers(width: width, height: height) {
            consumer.consume(rows, firstRow: firstRow, rowCount: rowCount, width: width, height: height)
        }
    }
}

extension StripFanOut: PlanarStripConsumer where Consumer == any PlanarStripConsumer {
    func consume(_ strip: PlanarStrip, firstRow: Int, rowCount: Int, width: Int, height: Int) {
        for consumer in consumers(width: width, height: height) {
            consumer.consume(strip, firstRow: firstRow, rowCount: rowCount, width: width, height: height)
        }
    }
}
