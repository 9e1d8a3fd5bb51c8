import Foundation
import ImprintImaging
@testable import ImprintSimilarity

/// Rasters the tests make: deterministic textures and the 8 dihedral pixel transforms.
enum SyntheticRasters {
    /// A textured RGB image (smooth blobs plus a little deterministic noise), so that PDQ
    /// has quality and no coefficient sits near the median by accident of symmetry.
    static func texture(width: Int, height: Int, seed: UInt32 = 1) -> Raster {
        var state = seed &* 2_654_435_761 | 1
        func noise() -> Int {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Int(state >> 27)  // 0…31
        }
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let u = Double(x) / Double(max(width, 1)), v = Double(y) / Double(max(height, 1))
                let base = 110 + 70 * sin(7.3 * u + 2.1 * v * v) * cos(5.1 * v - 1.7 * u) + 40 * u * v
                let r = Int(base) + noise() - 16
                let g = Int(base * 0.8 + 30 * u) + noise() - 16
                let b = Int(255 - base * 0.6) + noise() - 16
                pixels += [r, g, b].map { UInt8(clamping: $0) }
            }
        }
        return Raster(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    static func flat(width: Int, height: Int, value: UInt8 = 128, layout: Raster.Layout = .rgb) -> Raster {
        Raster(width: width, height: height, layout: layout,
               pixels: [UInt8](repeating: value, count: width * height * layout.rawValue))
    }

    /// The pixel transform each dihedral variant stands for (spec §8): the image `variant`
    /// hashes when derived from the original's DCT.
    static func transformed(_ raster: Raster, _ variant: PDQDihedral) -> Raster {
        let w = raster.width, h = raster.height, c = raster.channels
        let transposes: Bool
        switch variant {
        case .rotate90, .rotate270, .flipPlus1, .flipMinus1: transposes = true
        default: transposes = false
        }
        let outW = transposes ? h : w, outH = transposes ? w : h
        var out = [UInt8](repeating: 0, count: outW * outH * c)
        for r in 0..<outH {
            for col in 0..<outW {
                // (source row, source column) of output pixel (r, col).
                let (sr, sc): (Int, Int)
                switch variant {
                case .original: (sr, sc) = (r, col)
                case .rotate90: (sr, sc) = (col, w - 1 - r)            // counter-clockwise
                case .rotate180: (sr, sc) = (h - 1 - r, w - 1 - col)
                case .rotate270: (sr, sc) = (h - 1 - col, r)           // clockwise
                case .flipX: (sr, sc) = (h - 1 - r, col)               // top ↔ bottom
                case .flipY: (sr, sc) = (r, w - 1 - col)               // left ↔ right
                case .flipPlus1: (sr, sc) = (col, r)                   // transpose
                case .flipMinus1: (sr, sc) = (h - 1 - col, w - 1 - r)  // anti-transpose
                }
                for k in 0..<c {
                    out[(r * outW + col) * c + k] = raster.pixels[(sr * w + sc) * c + k]
                }
            }
        }
        return Raster(width: outW, height: outH, layout: raster.layout, pixels: out)
    }
}
