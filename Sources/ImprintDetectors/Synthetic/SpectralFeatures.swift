import CImprintKernels
import Foundation
import ImprintImaging

/// The classical spectral and residual features of SYNTHETIC-DETECTION §4, computed on
/// native-resolution luma crops and averaged over them. Names are stable: the model file
/// lists the names it was trained on, and scoring refuses a model whose names differ.
public struct SpectralFeatures: Sendable, Equatable {
    public var names: [String]
    public var values: [Double]
    public var cropSide: Int
    public var cropCount: Int
    /// True when the image was below the standard crop size (outside the validated domain).
    public var reducedCrop: Bool

    /// Version of the feature definitions; a model records the version it was trained on.
    public static let version = "1"

    public static let names: [String] = {
        var names: [String] = []
        for band in 1...8 { names.append("durall.band\(band)") }
        names += ["dzanic.slope", "dzanic.residual", "dzanic.tail-energy"]
        names += ["grid.period2", "grid.period4", "grid.period8", "grid.max"]
        for band in 1...8 { names.append("residual.radial\(band)") }
        for sector in 1...4 { names.append("residual.angular\(sector)") }
        names += ["residual.noise-ratio", "residual.kurtosis"]
        return names
    }()

    public enum Failure: Error, Sendable, Equatable {
        case tooSmall(width: Int, height: Int)
        case flat
    }

    /// Features of `raster` (any layout; converted to luma).
    public static func compute(_ raster: Raster, policy: CropPolicy = CropPolicy()) throws(Failure) -> SpectralFeatures {
        // Only the crops are converted to luma, one at a time.
        try average(width: raster.width, height: raster.height, policy: policy) { _, region in
            raster.luma(x: region.x, y: region.y, width: region.width, height: region.height)
        }
    }

    /// The luma regions the features read in an image of `width` × `height`: (side + 1)²
    /// pixels per crop of `policy.layout`, which keeps them inside the image (the residual
    /// reads one pixel right and below). Empty when the image is too small.
    public static func cropRegions(width: Int, height: Int, policy: CropPolicy = CropPolicy()) -> [LumaRegionCollector.Region] {
        guard let layout = policy.layout(width: width, height: height) else { return [] }
        return layout.origins.map { LumaRegionCollector.Region(x: $0.x, y: $0.y, width: layout.side + 1, height: layout.side + 1) }
    }

    /// Features of an image of `width` × `height` from the luma of its `cropRegions`, in
    /// that order (gathered from a decode's strips by a `LumaRegionCollector`): the same
    /// values as `compute` of the whole image.
    public static func compute(crops: [Raster], width: Int, height: Int, policy: CropPolicy = CropPolicy()) throws(Failure) -> SpectralFeatures {
        let regions = cropRegions(width: width, height: height, policy: policy)
        guard crops.count == regions.count,
              zip(crops, regions).allSatisfy({ $0.layout == .luma && $0.width == $1.width && $0.height == $1.height }) else {
            throw .tooSmall(width: width, height: height)
        }
        return try average(width: width, height: height, policy: policy) { index, _ in crops[index] }
    }

    /// The features of each crop (`luma` gives the luma of crop number i, region r),
    /// averaged over the crops that are not flat.
    private static func average(width: Int, height: Int, policy: CropPolicy,
                                luma: (Int, LumaRegionCollector.Region) -> Raster) throws(Failure) -> SpectralFeatures {
        guard let layout = policy.layout(width: width, height: height), let fft = FFT2D(size: layout.side) else {
            throw .tooSmall(width: width, height: height)
        }
        var sums = [Double](repeating: 0, count: names.count)
        var used = 0
        for (index, region) in cropRegions(width: width, height: height, policy: policy).enumerated() {
            guard let crop = cropFeatures(luma(index, region), x: 0, y: 0, side: layout.side, fft: fft) else { continue }
            for index in sums.indices { sums[index] += crop[index] }
            used += 1
        }
        guard used > 0 else { throw .flat }
        return SpectralFeatures(names: names, values: sums.map { $0 / Double(used) }, cropSide: layout.side, cropCount: used,
                                reducedCrop: layout.side < policy.size)
    }

