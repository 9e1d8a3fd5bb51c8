#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImprintImaging

/// Per payload bit, the sums of the soft votes of every block assigned to that bit, for
/// one channel order and lattice, from which the vote at any lattice offset follows.
///
/// A block's embedded coefficient v sits at |v| mod 36 = 9 (bit 0) or 27 (bit 1). Its
/// soft vote at offset o is -sin(2 pi (|v| + o) / 36): +1 at 27, -1 at 9 and 0 on the
/// decision boundaries 0 and 18, so a block counts by its distance from the boundary.
/// Since sin(a + b) = sin a cos b + cos a sin b, keeping sum(sin a) and sum(cos a) per
/// bit gives every offset's votes without revisiting the blocks.
struct DwtDctBlockVotes {
    var sinSums: [Double]
    var cosSums: [Double]
    var counts: [Int]

    init(length: Int) {
        sinSums = Array(repeating: 0, count: length)
        cosSums = Array(repeating: 0, count: length)
        counts = Array(repeating: 0, count: length)
    }

    /// The summed soft vote of each bit at `offset` (positive means 1).
    func votes(offset: Int) -> [Double] {
        let angle = 2 * Double.pi * Double(offset) / 36
        let (c, s) = (cos(angle), sin(angle))
        return (0..<sinSums.count).map { -(sinSums[$0] * c + cosSums[$0] * s) }
    }
}

/// Walks a raster once and collects the block votes of every payload length for the four
/// order × lattice combinations (SD-WATERMARK.md §1.4).
enum DwtDctBlockField {
    struct Key: Hashable {
        var order: DwtDctChannelOrder
        var lattice: DwtDctLattice
    }

    /// The number of whole 4x4 LL blocks (8x8 pixels) in a width x height image.
    static func blockGrid(width: Int, height: Int) -> (across: Int, down: Int) {
        let llWidth = (width - width % 4) / 2, llHeight = (height - height % 4) / 2
        return (llWidth / 4, llHeight / 4)
    }

    /// Votes per (order, lattice) and per payload length. `raster` must be RGB or RGBA.
    static func collect(_ raster: Raster, lengths: [Int]) -> [Key: [Int: DwtDctBlockVotes]] {
        let channels = raster.channels, width = raster.width
        let (across, down) = blockGrid(width: raster.width, height: raster.height)
        // The order the pixel loop fills the strips in.
        let keys = [Key(order: .bgr, lattice: .uint8), Key(order: .bgr, lattice: .float),
                    Key(order: .rgbAsBgr, lattice: .uint8), Key(order: .rgbAsBgr, lattice: .float)]
        guard across > 0, down > 0, channels >= 3,
              raster.pixels.count >= raster.width * raster.height * channels else { return [:] }

        let llColumns = across * 4
        let plane = 4 * llColumns
        // One block row at a time: 4 LL rows of llColumns values per key (bounded memory).
        var strip = [Double](repeating: 0, count: keys.count * plane)
        // Sums of sin and cos per (key, payload length, bit), flat: slot (k, l) starts at
        // offsets[k * lengths.count + l].
        var offsets: [Int] = []
        var total = 0
        for _ in keys { for length in lengths { offsets.append(total); total += length } }
        // Deinterleaved 2x2 pixel samples of one LL row (see `fillLLRow`).
        var planes = [Int32](repeating: 0, count: 12 * paddedLength(llColumns))
        var sinSums = [Double](repeating: 0, count: total)
        var cosSums = [Double](repeating: 0, count: total)
        let table = ResidueTable.shared
        var blockIndex = 0
        var bitOfBlock = [Int](repeating: 0, count: lengths.count)
        raster.pixels.withUnsafeBufferPointer { pixelBuffer in
            planes.withUnsafeMutableBufferPointer { planeBuffer in
            strip.withUnsafeMutableBufferPointer { stripBuffer in
                guard let pixels = pixelBuffer.baseAddress, let planeBuffer = planeBuffer.baseAddress,
                      let strip = stripBuffer.baseAddress else { return }
                sinSums.withUnsafeMutableBufferPointer { sinSums in
                    cosSums.withUnsafeMutableBufferPointer { cosSums in
                        for blockRow in 0..<down {
                            for llRow in 0..<4 {
                                fillLLRow(pixels, pixelCount: pixelBuffer.count, width: width, channels: channels, y0: (blockRow * 4 + llRow) * 2,
                                          llColumns: llColumns, planes: planeBuffer, strip: strip, plane: plane,
                                          rowBase: llRow * llColumns)
                            }
                            for blockColumn in 0..<across {
                                for k in 0..<keys.count {
                                    // The embedder's choice: the largest magnitude, DC excluded, first on ties.
                                    let base = k * plane + blockColumn * 4
                                    var best = abs(strip[base + 1])
                                    for position in 2..<16 {
                                        let value = abs(strip[base + (position >> 2) * llColumns + (position & 3)])
                                        if value > best { best = value }
                                    }
                                    let (s, c) = table.sinCos(best)
                                    for slot in 0..<lengths.count {
                                        let at = offsets[k * lengths.count + slot] + bitOfBlock[slot]
                                        sinSums[at] += s
                                        cosSums[at] += c
                                    }
                                }
                                blockIndex += 1
                                // blockIndex mod length per payload length, kept by counting
                                // rather than a division per key and length.
                                for slot in 0..<lengths.count {
                                    bitOfBlock[slot] += 1
                                    if bitOfBlock[slot] == lengths[slot] { bitOfBlock[slot] = 0 }
                                }
                            }
                        }
                    }
                }
            }
            }
        }
        var result: [Key: [Int: DwtDctBlockVotes]] = [:]
        for (k, key) in keys.enumerated() {
            var perLength: [Int: DwtDctBlockVotes] = [:]
            for (slot, length) in lengths.enumerated() {
                let start = offsets[k * lengths.count + slot]
                var votes = DwtDctBlockVotes(length: length)
                votes.sinSums = Array(sinSums[start..<(start + length)])
                votes.cosSums = Array(cosSums[start..<(start + length)])
                // Block n votes for bit n mod L: the first (blocks mod L) bits get one more.
                votes.counts = (0..<length).map { blockIndex / length + ($0 < blockIndex % length ? 1 : 0) }
                perLength[length] = votes
            }
            result[key] = perLength
        }
        return result
    }

