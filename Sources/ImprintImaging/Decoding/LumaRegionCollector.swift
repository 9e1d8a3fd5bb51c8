/// The luma of rectangular regions of an image, gathered from a decode's RGB strips
/// (`RasterStripConsumer`): each region's pixels equal `Raster.luma(x:y:width:height:)`
/// of the whole image, clamped the same way, without the image ever being held whole.
public final class LumaRegionCollector: RasterStripConsumer {
    public struct Region: Sendable, Equatable {
        public var x: Int
        public var y: Int
        public var width: Int
        public var height: Int

        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
    }

    public let width: Int
    public let height: Int
    /// The regions as asked for, clamped to the image as `Raster.luma` clamps them.
    public let regions: [Region]
    private var buffers: [[UInt8]]
    /// The rows seen so far (the next strip must start here).
    public private(set) var rowsSeen = 0
    /// Set when a strip came out of order or did not fit: the regions are then not used.
    public private(set) var failed = false

    public init(width: Int, height: Int, regions: [Region]) {
        self.width = max(0, width)
        self.height = max(0, height)
        let (imageWidth, imageHeight) = (self.width, self.height)
        self.regions = regions.map { region in
            let x0 = min(max(region.x, 0), imageWidth), y0 = min(max(region.y, 0), imageHeight)
            return Region(x: x0, y: y0, width: max(0, min(region.width, imageWidth - x0)),
                          height: max(0, min(region.height, imageHeight - y0)))
        }
        buffers = self.regions.map { [UInt8](repeating: 0, count: $0.width * $0.height) }
    }

    public func consume(_ rows: UnsafePointer<UInt8>, firstRow: Int, rowCount: Int, width: Int, height: Int) {
        guard !failed, width == self.width, height == self.height, firstRow == rowsSeen, rowCount > 0,
              firstRow + rowCount <= height else {
            failed = true
            return
        }
        rowsSeen += rowCount
        for (index, region) in regions.enumerated() {
            let first = max(firstRow, region.y), end = min(firstRow + rowCount, region.y + region.height)
            guard first < end, region.width > 0 else { continue }
            buffers[index].withUnsafeMutableBufferPointer { buffer in
                guard let target = buffer.baseAddress else { return }
                for y in first..<end {
                    Raster.lumaRow(rows + ((y - firstRow) * width + region.x) * 3, step: 3, count: region.width,
                                   into: target + (y - region.y) * region.width)
                }
            }
        }
    }

    /// The regions' luma once every row arrived in order (in `regions` order); nil otherwise.
    public var rasters: [Raster]? {
        guard !failed, rowsSeen == height else { return nil }
        return zip(regions, buffers).map { region, pixels in
            Raster(width: region.width, height: region.height, layout: .luma, pixels: pixels, sourceWidth: width, sourceHeight: height)
        }
    }
}
