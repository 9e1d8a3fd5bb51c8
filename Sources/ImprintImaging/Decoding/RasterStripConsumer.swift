import CImprintCodecs

/// Receives an image's rows in order, a strip of up to 8 at a time, while the image is
/// decoded: for an analysis that reads each pixel once, so that the image it reads need
/// never be held whole (`ImageDecoder.decodeBoth(_:replicatedStrips:)`).
public protocol RasterStripConsumer: AnyObject {
    /// `rowCount` rows of `width` RGB pixels (3 bytes each), the first being row
    /// `firstRow` (a multiple of 8) of an image `height` rows tall. The memory is valid
    /// during the call only.
    func consume(_ rows: UnsafePointer<UInt8>, firstRow: Int, rowCount: Int, width: Int, height: Int)
}

/// Three planes of up to 8 rows each: row r's red pixels at `red + r * stride`, likewise
/// green and blue. The memory is valid during the consumer's call only.
public struct PlanarStrip {
    public let red: UnsafePointer<UInt8>
    public let green: UnsafePointer<UInt8>
    public let blue: UnsafePointer<UInt8>
    public let stride: Int

    public init(red: UnsafePointer<UInt8>, green: UnsafePointer<UInt8>, blue: UnsafePointer<UInt8>, stride: Int) {
        self.red = red
        self.green = green
        self.blue = blue
        self.stride = stride
    }
}

extension PlanarStrip {
    /// `rowCount` rows of `width` pixels as interleaved RGB bytes (for a reader or a test
    /// that wants the raster's layout).
    public func interleaved(rowCount: Int, width: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: max(0, rowCount * width * 3))
        for row in 0..<max(0, rowCount) {
            for x in 0..<max(0, width) {
                let at = row * stride + x, out = (row * width + x) * 3
                pixels[out] = red[at]
                pixels[out + 1] = green[at]
                pixels[out + 2] = blue[at]
            }
        }
        return pixels
    }
}

/// As `RasterStripConsumer`, for a reader that wants the channels apart (the watermark
/// decoder of the replicated-chroma image): the decoder then writes no interleaved
/// pixels for it to take apart again.
public protocol PlanarStripConsumer: AnyObject {
    /// `rowCount` rows of `width` pixels, the first being row `firstRow` (a multiple of 8)
    /// of an image `height` rows tall.
    func consume(_ strip: PlanarStrip, firstRow: Int, rowCount: Int, width: Int, height: Int)
}

/// Carries a consumer through the C decoder's context pointer.
final class RasterStripSink {
    let consumer: any RasterStripConsumer

    init(_ consumer: any RasterStripConsumer) {
        self.consumer = consumer
    }

    /// The C callback: forwards each strip to the consumer behind `context`.
    static let callback: imprint_strip_sink = { context, rows, y0, count, width, height in
        guard let context, let rows, count > 0 else { return }
        let sink = Unmanaged<RasterStripSink>.fromOpaque(context).takeUnretainedValue()
        sink.consumer.consume(rows, firstRow: Int(y0), rowCount: Int(count), width: Int(width), height: Int(height))
    }
}

/// Carries a planar consumer through the C decoder's context pointer.
final class PlanarStripSink {
    let consumer: any PlanarStripConsumer

    init(_ consumer: any PlanarStripConsumer) {
        self.consumer = consumer
    }

    static let callback: imprint_planar_strip_sink = { context, red, green, blue, stride, y0, count, width, height in
        guard let context, let red, let green, let blue, count > 0 else { return }
        let sink = Unmanaged<PlanarStripSink>.fromOpaque(context).takeUnretainedValue()
        sink.consumer.consume(PlanarStrip(red: red, green: green, blue: blue, stride: Int(stride)), firstRow: Int(y0),
                              rowCount: Int(count), width: Int(width), height: Int(height))
    }
}