    /// The features of one crop, or nil for a flat crop (no spectrum to speak of).
    static func cropFeatures(_ luma: Raster, x: Int, y: Int, side: Int, fft: FFT2D) -> [Double]? {
        let width = luma.width, count = side * side
        guard side > 0, x >= 0, y >= 0, x + side < width, y + side < luma.height,
              luma.layout == .luma, luma.pixels.count >= width * luma.height else { return nil }
        // The crop, its cross-difference residual and their sums (exact integers), then
        // both centred with their moments (`imprint_crop_residual`, `imprint_center_moments`).
        // Both planes are written whole, so they are not zero-filled first.
        var sums = [Int64](repeating: 0, count: 3), moments = [Double](repeating: 0, count: 3)
        var residual: [Double] = []
        var crop = [Double](unsafeUninitializedCapacity: count) { cropBuffer, cropCount in
            residual = [Double](unsafeUninitializedCapacity: count) { residualBuffer, residualCount in
                luma.pixels.withUnsafeBufferPointer { pixels in
                    guard let base = pixels.baseAddress else { return }
                    imprint_crop_residual(base + y * width + x, width, Int32(side), cropBuffer.baseAddress,
                                          residualBuffer.baseAddress, &sums)
                }
                residualCount = count
            }
            cropCount = count
        }
        let cropSum = Double(sums[0]), gradientSum = Double(sums[1]), residualSum = Double(sums[2])
        let mean = cropSum / Double(count)
        let residualMean = residualSum / Double(count)
        crop.withUnsafeMutableBufferPointer { cropBuffer in
            residual.withUnsafeMutableBufferPointer { residualBuffer in
                imprint_center_moments(cropBuffer.baseAddress, residualBuffer.baseAddress, count, mean, residualMean, &moments)
            }
        }
        let variance = moments[0]
        var residualVariance = moments[1], fourth = moments[2]
        guard variance / Double(count) > 0.25, gradientSum > 0 else { return nil }

        var features: [Double] = []
        // Both spectra from one complex transform (crop + i·residual).
        let (power, residualPower) = fft.shiftedPowers(crop, residual)
        crop = []
        residual = []
        let half = side / 2
        // Azimuthal bins by ⌊hypot⌋ around the centre, full circles only (r < side/2).
        var logSum = [Double](repeating: 0, count: half), powerSum = [Double](repeating: 0, count: half)
        let geometry = CropGeometry.of(side: side)
        let counts = geometry.azimuthCounts
        // Each bin's sums run in index order over its runs of neighbouring frequencies, in a
        // register within a run (a sum kept in the array would wait on its own store).
        // The crop is real, so its power is centro-symmetric, P(k) = P(−k), and
        // `shiftedPowers` gives the two the same bits (a sum commutes and a difference only
        // changes sign before it is squared). So each log term is computed in the upper half
        // (rows up to the centre row), kept, and read back at the mirrored frequency of the
        // lower half: half the logarithms, and every sum adds the same values in the same
        // order as before. A run lies within one row (column 0 is outside the circles).
        let mirrorRows = half + 1
        let logTerms = UnsafeMutablePointer<Double>.allocate(capacity: mirrorRows * side)
        defer { logTerms.deallocate() }
        power.withUnsafeBufferPointer { p in
            for run in geometry.azimuthRuns {
                let radius = Int(run.bin), start = Int(run.start), end = Int(run.end), row = start / side
                var logs = logSum[radius], powers = powerSum[radius]
                if row < mirrorRows {
                    for index in start..<end {
                        // Durall: M = 20·ln(|F| + 1e-8) = 10·ln(|F|²) up to the epsilon.
                        let term = 20 * log(p[index].squareRoot() + 1e-8)
                        logTerms[index] = term
                        logs += term
                        powers += p[index]
                    }
                } else {
                    // (row, column) mirrors to (side − row, side − column): index side² + side − index.
                    let mirrored = side * side + side
                    for index in start..<end {
                        logs += logTerms[mirrored - index]
                        powers += p[index]
                    }
                }
                logSum[radius] = logs
                powerSum[radius] = powers
            }
        }
        let profile = (0..<half).map { logSum[$0] / Double(max(counts[$0], 1)) }
        let reduced = (0..<half).map { powerSum[$0] / Double(max(counts[$0], 1)) }

        // Durall: the azimuthal log spectrum in 8 radial bands, relative to the low band
        // (radius fraction 0.05–0.125), in natural-log units over 0.125–1; contrast cancels out.
        func bandMean(_ values: [Double], _ from: Double, _ to: Double) -> Double {
            let lower = max(1, Int(from * Double(half))), upper = max(lower + 1, min(half, Int(to * Double(half))))
            return values[lower..<upper].reduce(0, +) / Double(upper - lower)
        }
        let reference = bandMean(profile, 0.05, 0.125)
        for band in 0..<8 {
            let width = 0.875 / 8
            features.append((bandMean(profile, 0.125 + width * Double(band), 0.125 + width * Double(band + 1)) - reference) / 20)
        }

        // Dzanic: log P(k) = log b1 − b2·log k over the top 25 % of radii of the reduced
        // spectrum normalised to sum 1.
        let total = reduced[1...].reduce(0, +)
        let tailStart = max(2, half * 3 / 4)
        var xs: [Double] = [], ys: [Double] = []
        for k in tailStart..<half {
            xs.append(log(Double(k)))
            ys.append(log(max(reduced[k] / total, 1e-300)))
        }
        let fit = Self.lineFit(xs, ys)
        features.append(-fit.slope)
        features.append(fit.residual)
        features.append(log10(max(reduced[tailStart...].reduce(0, +) / total, 1e-300)))

        // The residual's spectrum (`residual` holds it centred).
        residualVariance /= Double(count)
        fourth /= Double(count)
        // The mean magnitude without the zero frequency (at the centre after the shift).
        var meanMagnitude = residualPower.withUnsafeBufferPointer { imprint_sum_sqrt_except($0.baseAddress, count, half * side + half) }
        meanMagnitude = max(meanMagnitude / Double(count - 1), 1e-12)

        // Synthbuster's harmonic grid, P = 8: rows (cy + m·N/8) mod N for m = −4…4, columns
        // (cx + n·N/8) mod N for n = 0…4, as log ratios to the mean magnitude, grouped by the
        // shortest period the point belongs to (up-sampling by 2 shows at period 2, …).
        var period2: [Double] = [], period4: [Double] = [], period8: [Double] = []
        let step = side / 8
        for m in -4...4 {
            for n in 0...4 where !(m == 0 && n == 0) {
                let row = ((half + m * step) % side + side) % side, column = (half + n * step) % side
                let value = log(residualPower[row * side + column].squareRoot() / meanMagnitude + 1e-12)
                if m % 4 == 0 && n % 4 == 0 { period2.append(value) } else if m % 2 == 0 && n % 2 == 0 { period4.append(value) } else { period8.append(value) }
            }
        }
        func average(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
        features += [average(period2), average(period4), average(period8), (period2 + period4 + period8).max() ?? 0]

        // Corvi-style residual energy: 8 radial bands and 4 angular sectors (0–45°, …, 135–180°).
        var radial = [Double](repeating: 0, count: 8), angular = [Double](repeating: 0, count: 4)
        var energy = 0.0
        residualPower.withUnsafeBufferPointer { p in
            for run in geometry.bandRuns {
                let band = Int(run.band), sector = Int(run.sector)
                var inBand = radial[band], inSector = angular[sector]
                for index in Int(run.start)..<Int(run.end) {
                    inBand += p[index]
                    inSector += p[index]
                    energy += p[index]
                }
                radial[band] = inBand
                angular[sector] = inSector
            }
        }
        energy = max(energy, 1e-12)
        features += radial.map { $0 / energy }
        features += angular.map { $0 / energy }

        // Noise against structure, and how heavy-tailed the residual is.
        let pixels = Double(side * side)
        features.append(log((residualMean + 1e-6) / (gradientSum / (2 * pixels) + 1e-6)))
        features.append(log(residualVariance > 1e-12 ? fourth / (residualVariance * residualVariance) : 1))
        return features
    }

    /// Least-squares line y = a + slope·x, with the RMS residual.
    static func lineFit(_ xs: [Double], _ ys: [Double]) -> (slope: Double, intercept: Double, residual: Double) {
        let n = Double(xs.count)
        guard xs.count >= 2 else { return (0, ys.first ?? 0, 0) }
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for index in xs.indices {
            sxy += (xs[index] - mx) * (ys[index] - my)
            sxx += (xs[index] - mx) * (xs[index] - mx)
        }
        let slope = sxx > 0 ? sxy / sxx : 0
        let intercept = my - slope * mx
        var squared = 0.0
        for index in xs.indices {
            let error = ys[index] - (intercept + slope * xs[index])
            squared += error * error
        }
        return (slope, intercept, (squared / n).squareRoot())
    }
}

/// Where each frequency of a `side`×`side` shifted spectrum falls: its azimuthal radius
/// bin, its radial band and angular sector for the residual energy. The same for every
/// crop of a size, so computed once (for the standard 256 side, once per process)
/// instead of a square root and an `atan2` per frequency per crop.
struct CropGeometry: Sendable {
    /// ⌊hypot⌋ around the centre, or −1 outside the full circles (r ≥ side/2).
    let azimuthBin: [Int32]
    /// The radial band 0…7 of hypot/(side/2), or −1 for the centre and r ≥ 1.
    let radialBand: [Int8]
    /// The angular sector 0…3 (0–45°, …, 135–180°, direction folded), where `radialBand` ≥ 0.
    let sector: [Int8]
    /// Maximal runs of consecutive indices in one azimuthal bin (those ≥ 0), in index order.
    let azimuthRuns: [(start: Int32, end: Int32, bin: Int32)]
    /// The number of frequencies in each azimuthal bin.
    let azimuthCounts: [Int]
    /// Maximal runs of consecutive indices in one radial band and one sector (band ≥ 0).
    let bandRuns: [(start: Int32, end: Int32, band: Int8, sector: Int8)]

