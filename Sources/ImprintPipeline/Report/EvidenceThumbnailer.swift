import Crypto
import ImprintBytes
import ImprintCase
import ImprintImaging

/// A thumbnail made for a report.
public struct EvidenceThumbnail: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case pixelated, clear, placeholder
    }
    public var kind: Kind
    public var mimeType: String
    public var bytes: [UInt8]
    public var width: Int
    public var height: Int
    public var reason: String?

    static func placeholder(_ reason: String) -> EvidenceThumbnail {
        EvidenceThumbnail(kind: .placeholder, mimeType: "", bytes: [], width: 0, height: 0, reason: reason)
    }
}

/// Makes report thumbnails from the evidence, read-only and link-safe (the same
/// open-beneath-root path as `verify`), only after the bytes read hash to the recorded
/// SHA-256, so a thumbnail always shows the recorded evidence.
///
/// By default the image becomes a mosaic of at most `mosaicBlocks` blocks across its short
/// side (CUSTODY-AND-EXCHANGE.md §7: pixelated beyond recognition), drawn at 96 pixels on
/// the long side so any viewer shows the blocks, not a smoothed blur. Clear thumbnails
/// (160 pixels on the long side, JPEG) are made only when the caller reveals.
public struct EvidenceThumbnailer: Sendable {
    public static let defaultMosaicBlocks = 8
    public static let mosaicSize = 96
    public static let clearSize = 160

    public var mosaicBlocks: Int
    public var reveal: Bool
    public var maxPixels: Int
    public var maxInMemoryBytes: Int

    public init(mosaicBlocks: Int = defaultMosaicBlocks, reveal: Bool = false, maxPixels: Int = 100_000_000,
                maxInMemoryBytes: Int = 256 << 20) {
        self.mosaicBlocks = max(1, mosaicBlocks)
        self.reveal = reveal
        self.maxPixels = maxPixels
        self.maxInMemoryBytes = maxInMemoryBytes
    }

    /// The file as recorded: its exhibit root, path bytes, SHA-256 and dimensions.
    public struct Target: Sendable {
        public var fileID: Int64
        public var rootPath: [UInt8]
        public var path: [UInt8]
        public var sha256: String?
        public var width: Int?
        public var height: Int?

        public init(fileID: Int64, rootPath: [UInt8], path: [UInt8], sha256: String?, width: Int?, height: Int?) {
            self.fileID = fileID
            self.rootPath = rootPath
            self.path = path
            self.sha256 = sha256
            self.width = width
            self.height = height
        }
    }

    /// Thumbnails for `targets`, made `jobs` at a time; the result does not depend on the order of work.
    public func thumbnails(_ targets: [Target], jobs: Int = Ingest.defaultJobs) async -> [Int64: EvidenceThumbnail] {
        await withTaskGroup(of: (Int64, EvidenceThumbnail).self) { group in
            var out: [Int64: EvidenceThumbnail] = [:]
            var next = 0
            func add(_ group: inout TaskGroup<(Int64, EvidenceThumbnail)>) {
                let target = targets[next]
                next += 1
                group.addTask { (target.fileID, self.thumbnail(target)) }
            }
            while next < targets.count && next < max(1, jobs) { add(&group) }
            while let (id, thumb) = await group.next() {
                out[id] = thumb
                if next < targets.count { add(&group) }
            }
            return out
        }
    }

    public func thumbnail(_ target: Target) -> EvidenceThumbnail {
        guard let recorded = target.sha256 else { return .placeholder("not read at ingest") }
        let bytes: [UInt8]
        switch read(target) {
        case .failure(let failure): return .placeholder(failure.reason)
        case .success(let read): bytes = read
        }
        guard Hex.encode(sha256(bytes)) == recorded else { return .placeholder("changed since ingest; not shown") }
        return thumbnail(bytes: bytes, width: target.width, height: target.height)
    }

    /// The thumbnail of image bytes already checked against the record.
    public func thumbnail(bytes: [UInt8], width: Int?, height: Int?) -> EvidenceThumbnail {
        let format = FormatSniffer.sniff(bytes)
        guard ImageDecoder.canDecode(format) else {
            return .placeholder(format.isImage ? "\(format.rawValue): not decoded by imprint" : "not an image")
        }
        let decoder = ImageDecoder(maxPixels: maxPixels)
        // JPEG: let libjpeg scale in the DCT domain while the short side stays generous.
        var scale = 1
        if format == .jpeg, let width, let height {
            let needed = reveal ? Self.clearSize * 2 : mosaicBlocks * 8
            for candidate in [8, 4, 2] where min(width, height) / candidate >= needed {
                scale = candidate
                break
            }
        }
        let raster: Raster
        do {
            raster = try decoder.decode(bytes, format: format, scaleDenominator: scale)
        } catch {
            return .placeholder("cannot be decoded (\(error.code))")
        }
        guard raster.width > 0, raster.height > 0 else { return .placeholder("empty image") }
        do {
            if reveal {
                let small = Self.resize(raster, longSide: Self.clearSize)
                return EvidenceThumbnail(kind: .clear, mimeType: "image/jpeg", bytes: try ImageEncoder.jpeg(small, quality: 85),
                                         width: small.width, height: small.height)
            }
            let mosaic = Self.mosaic(raster, blocksOnShortSide: mosaicBlocks, longSide: Self.mosaicSize)
            return EvidenceThumbnail(kind: .pixelated, mimeType: "image/png", bytes: try ImageEncoder.png(mosaic),
                                     width: mosaic.width, height: mosaic.height)
        } catch {
            return .placeholder("thumbnail could not be encoded")
        }
    }

