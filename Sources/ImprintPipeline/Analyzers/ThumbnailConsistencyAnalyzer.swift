import Foundation
import ImprintBytes
import ImprintCase
import ImprintImaging

/// Compares the EXIF thumbnail with the image. Cameras write both from the same capture;
/// an editor that changes the pixels often leaves the old thumbnail in place, so a
/// thumbnail that shows something else is a classic sign of editing (or of EXIF copied
/// from another file).
///
/// Both are reduced to 16 × 16 luma (the thumbnail after trimming letterbox bars) and
/// compared by Pearson correlation; the aspect ratios are compared too.
public struct ThumbnailConsistencyAnalyzer: StreamsSharedImage {
    public let id = "metadata.thumbnail"
    /// 1.1.0: the image comes from the shared full decode (area-averaged) when one exists.
    public let version = "1.1.0"
    public let needsPixels = true

    /// Below this correlation the thumbnail is reported as not matching.
    public var correlationThreshold = 0.75
    /// Aspect ratios further apart than this (relative) are reported.
    public var aspectTolerance = 0.15
    static let grid = 16
    /// Measured on ../shared/corpus (2026-11): camera originals with a thumbnail, and the
    /// same photos after a dataset's crop-and-resize that kept their EXIF.
    static let validation = "../shared/corpus 2026-11: 0 of 43 camera originals flagged; 20 of 21 cropped-and-resized copies flagged"

    public init() {}

    public var parameters: JSONValue {
        .object(["correlationThreshold": .double(correlationThreshold), "aspectTolerance": .double(aspectTolerance),
                 "grid": .integer(Self.grid)])
    }

    /// The decoded EXIF thumbnail and the reduction of the image to compare it with, or nil
    /// when there is nothing to compare.
    private func thumbnailAndScale(_ artifact: Artifact) -> (thumbnail: Raster, scale: Int)? {
        guard artifact.format == .jpeg || artifact.format == .png,
              let thumbnailBytes = artifact.exif?.thumbnail, thumbnailBytes.count > 100,
              FormatSniffer.sniff(thumbnailBytes) == .jpeg else { return nil }
        // A thumbnail that cannot be decoded is not this analyzer's finding to make.
        guard let thumbnail = try? ImageDecoder(maxPixels: 4_000_000).decode(thumbnailBytes, format: .jpeg, luma: true) else {
            return nil
        }
        let fullWidth = artifact.container.width ?? 0
        return (thumbnail, Self.scaleDenominator(imageWidth: fullWidth, thumbnailWidth: thumbnail.width))
    }

    /// A JPEG's reduced image is taken from the shared decode's strips as they pass, so
    /// the full-size image need not be kept for it.
    public func prepare(_ artifact: Artifact) {
        guard artifact.format == .jpeg, let (thumbnail, scale) = thumbnailAndScale(artifact) else { return }
        artifact.streamSmooth(key: id) { width, height in ThumbnailComparisonStrips(thumbnail: thumbnail, width: width, height: height, scale: scale) }
    }

    public func analyze(_ artifact: Artifact) throws -> [Finding] {
        let thumbnail: Raster, image: Raster
        if let streamed = artifact.streamedSmooth(key: id) as? ThumbnailComparisonStrips, let reduced = streamed.reduction.raster {
            (thumbnail, image) = (streamed.thumbnail, reduced)
        } else {
            guard let (decoded, scale) = thumbnailAndScale(artifact) else { return [] }
            // A main image that cannot be decoded is recorded once, as the file's decode error.
            guard let reduced = try? artifact.raster(scaleDenominator: scale, luma: true) else { return [] }
            (thumbnail, image) = (decoded, reduced)
        }
        let trimmed = Self.trimmingBars(thumbnail)
        guard trimmed.width >= 8, trimmed.height >= 8, image.width >= 8, image.height >= 8 else { return [] }

        let imageAspect = Double(image.width) / Double(image.height)
        let thumbAspect = Double(trimmed.width) / Double(trimmed.height)
        // A thumbnail of the unrotated image has the swapped aspect of a rotated one.
        let aspectDifference = min(abs(thumbAspect / imageAspect - 1), abs(thumbAspect * imageAspect - 1))
        let a = image.resizedLuma(width: Self.grid, height: Self.grid)
        let b = trimmed.resizedLuma(width: Self.grid, height: Self.grid)
        var correlation = Self.correlation(a, b)
        // Compare also with the thumbnail turned a quarter either way (rotated exports).
        if abs(thumbAspect * imageAspect - 1) < abs(thumbAspect / imageAspect - 1) {
            let quarter = Self.rotate(b, size: Self.grid)
            let threeQuarters = Self.rotate(Self.rotate(quarter, size: Self.grid), size: Self.grid)
            correlation = max(correlation, Self.correlation(a, quarter), Self.correlation(a, threeQuarters))
        }
        // IFD1 JPEGInterchangeFormat is relative to the TIFF header, which starts at exifOffset.
        let within = artifact.exif?.tag(0x0201, in: "IFD1")?.value.firstInteger
        let location: JSONValue = .object(["element": .string("EXIF IFD1 thumbnail"),
                                           "offset": (artifact.container.exifOffset.flatMap { base in within.map { JSONValue.int(Int64(base) + $0) } }) ?? .null,
                                           "length": .integer(artifact.exif?.thumbnail?.count ?? 0)])
        let details: JSONValue = .object([
            .init("correlation", .double((correlation * 10_000).rounded() / 10_000)),
            .init("threshold", .double(correlationThreshold)),
            .init("thumbnailWidth", .integer(thumbnail.width)), .init("thumbnailHeight", .integer(thumbnail.height)),
            .init("imageAspect", .double((imageAspect * 1000).rounded() / 1000)),
            .init("thumbnailAspect", .double((thumbAspect * 1000).rounded() / 1000)),
            .init("aspectTolerance", .double(aspectTolerance)),
            .init("validation", .string(Self.validation)),
        ])
        if correlation < correlationThreshold {
            return [Finding(analyzer: id, analyzerVersion: version, category: .metadata, label: "metadata.thumbnail-mismatch",
                            strength: correlation < 0.5 ? .strong : .moderate, score: min(1, max(0, 1 - correlation)),
                            summary: String(format: "The embedded EXIF thumbnail does not show the same picture as the image (correlation %.2f, threshold %.2f): the pixels were changed after the thumbnail was made, or the EXIF came from another file.", correlation, correlationThreshold),
                            details: details, location: location)]
        }
        if aspectDifference > aspectTolerance {
            return [Finding(analyzer: id, analyzerVersion: version, category: .metadata, label: "metadata.thumbnail-mismatch",
                            strength: .weak, score: min(1, aspectDifference),
                            summary: String(format: "The EXIF thumbnail has another shape than the image (aspect %.2f vs %.2f): the image was likely cropped after capture.", thumbAspect, imageAspect),
                            details: details, location: location)]
        }
        return []
    }