    /// Bytes `c`, `c + 6`, …, `c + 42` of `v` (one channel of every other RGB pixel).
    @inline(__always)
    static func every6th(_ v: SIMD64<UInt8>, from c: Int) -> SIMD8<Int32> {
        SIMD8<Int32>(Int32(v[c]), Int32(v[c + 6]), Int32(v[c + 12]), Int32(v[c + 18]),
                     Int32(v[c + 24]), Int32(v[c + 30]), Int32(v[c + 36]), Int32(v[c + 42]))
    }

    /// `count` rounded up to whole SIMD groups.
    static func paddedLength(_ count: Int) -> Int { (count + 7) / 8 * 8 }

    /// The LL values of one LL row (pixel rows `y0` and `y0 + 1`) for the four keys, in
    /// `keys` order, at `strip[k * plane + rowBase + column]`.
    ///
    /// Why two steps: the pixels are interleaved RGB(A), which does not vectorise. They
    /// are first copied into 12 planes (R, G, B of the top-left, top-right, bottom-left
    /// and bottom-right pixel of each LL cell), after which OpenCV's fixed-point U of both
    /// channel orders runs on 8 LL columns per SIMD operation. The integer arithmetic is
    /// the same as OpenCV's per pixel (Y rounded first, then U = round(0.492111 (c0 - Y)
    /// + 128) saturated to 0...255; the tests hold a per-pixel version), so the values are
    /// identical.
    static func fillLLRow(_ pixels: UnsafePointer<UInt8>, pixelCount: Int, width: Int, channels: Int, y0: Int, llColumns: Int,
                          planes: UnsafeMutablePointer<Int32>, strip: UnsafeMutablePointer<Double>, plane: Int, rowBase: Int) {
        let stride = paddedLength(llColumns)
        for sample in 0..<4 {
            let dy = sample >> 1, dx = sample & 1
            let r = planes + (sample * 3) * stride, g = r + stride, b = g + stride
            let line = pixels + ((y0 + dy) * width + dx) * channels
            // Constant strides (6 or 8 bytes) let the compiler vectorise the gathers.
            if channels == 3 {
                // 8 LL columns (16 pixels, 48 bytes) per step from one 64-byte load, while
                // the load stays inside the pixel buffer; the rest one by one.
                var first = 0
                let lineOffset = ((y0 + dy) * width + dx) * channels
                while first + 8 <= llColumns && lineOffset + first * 6 + 64 <= pixelCount {
                    let v = UnsafeRawPointer(line + first * 6).loadUnaligned(as: SIMD64<UInt8>.self)
                    UnsafeMutableRawPointer(r + first).storeBytes(of: Self.every6th(v, from: 0), as: SIMD8<Int32>.self)
                    UnsafeMutableRawPointer(g + first).storeBytes(of: Self.every6th(v, from: 1), as: SIMD8<Int32>.self)
                    UnsafeMutableRawPointer(b + first).storeBytes(of: Self.every6th(v, from: 2), as: SIMD8<Int32>.self)
                    first += 8
                }
                for column in first..<llColumns {
                    r[column] = Int32(line[column * 6])
                    g[column] = Int32(line[column * 6 + 1])
                    b[column] = Int32(line[column * 6 + 2])
                }
            } else {
                for column in 0..<llColumns {
                    r[column] = Int32(line[column * 2 * channels])
                    g[column] = Int32(line[column * 2 * channels + 1])
                    b[column] = Int32(line[column * 2 * channels + 2])
                }
            }
        }
        let rounding = SIMD8<Int32>(repeating: 8192), bias = SIMD8<Int32>(repeating: (128 << 14) + 8192)
        let low = SIMD8<Int32>(repeating: 0), high = SIMD8<Int32>(repeating: 255)
        var column = 0
        while column < llColumns {
            var sumR = SIMD8<Int32>(), sumG = SIMD8<Int32>(), sumB = SIMD8<Int32>()
            var uBGR = SIMD8<Int32>(), uRGB = SIMD8<Int32>()
            for sample in 0..<4 {
                let base = planes + (sample * 3) * stride + column
                let r = UnsafeRawPointer(base).loadUnaligned(as: SIMD8<Int32>.self)
                let g = UnsafeRawPointer(base + stride).loadUnaligned(as: SIMD8<Int32>.self)
                let b = UnsafeRawPointer(base + 2 * stride).loadUnaligned(as: SIMD8<Int32>.self)
                sumR &+= r
                sumG &+= g
                sumB &+= b
                let green = g &* 9617 &+ rounding
                // (c0, c1, c2) = (B, G, R): Y weights R by 4899 and B by 1868.
                let yBGR = (r &* 4899 &+ green &+ b &* 1868) &>> 14
                uBGR &+= (((b &- yBGR) &* 8061 &+ bias) &>> 14).clamped(lowerBound: low, upperBound: high)
                let yRGB = (b &* 4899 &+ green &+ r &* 1868) &>> 14
                uRGB &+= (((r &- yRGB) &* 8061 &+ bias) &>> 14).clamped(lowerBound: low, upperBound: high)
            }
            for lane in 0..<min(8, llColumns - column) {
                let at = rowBase + column + lane
                // The float path is linear, so the 2x2 sums suffice:
                // LL = (sum of (0.492111 (c0 - Y) + 0.5)) / 2.
                let r = Double(sumR[lane]), g = Double(sumG[lane]), b = Double(sumB[lane])
                strip[at] = Double(uBGR[lane]) / 2
                strip[plane + at] = (0.492111 * (b - (0.299 * r + 0.587 * g + 0.114 * b)) + 2) / 2
                strip[2 * plane + at] = Double(uRGB[lane]) / 2
                strip[3 * plane + at] = (0.492111 * (r - (0.299 * b + 0.587 * g + 0.114 * r)) + 2) / 2
            }
            column += 8
        }
    }

    /// sin and cos of 2 pi (v mod 36) / 36 from a table at 1/256 of an LL unit (angle
    /// error below 7e-4 rad, far under the residue noise), instead of two libm calls per
    /// block and variant.
    struct ResidueTable: Sendable {
        static let steps = 256
        static let shared = ResidueTable()
        let sines: [Double]
        let cosines: [Double]

        init() {
            let count = 36 * Self.steps
            sines = (0..<count).map { sin(2 * Double.pi * Double($0) / Double(count)) }
            cosines = (0..<count).map { cos(2 * Double.pi * Double($0) / Double(count)) }
        }

        @inline(__always)
        func sinCos(_ magnitude: Double) -> (Double, Double) {
            let count = 36 * Self.steps
            let index = Int((magnitude * Double(Self.steps)).rounded()) % count
            return (sines[index], cosines[index])
        }
    }
}
