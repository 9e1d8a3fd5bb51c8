import CImprintKernels
import ImprintImaging

/// `PerceptualHashes.compute` of a decode's smooth RGB image, fed strip by strip while
/// the decode writes it (`ImageDecoder.decodeBoth(_:replicatedStrips:smoothStrips:)`).
///
/// Why: PDQ's float luma and Pillow's grey image each read every pixel of the colour
/// image once. Done after the decode, both passes fetch the whole raster back from main
/// memory (36 MB for 12 MP) and wait on it; fed each 8-row strip right after it is
/// written, they read it from cache. The rows go through the same PDQ tent stream and
/// the same grey conversion in the same order, so the hashes are the same bits
/// (`PerceptualHashStreamTests` compares them with `compute` of the finished raster).
public final class PerceptualHashStream: RasterStripConsumer {
    public let width: Int
    public let height: Int
    private let tent: TentRowStream?
    private var grey: [UInt8]
    private var rowsSeen = 0
    private var failed = false
    private var taken = false

    /// For an RGB image of `width` × `height`. Sizes that `PDQ.hash` treats specially (too
    /// small to hash, or already 64 × 64) are not streamed: `hashes` is then nil.
    public init(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        let (count, overflow) = self.width.multipliedReportingOverflow(by: self.height)
        let streamable = !overflow && width >= PDQ.minimumDimension && height >= PDQ.minimumDimension
            && !(width == 64 && height == 64)
        tent = streamable ? TentRowStream(rows: height, cols: width) : nil
        // Every byte is written before it is read (`hashes` needs every row), so the
        // buffer is not zero-filled first.
        grey = tent == nil ? [] : [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        failed = tent == nil
    }

    public func consume(_ rows: UnsafePointer<UInt8>, firstRow: Int, rowCount: Int, width: Int, height: Int) {
        guard !failed, let tent, width == self.width, height == self.height, firstRow == rowsSeen, rowCount > 0,
              firstRow + rowCount <= height else {
            failed = true
            return
        }
        grey.withUnsafeMutableBufferPointer { grey in
            guard let greyBase = grey.baseAddress else { return }
            for r in 0..<rowCount {
                let line = rows + r * width * 3, greyRow = greyBase + (firstRow + r) * width
                guard let target = tent.nextRow() else {
                    PillowImaging.greyRow(line, step: 3, count: width, into: greyRow)
                    continue
                }
                // Pillow's grey and PDQ's float32 luma from one read of the row (the same
                // values as `PillowImaging.greyRow` and `PDQLuma.fill`; `KernelTests`).
                imprint_pillow_grey_and_pdq_luma(line, 3, width, greyRow, target)
                tent.commitRow()
            }
        }
        rowsSeen += rowCount
    }

    /// The hashes, once every row arrived in order; nil otherwise (compute them from the
    /// raster instead), and nil on a second call (the stream is spent).
    public func hashes() -> PerceptualHashes? {
        guard !failed, !taken, rowsSeen == height, let tent else { return nil }
        taken = true
        let pdq = PDQ.hash(decimated: tent.finish())
        return PerceptualHashes.compute(pdq: pdq, grey: GreyImage(width: width, height: height, pixels: grey))
    }
}
