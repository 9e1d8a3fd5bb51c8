import ImprintImaging

/// PDQ of one image: the hash, its quality, and the 16×16 DCT it came from, from which
/// the other seven dihedral hashes are derived without touching the pixels again.
public struct PDQResult: Sendable, Equatable {
    public var hash: PDQHash
    /// 0…100; below `PDQHash.minimumMatchQuality` the hash is stored but never matched.
    public var quality: Int
    /// B (16×16, row-major, DC excluded); empty when the image was too small to hash.
    public var coefficients: [Float]

    /// The hash of `variant`'s view of the image. The median is recomputed per variant,
    /// since negating coefficients moves it.
    public func hash(of variant: PDQDihedral) -> PDQHash {
        guard coefficients.count == 256 else { return .zero }
        return PDQ.bits(variant.transform(coefficients))
    }

    /// All 8 variants, in `PDQDihedral.allCases` order (original first).
    public var dihedralHashes: [(variant: PDQDihedral, hash: PDQHash)] {
        PDQDihedral.allCases.map { ($0, hash(of: $0)) }
    }
}

/// Meta's PDQ perceptual hash, float32 pipeline, per docs/specs/PDQ-AND-PERCEPTUAL-HASHES.md:
/// luma → guard → Jarosz tent filter → 64×64 decimation → quality → 16×16 DCT →
/// threshold at the Torben lower median. Reproduces Meta's C++ core bit for bit when
/// given the same RGB.
public enum PDQ {
    /// `MIN_HASHABLE_DIM`: smaller images hash to all zeros with quality 0.
    public static let minimumDimension = 5

    /// Hashes the stored pixels of `raster` (no EXIF rotation). The raster should be the
    /// full-resolution decode (`PDQPrescale.none`, the canonical policy); any pre-scaling
    /// is the caller's choice and must be recorded in the hash's pipeline descriptor.
    /// `luma` chooses the luma arithmetic: the spec's float32 (default, canonical) or
    /// pdqhash's float64 (for cross-checks with that package).
    public static func hash(_ raster: Raster, luma arithmetic: PDQLumaArithmetic = .float32) -> PDQResult {
        guard raster.width >= minimumDimension, raster.height >= minimumDimension else {
            return PDQResult(hash: .zero, quality: 0, coefficients: [])
        }
        guard raster.pixels.count >= raster.width * raster.height * raster.channels else {
            return PDQResult(hash: .zero, quality: 0, coefficients: [])
        }
        if raster.width == 64 && raster.height == 64 {
            return hash(luma: PDQLuma.plane(from: raster, arithmetic: arithmetic))
        }
        // The streamed filter: no full-size float plane (bit-identical to `hash(luma:)`).
        return hash(decimated: JaroszStream.tentDecimated(raster, arithmetic: arithmetic))
    }

    /// From a float32 luma plane, row-major `rows × cols`; nil if the sizes disagree.
    public static func hash(luma: [Float], rows: Int, cols: Int) -> PDQResult? {
        let (count, overflow) = rows.multipliedReportingOverflow(by: cols)
        guard rows >= 0, cols >= 0, !overflow, luma.count == count else { return nil }
        guard rows >= minimumDimension, cols >= minimumDimension else {
            return PDQResult(hash: .zero, quality: 0, coefficients: [])
        }
        return hash(luma: FloatPlane(rows: rows, cols: cols, values: luma))
    }

    static func hash(luma plane: FloatPlane) -> PDQResult {
        // Already 64×64 (e.g. a video frame downscaled upstream): no filter.
        guard plane.rows != 64 || plane.cols != 64 else { return hash(decimated: plane.values) }
        let cols = plane.cols
        return hash(decimated: plane.values.withUnsafeBufferPointer { values in
            JaroszStream.tentDecimated(rows: plane.rows, cols: cols) { row, target in
                guard let base = values.baseAddress else { return }
                target.update(from: base + row * cols, count: cols)
            }
        })
    }

    /// From the 64×64 tent-filtered, decimated plane: quality, DCT, bits.
    static func hash(decimated a: [Float]) -> PDQResult {
        let quality = PDQTransform.quality(a)
        let b = PDQTransform.dct16(a)
        return PDQResult(hash: bits(b), quality: quality, coefficients: b)
    }

    /// bit(i, j) = B[i][j] > median, strictly; ties with the median give 0.
    static func bits(_ b: [Float]) -> PDQHash {
        let median = TorbenMedian.lowerMedian(b)
        return PDQHash(settingBitsWhere: { b[$0] > median })
    }
}

/// How the pixels handed to PDQ were obtained (spec §2). The hash itself is computed the
/// same way; only the input differs, so the choice is part of the pipeline descriptor.
public enum PDQPrescale: String, Sendable, CaseIterable {
    /// The tent filter runs on the full-resolution decode: canonical, and the policy
    /// that reproduces `corpus/pdq/expected.csv` exactly.
    case none
    /// libjpeg-turbo DCT-domain scaling (`scale_denom` 2, 4 or 8), a faster JPEG decode.
    /// Allowed only while the scaled short side stays ≥ 500 px and never for images
    /// whose long side is ≤ 512 px; measured at 0–4 bits from the canonical hash in that
    /// range (spec §2).
    case dct

    /// The smallest scaled short side `dct` accepts.
    public static let minimumScaledShortSide = 500

    /// The JPEG `scaleDenominator` to decode with for an image of the given full size:
    /// 1 for `.none`; for `.dct` the largest of 8, 4, 2 that keeps the short side ≥ 500
    /// px (libjpeg rounds scaled sizes up), else 1.
    public func scaleDenominator(width: Int, height: Int) -> Int {
        guard self == .dct, max(width, height) > 512 else { return 1 }
        let shortSide = min(width, height)
        for denominator in [8, 4, 2] where (shortSide + denominator - 1) / denominator >= Self.minimumScaledShortSide {
            return denominator
        }
        return 1
    }

    /// The pipeline descriptor stored with every hash (spec §12), e.g.
    /// `pdq/1;decode=libjpeg-turbo-2.1.5,islow,fancy;prescale=none;orient=stored;alpha=drop`.
    /// `scaleDenominator` is what the decode actually used.
    public func descriptor(libjpegTurboVersion: String, scaleDenominator: Int = 1) -> String {
        let prescale = scaleDenominator > 1 ? "dct-1/\(scaleDenominator)" : "none"
        return "pdq/1;decode=libjpeg-turbo-\(libjpegTurboVersion),islow,fancy;prescale=\(prescale);orient=stored;alpha=drop"
    }
}