    private func read(_ target: Target) -> Result<[UInt8], ReadFailure> {
        guard case .success(let root) = DirectoryHandle.openRoot(target.rootPath) else {
            return .failure(ReadFailure(reason: "evidence folder not accessible"))
        }
        let components = target.path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
        guard let name = components.last else { return .failure(ReadFailure(reason: "recorded path is empty")) }
        let parent = components.dropLast().joined(separator: [UInt8(ascii: "/")]).map { $0 }
        let directory: DirectoryHandle
        switch parent.isEmpty ? .success(root) : root.openBeneath(parent) {
        case .success(let handle): directory = handle
        case .failure: return .failure(ReadFailure(reason: "missing from its recorded location"))
        }
        guard case .success(let stat) = POSIX.lstatAt(directory.fd, name), stat.kind == .file else {
            return .failure(ReadFailure(reason: "missing from its recorded location"))
        }
        let entry = WalkEntry(directory: directory, name: name, path: target.path, stat: stat, linkTarget: nil, error: nil)
        let outcome = EvidenceReader(maxInMemoryBytes: maxInMemoryBytes).read(entry)
        guard let bytes = outcome.bytes else {
            return .failure(ReadFailure(reason: outcome.errors.first.map { "not read (\($0.code))" } ?? "too large to show"))
        }
        return .success(bytes)
    }

    struct ReadFailure: Error {
        var reason: String
    }

    private func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    /// Area-averaged colour blocks, at most `blocksOnShortSide` across the short side, each
    /// drawn as a solid square; the output's long side is `longSide` pixels.
    static func mosaic(_ raster: Raster, blocksOnShortSide: Int, longSide: Int) -> Raster {
        let rgb = rgbPixels(raster)
        let shortSide = min(raster.width, raster.height)
        let blocks = max(1, min(blocksOnShortSide, shortSide))
        let blockSize = Double(shortSide) / Double(blocks)
        let columns = max(1, Int((Double(raster.width) / blockSize).rounded()))
        let rows = max(1, Int((Double(raster.height) / blockSize).rounded()))
        let colours = Self.areaAverage(rgb, width: raster.width, height: raster.height, columns: columns, rows: rows)
        // Square blocks of equal size: the long side is the block count times the block size.
        let cell = max(1, longSide / max(columns, rows))
        let width = columns * cell, height = rows * cell
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let source = ((y / cell) * columns + x / cell) * 3
                let target = (y * width + x) * 3
                pixels[target] = colours[source]; pixels[target + 1] = colours[source + 1]; pixels[target + 2] = colours[source + 2]
            }
        }
        return Raster(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// Area-average reduction to `longSide` pixels on the long side (never enlarged).
    static func resize(_ raster: Raster, longSide: Int) -> Raster {
        let factor = min(1, Double(longSide) / Double(max(raster.width, raster.height)))
        let width = max(1, Int((Double(raster.width) * factor).rounded())), height = max(1, Int((Double(raster.height) * factor).rounded()))
        let pixels = areaAverage(rgbPixels(raster), width: raster.width, height: raster.height, columns: width, rows: height)
        return Raster(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// RGB `rgb` of `width` x `height` averaged over a `columns` x `rows` grid of areas
    /// (rounded means), one RGB triple per area: the mosaic's blocks and the resize's pixels.
    static func areaAverage(_ rgb: [UInt8], width: Int, height: Int, columns: Int, rows: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: columns * rows * 3)
        for ty in 0..<rows {
            let y0 = ty * height / rows, y1 = min(max(y0 + 1, (ty + 1) * height / rows), height)
            for tx in 0..<columns {
                let x0 = tx * width / columns, x1 = min(max(x0 + 1, (tx + 1) * width / columns), width)
                var sum = (0, 0, 0)
                for y in y0..<y1 {
                    for x in x0..<x1 {
                        let i = (y * width + x) * 3
                        sum.0 += Int(rgb[i]); sum.1 += Int(rgb[i + 1]); sum.2 += Int(rgb[i + 2])
                    }
                }
                let n = max(1, (y1 - y0) * (x1 - x0))
                let at = (ty * columns + tx) * 3
                out[at] = UInt8((sum.0 + n / 2) / n); out[at + 1] = UInt8((sum.1 + n / 2) / n); out[at + 2] = UInt8((sum.2 + n / 2) / n)
            }
        }
        return out
    }

    /// RGB bytes of any raster: grey replicated, alpha composited over mid-grey.
    static func rgbPixels(_ raster: Raster) -> [UInt8] {
        let count = raster.width * raster.height
        switch raster.layout {
        case .rgb: return raster.pixels
        case .luma:
            var out = [UInt8](repeating: 0, count: count * 3)
            for i in 0..<count { out[i * 3] = raster.pixels[i]; out[i * 3 + 1] = raster.pixels[i]; out[i * 3 + 2] = raster.pixels[i] }
            return out
        case .rgba:
            var out = [UInt8](repeating: 0, count: count * 3)
            for i in 0..<count {
                let alpha = Int(raster.pixels[i * 4 + 3])
                for c in 0..<3 {
                    out[i * 3 + c] = UInt8((Int(raster.pixels[i * 4 + c]) * alpha + 128 * (255 - alpha) + 127) / 255)
                }
            }
            return out
        }
    }
}
