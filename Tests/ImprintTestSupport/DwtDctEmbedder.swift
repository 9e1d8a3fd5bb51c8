import Foundation
import ImprintImaging

/// A test-side re-implementation of the embedding half of invisible-watermark's dwtDct
/// method (SD-WATERMARK.md §1.3), so the decoder is tested on marks the tests make
/// themselves. Only the U channel's Haar LL band changes; the change is spread equally
/// over the 2x2 pixels each LL coefficient averages and undone into the pixel channel
/// that plays OpenCV's "B" (Y and V held fixed), then rounded to 8 bits.
public enum DwtDctEmbedder {
    public enum Order { case bgr, rgbAsBgr }
    public enum Lattice { case uint8, float }

    public static func embed(_ raster: Raster, bits: [Bool], order: Order, lattice: Lattice) -> Raster {
        precondition(raster.layout == .rgb, "test fixtures are RGB")
        let width = raster.width, height = raster.height
        let w4 = width - width % 4, h4 = height - height % 4
        let across = w4 / 8, down = h4 / 8
        var pixels = raster.pixels
        // c0 is the channel OpenCV treats as blue: B for BGR input, R for RGB passed as BGR.
        let c0 = order == .bgr ? 2 : 0, c2 = order == .bgr ? 0 : 2
        func u(_ x: Int, _ y: Int) -> Double {
            let i = (y * width + x) * 3
            let b = Double(pixels[i + c0]), g = Double(pixels[i + 1]), r = Double(pixels[i + c2])
            let value = 0.492111 * (b - (0.299 * r + 0.587 * g + 0.114 * b))
            return lattice == .uint8 ? min(max((value + 128).rounded(), 0), 255) : value + 0.5
        }
        var n = 0
        for blockRow in 0..<down {
            for blockColumn in 0..<across {
                var coefficients = [Double](repeating: 0, count: 16)
                for r in 0..<4 {
                    for c in 0..<4 {
                        let x = (blockColumn * 4 + c) * 2, y = (blockRow * 4 + r) * 2
                        coefficients[r * 4 + c] = (u(x, y) + u(x + 1, y) + u(x, y + 1) + u(x + 1, y + 1)) / 2
                    }
                }
                var position = 1
                for k in 2..<16 where abs(coefficients[k]) > abs(coefficients[position]) { position = k }
                let value = coefficients[position]
                let bit = bits[n % bits.count]
                let target = (value < 0 ? -1.0 : 1.0) * ((abs(value) / 36).rounded(.down) + 0.25 + (bit ? 0.5 : 0)) * 36
                // Inverse Haar: each of the 2x2 pixels moves by half the LL change.
                let deltaU = (target - value) / 2
                let deltaC0 = deltaU / 0.492111
                let deltaG = -0.114 * deltaC0 / 0.587
                let x0 = (blockColumn * 4 + position % 4) * 2, y0 = (blockRow * 4 + position / 4) * 2
                for dy in 0..<2 {
                    for dx in 0..<2 {
                        let i = ((y0 + dy) * width + x0 + dx) * 3
                        pixels[i + c0] = clamp(Double(pixels[i + c0]) + deltaC0)
                        pixels[i + 1] = clamp(Double(pixels[i + 1]) + deltaG)
                    }
                }
                n += 1
            }
        }
        return Raster(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    private static func clamp(_ value: Double) -> UInt8 { UInt8(min(max(value.rounded(), 0), 255)) }

    /// A colourful, textured test picture (smooth gradients plus a deterministic texture),
    /// with chroma away from saturation so the mark is not clipped.
    public static func texturedPicture(width: Int, height: Int, seed: UInt64 = 1) -> Raster {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let noise = Double(Int(state >> 59)) - 16
                let i = (y * width + x) * 3
                pixels[i] = clamp(128 + 60 * sin(Double(x) / 23) + noise)
                pixels[i + 1] = clamp(120 + 50 * cos(Double(y) / 31) + noise / 2)
                pixels[i + 2] = clamp(110 + 55 * sin(Double(x + y) / 41) - noise)
            }
        }
        return Raster(width: width, height: height, layout: .rgb, pixels: pixels)
    }
}
