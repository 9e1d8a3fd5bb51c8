import ImprintImaging

/// Where the spectral features look: native-resolution luma crops, never a resized image
/// (resizing destroys the cues). A fixed crop size keeps spectra comparable between images
/// of different sizes, so image size cannot leak into the features.
public struct CropPolicy: Sendable, Equatable {
    /// The crop side in pixels (a power of two).
    public var size = 256
    /// At most this many non-overlapping crops, laid out as a centred grid.
    public var maxCrops = 4
    /// Images whose smaller side is below `size` use one centred crop of the largest power
    /// of two that fits, down to this; smaller images are not analysed.
    public var minimumSize = 64

    public init() {}

    public var description: String {
        "up to \(maxCrops) non-overlapping \(size)x\(size) native-resolution luma crops in a centred grid; smaller images: one centred power-of-two crop (at least \(minimumSize)), outside the validated domain"
    }

    /// The crops' origins and side for an image of `width` × `height`, or nil when too small.
    /// One pixel is kept free on the right and bottom for the cross-difference residual.
    public func layout(width: Int, height: Int) -> (side: Int, origins: [(x: Int, y: Int)])? {
        let usableWidth = width - 1, usableHeight = height - 1
        var side = size
        while side > usableWidth || side > usableHeight {
            side /= 2
            if side < minimumSize { return nil }
        }
        let columns = max(1, min(usableWidth / side, 2)), rows = max(1, min(usableHeight / side, 2))
        let gridWidth = columns * side, gridHeight = rows * side
        let x0 = (usableWidth - gridWidth) / 2, y0 = (usableHeight - gridHeight) / 2
        var origins: [(x: Int, y: Int)] = []
        for row in 0..<rows {
            for column in 0..<columns where origins.count < maxCrops {
                origins.append((x: x0 + column * side, y: y0 + row * side))
            }
        }
        return (side, origins)
    }
}
