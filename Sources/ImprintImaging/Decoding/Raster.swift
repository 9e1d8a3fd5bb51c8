/// Decoded pixels, 8 bits per channel, row-major, shared by every pixel analyzer of a file.
public struct Raster: Sendable, Equatable {
    public enum Layout: Int, Sendable {
        case luma = 1, rgb = 3, rgba = 4
    }

    public var width: Int
    public var height: Int
    public var layout: Layout
    public var pixels: [UInt8]
    /// The full-size dimensions of the image this raster was decoded from (DCT scaling
    /// gives a smaller raster of the same image).
    public var sourceWidth: Int
    public var sourceHeight: Int
    /// Recoverable decoder warnings (corrupt data worked around), with the first message.
    public var warnings: Int
    public var warningMessage: String?

    public init(width: Int, height: Int, layout: Layout, pixels: [UInt8], sourceWidth: Int? = nil,
                sourceHeight: Int? = nil, warnings: Int = 0, warningMessage: String? = nil) {
        self.width = width
        self.height = height
        self.layout = layout
        self.pixels = pixels
        self.sourceWidth = sourceWidth ?? width
        self.sourceHeight = sourceHeight ?? height
        self.warnings = warnings
        self.warningMessage = warningMessage
    }

    public var channels: Int { layout.rawValue }

    /// Luma (ITU-R BT.601 weights, as JPEG's YCbCr uses), one byte per pixel.
    public func luma() -> Raster {
        if layout == .luma { return self }
        return luma(x: 0, y: 0, width: width, height: height)
    }

    /// The luma of one region (ITU-R 601 weights, rounded), for analyzers that need only
    /// part of the image. The region is clamped to the image. `sourceWidth`/`sourceHeight`
    /// stay those of the whole image.
    public func luma(x: Int, y: Int, width regionWidth: Int, height regionHeight: Int) -> Raster {
        let x0 = min(max(x, 0), width), y0 = min(max(y, 0), height)
        let w = max(0, min(regionWidth, width - x0)), h = max(0, min(regionHeight, height - y0))
        var out = [UInt8](repeating: 0, count: w * h)
        let step = channels
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                guard let from = source.baseAddress, let to = target.baseAddress,
                      source.count >= width * height * step else { return }
                for row in 0..<h {
                    let line = from + ((y0 + row) * width + x0) * step
                    if step == 1 {
                        (to + row * w).update(from: line, count: w)
                    } else {
                        Self.lumaRow(line, step: step, count: w, into: to + row * w)
                    }
                }
            }
        }
        return Raster(width: w, height: h, layout: .luma, pixels: out, sourceWidth: sourceWidth,
                      sourceHeight: sourceHeight, warnings: warnings, warningMessage: warningMessage)
    }

    /// ITU-R 601 luma, `(299 R + 587 G + 114 B + 500) / 1000`, of `count` pixels of `step`
    /// (3 or 4) bytes, with constant strides so that the loop vectorises.
    public static func lumaRow(_ source: UnsafePointer<UInt8>, step: Int, count: Int, into target: UnsafeMutablePointer<UInt8>) {
        @inline(__always)
        func luma(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
            UInt8(truncatingIfNeeded: (UInt32(r) &* 299 &+ UInt32(g) &* 587 &+ UInt32(b) &* 114 &+ 500) / 1000)
        }
        if step == 3 {
            for i in 0..<count { target[i] = luma(source[i * 3], source[i * 3 + 1], source[i * 3 + 2]) }
        } else if step == 4 {
            for i in 0..<count { target[i] = luma(source[i * 4], source[i * 4 + 1], source[i * 4 + 2]) }
        } else {
            for i in 0..<count { target[i] = luma(source[i * step], source[i * step + 1], source[i * step + 2]) }
        }
    }

    /// Area-average downscale of a luma raster to `targetWidth` × `targetHeight`.
    public func resizedLuma(width targetWidth: Int, height targetHeight: Int) -> [Double] {
        let source = luma()
        guard targetWidth > 0, targetHeight > 0, source.width > 0, source.height > 0 else { return [] }
        var out = [Double](repeating: 0, count: targetWidth * targetHeight)
        for ty in 0..<targetHeight {
            let y0 = ty * source.height / targetHeight
            let y1 = max(y0 + 1, (ty + 1) * source.height / targetHeight)
            for tx in 0..<targetWidth {
                let x0 = tx * source.width / targetWidth
                let x1 = max(x0 + 1, (tx + 1) * source.width / targetWidth)
                var sum = 0
                for y in y0..<min(y1, source.height) {
                    let row = y * source.width
                    for x in x0..<min(x1, source.width) { sum += Int(source.pixels[row + x]) }
                }
                out[ty * targetWidth + tx] = Double(sum) / Double((min(y1, source.height) - y0) * (min(x1, source.width) - x0))
            }
        }
        return out
    }
}

/// Quantised DCT coefficients of a JPEG, per component (for compression analysis).
public struct JPEGCoefficients: Sendable {
    public struct Component: Sendable {
        public var widthInBlocks: Int
        public var heightInBlocks: Int
        public var quantizationTableIndex: Int
        /// The component's quantisation table in natural order.
        public var quantizationTable: [UInt16]
        /// 64 coefficients per block, natural order, blocks row-major.
        public var coefficients: [Int16]
    }

    public var imageWidth: Int
    public var imageHeight: Int
    public var components: [Component]
}
