import CImprintKernels
import ImprintImaging

/// A float32 image plane, `rows × cols`, row-major: PDQ's working buffer.
struct FloatPlane {
    var rows: Int
    var cols: Int
    var values: [Float]
}

// Stage 1 of PDQ (spec §3): float32 luma from the shared 8-bit decode.
//
// Arithmetic note, for every float loop in this target: Swift does not contract
// `a * b + c` into a fused multiply-add (it would only do so through an explicit
// `addingProduct`/`fma` call, which this code never makes), and it does not reassociate
// or vectorise a running sum without fast-math flags, which the package never sets. So
// each expression below is evaluated exactly in the order written: that order is the
// reference's, and bit-exact hashes depend on it. (Checked: `swiftc -O -target-cpu
// haswell` emits vmulss/vaddss for these expressions and a scalar vaddss chain for the
// sums; vfmadd appears only for an explicit `addingProduct`.)

/// How the luma plane is computed. Both round to float32; they differ by at most one
/// float32 ulp per pixel, which changed no corpus hash but can flip many bits of a
/// low-quality (flat, tiny, upsampled) image, where most coefficients sit near the median.
public enum PDQLumaArithmetic: String, Sendable, CaseIterable {
    /// Spec §3 and Meta's C++ `fillFloatLumaFromRGB`: float32 products and sums,
    /// `(0.299f·R + 0.587f·G) + 0.114f·B`. The canonical default.
    case float32
    /// The `pdqhash` Python binding (which made `corpus/pdq/expected.csv`): NumPy
    /// evaluates `R·0.299 + G·0.587 + B·0.114` in float64 and rounds once to float32.
    /// For cross-checks against that package.
    case float64
}

enum PDQLuma {
    static let rCoefficient: Float = 0.299
    static let gCoefficient: Float = 0.587
    static let bCoefficient: Float = 0.114

    @inline(__always)
    static func luma(_ r: UInt8, _ g: UInt8, _ b: UInt8, _ arithmetic: PDQLumaArithmetic) -> Float {
        switch arithmetic {
        case .float32:
            return (rCoefficient * Float(r) + gCoefficient * Float(g)) + bCoefficient * Float(b)
        case .float64:
            return Float((Double(r) * 0.299 + Double(g) * 0.587) + Double(b) * 0.114)
        }
    }

    /// Luma per pixel, row-major. Alpha is dropped without compositing (Pillow's
    /// `convert('RGB')`); a luma raster goes through the same formula with R = G = B, as
    /// the Pillow-decoded RGB of a grey image would (spec §2).
    static func plane(from raster: Raster, arithmetic: PDQLumaArithmetic = .float32) -> FloatPlane {
        let count = raster.width * raster.height
        var out = [Float](repeating: 0, count: max(count, 0))
        let step = raster.channels
        guard count > 0, raster.pixels.count >= count * step else {
            return FloatPlane(rows: raster.height, cols: raster.width, values: out)
        }
        raster.pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                guard let from = source.baseAddress, let to = target.baseAddress else { return }
                fill(to, from: from, count: count, step: step, arithmetic: arithmetic)
            }
        }
        return FloatPlane(rows: raster.height, cols: raster.width, values: out)
    }

    /// Luma of `count` pixels of `step` bytes each (1: grey, 3: RGB, 4: RGBA).
    static func fill(_ target: UnsafeMutablePointer<Float>, from source: UnsafePointer<UInt8>, count: Int, step: Int,
                     arithmetic: PDQLumaArithmetic) {
        if arithmetic == .float32 && (step == 3 || step == 4) {
            // The canonical case: 16 pixels per AVX2 step in `imprint_pdq_luma_f32`, the
            // same float32 products and sums in the same order, so the same bits (`KernelTests`).
            imprint_pdq_luma_f32(source, Int32(step), count, target)
            return
        }
        if step == 1 {
            for index in 0..<count {
                let v = source[index]
                target[index] = luma(v, v, v, arithmetic)
            }
        } else if step == 3 {
            // A constant stride lets the compiler vectorise the interleaved loads.
            for index in 0..<count {
                target[index] = luma(source[index * 3], source[index * 3 + 1], source[index * 3 + 2], arithmetic)
            }
        } else if step == 4 {
            for index in 0..<count {
                target[index] = luma(source[index * 4], source[index * 4 + 1], source[index * 4 + 2], arithmetic)
            }
        } else {
            for index in 0..<count {
                target[index] = luma(source[index * step], source[index * step + 1], source[index * step + 2], arithmetic)
            }
        }
    }
}
