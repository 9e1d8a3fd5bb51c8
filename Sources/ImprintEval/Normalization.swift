import ImprintImaging

/// Re-encodes every input the same way before scoring (`--normalize jpeg:90,maxside:512`),
/// so that neither the file format, the encoder and its quality, nor the image size can
/// tell the classes apart. Published detector figures are often inflated by exactly those
/// leaks (generated sets as PNG, real sets as camera JPEG; fixed generator sizes).
public struct Normalization: Sendable, Equatable, CustomStringConvertible {
    public enum Encoding: Sendable, Equatable {
        case jpeg(quality: Int)
        case png
    }

    public var encoding: Encoding
    /// Longest side after an area-average downscale (never upscaled); nil keeps the size.
    public var maxSide: Int?

    public init(encoding: Encoding, maxSide: Int? = nil) {
        self.encoding = encoding
        self.maxSide = maxSide
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Parses `jpeg:Q` or `png`, optionally followed by `,maxside:N`.
    public static func parse(_ text: String) throws(ParseError) -> Normalization {
        var encoding: Encoding?
        var maxSide: Int?
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            let pieces = part.split(separator: ":", maxSplits: 1).map(String.init)
            switch (pieces.first, pieces.count) {
            case ("jpeg", 2):
                guard let quality = Int(pieces[1]), (1...100).contains(quality) else { throw ParseError(description: "jpeg quality must be 1…100 in '\(part)'") }
                encoding = .jpeg(quality: quality)
            case ("png", 1): encoding = .png
            case ("maxside", 2):
                guard let side = Int(pieces[1]), (16...65_536).contains(side) else { throw ParseError(description: "maxside must be 16…65536 in '\(part)'") }
                maxSide = side
            default: throw ParseError(description: "unknown normalisation '\(part)' (expected jpeg:Q, png, maxside:N)")
            }
        }
        guard let encoding else { throw ParseError(description: "give an encoding: jpeg:Q or png") }
        return Normalization(encoding: encoding, maxSide: maxSide)
    }

    public var description: String {
        let head: String
        switch encoding {
        case .jpeg(let quality): head = "jpeg:\(quality)"
        case .png: head = "png"
        }
        return head + (maxSide.map { ",maxside:\($0)" } ?? "")
    }

    /// The re-encoded file: decoded (no EXIF rotation, alpha dropped), reduced if needed,
    /// encoded with libjpeg-turbo (4:2:0, standard Huffman tables) or libpng. No metadata
    /// survives.
    public func apply(_ raster: Raster) throws(ImageEncoder.EncodeError) -> [UInt8] {
        var image = raster.droppingAlpha()
        if image.layout == .luma { image = Self.expandGrey(image) }
        if let maxSide, max(image.width, image.height) > maxSide {
            let scale = Double(maxSide) / Double(max(image.width, image.height))
            image = Self.areaResize(image, width: max(1, Int((Double(image.width) * scale).rounded())),
                                    height: max(1, Int((Double(image.height) * scale).rounded())))
        }
        switch encoding {
        case .jpeg(let quality): return try ImageEncoder.jpeg(image, quality: quality)
        case .png: return try ImageEncoder.png(image)
        }
    }

    static func expandGrey(_ raster: Raster) -> Raster {
        var pixels = [UInt8](repeating: 0, count: raster.width * raster.height * 3)
        for index in 0..<(raster.width * raster.height) {
            let value = raster.pixels[index]
            pixels[index * 3] = value
            pixels[index * 3 + 1] = value
            pixels[index * 3 + 2] = value
        }
        return Raster(width: raster.width, height: raster.height, layout: .rgb, pixels: pixels)
    }

    /// Area-average (box) reduction with fractional pixel coverage, per channel.
    static func areaResize(_ source: Raster, width: Int, height: Int) -> Raster {
        let channels = source.channels
        let scaleX = Double(source.width) / Double(width), scaleY = Double(source.height) / Double(height)
        var out = [UInt8](repeating: 0, count: width * height * channels)
        for y in 0..<height {
            let top = Double(y) * scaleY, bottom = Double(y + 1) * scaleY
            for x in 0..<width {
                let left = Double(x) * scaleX, right = Double(x + 1) * scaleX
                var sums = [Double](repeating: 0, count: channels)
                var area = 0.0
                var sy = Int(top)
                while Double(sy) < bottom && sy < source.height {
                    let coverY = min(bottom, Double(sy + 1)) - max(top, Double(sy))
                    var sx = Int(left)
                    while Double(sx) < right && sx < source.width {
                        let cover = coverY * (min(right, Double(sx + 1)) - max(left, Double(sx)))
                        let base = (sy * source.width + sx) * channels
                        for channel in 0..<channels { sums[channel] += cover * Double(source.pixels[base + channel]) }
                        area += cover
                        sx += 1
                    }
                    sy += 1
                }
                for channel in 0..<channels {
                    out[(y * width + x) * channels + channel] = UInt8(clamping: Int((sums[channel] / max(area, 1e-9)).rounded()))
                }
            }
        }
        return Raster(width: width, height: height, layout: source.layout, pixels: out)
    }
}
