import Foundation
import ImprintDetectors
import ImprintImaging
import ImprintPipeline

/// What imprint's own detectors see in one file: the compression profile, the spectral
/// features and the facts of the shortcut baseline (format, quality, size, bytes, EXIF).
public struct ItemObservation: Sendable {
    public var format: ImageFormat
    public var byteCount: Int
    public var width: Int
    public var height: Int
    public var profile: CompressionProfile?
    public var spectral: SpectralFeatures?
    public var errors: [String]

    /// The shortcut baseline's inputs (SYNTHETIC-DETECTION §7.4): things that say nothing
    /// about pixels, only about how the file was packaged.
    public var shortcutFeatures: [Double] {
        let quality = profile?.quantization?.quality ?? 100
        return [format == .jpeg ? 1 : 0, format == .png ? 1 : 0, quality / 100,
                log(Double(max(width, 1))), log(Double(max(height, 1))), log(Double(max(byteCount, 1))),
                profile?.exif.fraction ?? 0]
    }

    /// Reads one file's bytes (already in memory) the way `imprint analyze` does.
    public static func observe(bytes: [UInt8], name: String, decoder: ImageDecoder = ImageDecoder(),
                               policy: CropPolicy = CropPolicy()) -> ItemObservation {
        let format = FormatSniffer.sniff(Array(bytes.prefix(64)))
        let artifact = Artifact(path: Array(name.utf8), name: Array(name.utf8), bytes: bytes, format: format, decoder: decoder)
        var observation = ItemObservation(format: format, byteCount: bytes.count, width: 0, height: 0, profile: nil,
                                          spectral: nil, errors: [])
        guard format.isImage else {
            observation.errors.append("not an image (\(format.rawValue))")
            return observation
        }
        let container = artifact.container
        observation.width = container.width ?? 0
        observation.height = container.height ?? 0
        observation.profile = CompressionProfile.read(container, metadata: artifact.metadata)
        do {
            // As `synthetic.score` does during ingest: the shared full colour decode, whose
            // crops `SpectralFeatures` converts to luma, so the features are identical.
            let raster = try artifact.raster()
            observation.width = raster.sourceWidth
            observation.height = raster.sourceHeight
            observation.spectral = try SpectralFeatures.compute(raster, policy: policy)
        } catch let error as DecodeError {
            observation.errors.append("decode: \(error.description)")
        } catch {
            observation.errors.append("features: \(error)")
        }
        return observation
    }
}

/// Reads an input file for evaluation: read-only, bounded.
enum InputFile {
    static let maxBytes = 512 << 20

    static func read(_ path: String) -> Result<[UInt8], EvalError> {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(.input("\(path) cannot be opened")) }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: maxBytes + 1) ?? Data()
            guard data.count <= maxBytes else { return .failure(.input("\(path) is larger than \(maxBytes >> 20) MiB")) }
            return .success([UInt8](data))
        } catch {
            return .failure(.input("\(path): \(error)"))
        }
    }
}

public enum EvalError: Error, Sendable, CustomStringConvertible {
    case input(String)
    case output(String)
    case usage(String)

    public var description: String {
        switch self {
        case .input(let why), .output(let why), .usage(let why): return why
        }
    }
}
