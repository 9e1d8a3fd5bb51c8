import ImprintImaging

/// Real PNG images with well-spread PDQ hashes, for tests that need near-duplicates.
public enum PatternImages {
    /// A 12 × 12 grid of random grey blocks chosen by `pattern` (so PDQ's coefficients
    /// spread well away from their median), with fine noise; a non-zero `patch` brightens
    /// one small corner, a stand-in for a re-save that keeps the image a near-duplicate.
    public static func png(pattern: UInt32, patch: Int = 0, size: Int = 96) throws -> [UInt8] {
        try ImageEncoder.png(raster(pattern: pattern, patch: patch, size: size))
    }

    /// The same image rotated 90° counter-clockwise (a "rotated repost").
    public static func rotatedPNG(pattern: UInt32, patch: Int = 0, size: Int = 96) throws -> [UInt8] {
        let source = raster(pattern: pattern, patch: patch, size: size)
        var pixels = [UInt8](repeating: 0, count: source.pixels.count)
        // Output (x, y) shows source (size - 1 - y, x): a counter-clockwise turn.
        for y in 0..<size {
            for x in 0..<size {
                let from = (x * size + (size - 1 - y)) * 3
                let to = (y * size + x) * 3
                pixels[to..<to + 3] = source.pixels[from..<from + 3]
            }
        }
        return try ImageEncoder.png(Raster(width: size, height: size, layout: .rgb, pixels: pixels))
    }

    static func raster(pattern: UInt32, patch: Int, size: Int) -> Raster {
        var state = pattern &* 2_654_435_761 | 1
        func next() -> Int {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Int(state >> 24)  // 0…255
        }
        let blocks = (0..<144).map { _ in 30 + next() * 190 / 255 }
        var pixels: [UInt8] = []
        for y in 0..<size {
            for x in 0..<size {
                let value = blocks[(y * 12 / size) * 12 + x * 12 / size] + next() / 64 + (x < 6 && y < 6 ? patch : 0)
                pixels += Array(repeating: UInt8(clamping: value), count: 3)
            }
        }
        return Raster(width: size, height: size, layout: .rgb, pixels: pixels)
    }
}
