import CImprintKernels
import ImprintImaging

/// `PerceptualHashes.compute` of a decode's smooth RGB image, fed strip by strip while
/// the decode writes it (`ImageDecoder.decodeBoth(_:replicatedStrips:smoothStrips:)`).
///
/// Why: PDQ's float luma and Pillow's grey image each read every pixel of the colour
/// image once. Done after the decode, both passes fetch the whole raster back from main
/// memory (36 MB for 12 MP) and wait on it; fed each 8-row strip right after it is
/// written, they read it from cache. Neither full-size plane is held: PDQ's filter is a
/// row stream (`TentRowStream`) and so are `imagehash`'s resizes (`PillowResizeStream`).
/// The rows go through the same arithmetic, so the hashes are the same bits
/// (`PerceptualHashStreamTests` compares them with `compute` of the finished raster).
public final class PerceptualHashStream: RasterStripConsumer {
    public let width: Int
    public let height: Int
    private let tent: TentRowStream?
    /// `imagehash`'s three resizes (aHash, dHash, pHash), fed each strip's grey rows.
    private let resizes: [PillowResizeStream]
    /// One strip's grey rows as 16-bit values, `stride` apart; the slack past each row
    /// stays zero.
    private var strip: [Int16] = []
    private let stride: Int
    private var rowsSeen = 0
    private var failed = false
    private var taken = false

    /// For an RGB image of `width` × `height`. Sizes that `PDQ.hash` treats specially (too
    /// small to hash, or already 64 × 64) are not streamed: `hashes` is then nil.
    public init(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        let (_, overflow) = self.width.multipliedReportingOverflow(by: self.height)
        let streamable = !overflow && width >= PDQ.minimumDimension && height >= PDQ.minimumDimension
            && !(width == 64 && height == 64)
        tent = streamable ? TentRowStream(rows: height, cols: width) : nil
        stride = self.width + PillowImaging.rowSlack
        let sizes = [ImageHashes.averageSize, ImageHashes.differenceSize, ImageHashes.perceptualSize]
        resizes = tent == nil ? [] : sizes.compactMap {
            PillowResizeStream(sourceWidth: width, sourceHeight: height, width: $0.width, height: $0.height)
        }
        failed = tent == nil || resizes.count != sizes.count
    }

    public func consume(_ rows: UnsafePointer<UInt8>, firstRow: Int, rowCount: Int, width: Int, height: Int) {
        guard !failed, let tent, width == self.width, height == self.height, firstRow == rowsSeen, rowCount > 0,
              firstRow + rowCount <= height else {
            failed = true
            return
        }
        if strip.count < rowCount * stride { strip = [Int16](repeating: 0, count: rowCount * stride) }
        let stride = stride
        strip.withUnsafeMutableBufferPointer { strip in
            guard let stripBase = strip.baseAddress else { return }
            for r in 0..<rowCount {
                let line = rows + r * width * 3, greyRow = stripBase + r * stride
                guard let target = tent.nextRow() else {
                    imprint_pillow_grey16(line, 3, width, greyRow)
                    continue
                }
                // Pillow's grey and PDQ's float32 luma from one read of the row (the same
                // values as `PillowImaging.greyRow` and `PDQLuma.fill`; `KernelTests`).
                imprint_pillow_grey16_and_pdq_luma(line, 3, width, greyRow, target)
                tent.commitRow()
            }
            for resize in resizes where !resize.push(stripBase, stride: stride, firstRow: firstRow, count: rowCount) {
                failed = true
            }
        }
        rowsSeen += rowCount
    }

    /// The hashes, once every row arrived in order; nil otherwise (compute them from the
    /// raster instead), and nil on a second call (the stream is spent).
    public func hashes() -> PerceptualHashes? {
        guard !failed, !taken, rowsSeen == height, let tent, resizes.count == 3,
              let average = resizes[0].finish(), let difference = resizes[1].finish(),
              let perceptual = resizes[2].finish() else { return nil }
        taken = true
        return PerceptualHashes(pdq: PDQ.hash(decimated: tent.finish()), phash: ImageHashes.pHash(small: perceptual),
                                dhash: ImageHashes.dHash(small: difference), ahash: ImageHashes.averageHash(small: average))
    }
}