    static let standard = CropGeometry(side: 256)

    static func of(side: Int) -> CropGeometry {
        side == standard.side ? standard : CropGeometry(side: side)
    }

    var side: Int { Int(Double(azimuthBin.count).squareRoot()) }

    init(side: Int) {
        let half = side / 2
        var azimuth = [Int32](repeating: -1, count: side * side)
        var band = [Int8](repeating: -1, count: side * side)
        var sector = [Int8](repeating: 0, count: side * side)
        for row in 0..<side {
            for column in 0..<side {
                let index = row * side + column
                let radius = Int(((Double(row - half) * Double(row - half) + Double(column - half) * Double(column - half))).squareRoot())
                if radius < half { azimuth[index] = Int32(radius) }
                guard !(row == half && column == half) else { continue }
                let dy = Double(row - half), dx = Double(column - half)
                let fraction = (dx * dx + dy * dy).squareRoot() / Double(half)
                guard fraction < 1 else { continue }
                band[index] = Int8(min(7, Int(fraction * 8)))
                var angle = atan2(dy, dx)
                if angle < 0 { angle += Double.pi }
                sector[index] = Int8(min(3, Int(angle / (Double.pi / 4))))
            }
        }
        azimuthBin = azimuth
        radialBand = band
        self.sector = sector
        var runs: [(start: Int32, end: Int32, bin: Int32)] = []
        var counts = [Int](repeating: 0, count: half)
        var bandRuns: [(start: Int32, end: Int32, band: Int8, sector: Int8)] = []
        for index in 0..<(side * side) {
            let bin = azimuth[index]
            if bin >= 0 {
                counts[Int(bin)] += 1
                if let last = runs.last, last.end == Int32(index), last.bin == bin {
                    runs[runs.count - 1].end += 1
                } else {
                    runs.append((Int32(index), Int32(index + 1), bin))
                }
            }
            if band[index] >= 0 {
                if let last = bandRuns.last, last.end == Int32(index), last.band == band[index], last.sector == sector[index] {
                    bandRuns[bandRuns.count - 1].end += 1
                } else {
                    bandRuns.append((Int32(index), Int32(index + 1), band[index], sector[index]))
                }
            }
        }
        azimuthRuns = runs
        azimuthCounts = counts
        self.bandRuns = bandRuns
    }
}
