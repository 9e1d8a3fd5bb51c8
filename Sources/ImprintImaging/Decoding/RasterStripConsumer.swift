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