    /// The largest DCT scale that still leaves the image at least twice the thumbnail's width.
    static func scaleDenominator(imageWidth: Int, thumbnailWidth: Int) -> Int {
        for denominator in [8, 4, 2] where imageWidth / denominator >= 2 * max(thumbnailWidth, 16) { return denominator }
        return 1
    }

    /// Removes near-black bars on the edges (cameras letterbox thumbnails to 160 × 120).
    static func trimmingBars(_ raster: Raster) -> Raster {
        let luma = raster.luma()
        func rowMean(_ y: Int) -> Double {
            Double(luma.pixels[(y * luma.width)..<((y + 1) * luma.width)].reduce(0) { $0 + Int($1) }) / Double(luma.width)
        }
        func columnMean(_ x: Int, _ top: Int, _ bottom: Int) -> Double {
            var sum = 0
            for y in top..<bottom { sum += Int(luma.pixels[y * luma.width + x]) }
            return Double(sum) / Double(max(bottom - top, 1))
        }
        var top = 0, bottom = luma.height
        while top < bottom - 1 && rowMean(top) < 12 { top += 1 }
        while bottom - 1 > top && rowMean(bottom - 1) < 12 { bottom -= 1 }
        var left = 0, right = luma.width
        while left < right - 1 && columnMean(left, top, bottom) < 12 { left += 1 }
        while right - 1 > left && columnMean(right - 1, top, bottom) < 12 { right -= 1 }
        if top == 0 && bottom == luma.height && left == 0 && right == luma.width { return luma }
        var pixels: [UInt8] = []
        pixels.reserveCapacity((bottom - top) * (right - left))
        for y in top..<bottom { pixels += luma.pixels[(y * luma.width + left)..<(y * luma.width + right)] }
        return Raster(width: right - left, height: bottom - top, layout: .luma, pixels: pixels)
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        let meanA = a.reduce(0, +) / Double(a.count), meanB = b.reduce(0, +) / Double(b.count)
        var covariance = 0.0, varianceA = 0.0, varianceB = 0.0
        for index in a.indices {
            let da = a[index] - meanA, db = b[index] - meanB
            covariance += da * db
            varianceA += da * da
            varianceB += db * db
        }
        // Two flat images are alike; a flat and a textured one are not.
        if varianceA < 1e-9 && varianceB < 1e-9 { return 1 }
        guard varianceA > 1e-9, varianceB > 1e-9 else { return 0 }
        return covariance / (varianceA * varianceB).squareRoot()
    }

    static func rotate(_ grid: [Double], size: Int) -> [Double] {
        var out = grid
        for y in 0..<size { for x in 0..<size { out[x * size + (size - 1 - y)] = grid[y * size + x] } }
        return out
    }
}

/// The EXIF thumbnail decoded in `prepare`, and the image reduced to compare with it
/// from the shared decode's strips (`Artifact.derive`'s reduction, the same pixels).
final class ThumbnailComparisonStrips: RasterStripConsumer {
    let thumbnail: Raster
    let reduction: AreaReductionCollector

    init(thumbnail: Raster, width: Int, height: Int, scale: Int) {
        self.thumbnail = thumbnail
        reduction = AreaReductionCollector(width: width, height: height, scaleDenominator: scale, luma: true)
    }

    func consume(_ rows: UnsafePointer<UInt8>, firstRow: Int, rowCount: Int, width: Int, height: Int) {
        reduction.consume(rows, firstRow: firstRow, rowCount: rowCount, width: width, height: height)
    }
}
