#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CImprintKernels
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
    ///
    /// Each row of blocks goes through `imprint_dwtdct_block_row` (CImprintKernels), which
    /// computes OpenCV's U of both channel orders per pixel, the Haar LL cells and each
    /// block's chosen coefficient for the four keys, and returns its residue on the
    /// 1/256 grid; here the residues become soft votes for every payload length.
    static func collect(_ raster: Raster, lengths: [Int]) -> [Key: [Int: DwtDctBlockVotes]] {
        let channels = raster.channels, width = raster.width
        let (across, down) = blockGrid(width: raster.width, height: raster.height)
        // The order the kernel writes its residues in.
        let keys = [Key(order: .bgr, lattice: .uint8), Key(order: .bgr, lattice: .float),
                    Key(order: .rgbAsBgr, lattice: .uint8), Key(order: .rgbAsBgr, lattice: .float)]
        guard across > 0, down > 0, channels == 3 || channels == 4,
              raster.pixels.count >= raster.width * raster.height * channels,
              across * 8 <= width, down * 8 <= raster.height else { return [:] }

        // Sums of sin and cos per (key, payload length, bit), flat: slot (k, l) starts at
        // offsets[k * lengths.count + l].
        var offsets: [Int] = []
        var total = 0
        for _ in keys { for length in lengths { offsets.append(total); total += length } }
        var sinSums = [Double](repeating: 0, count: total)
        var cosSums = [Double](repeating: 0, count: total)
        // The per-block loop runs on raw buffers: it is the hot part after the kernel.
        let work = Workspace(across: across, keys: keys.count, lengths: lengths, offsets: offsets)
        defer { work.deallocate() }
        let table = ResidueTable.shared
        var blockIndex = 0
        let rowBytes = width * channels
        let lengthCount = lengths.count
        raster.pixels.withUnsafeBufferPointer { pixelBuffer in
        sinSums.withUnsafeMutableBufferPointer { sinSums in
        cosSums.withUnsafeMutableBufferPointer { cosSums in
        table.sines.withUnsafeBufferPointer { sines in
        table.cosines.withUnsafeBufferPointer { cosines in
            guard let pixels = pixelBuffer.baseAddress else { return }
            for blockRow in 0..<down {
                imprint_dwtdct_block_row(pixels + blockRow * 8 * rowBytes, rowBytes, Int32(channels), Int32(across),
                                         work.scratch, work.fscratch, work.residues)
                for blockColumn in 0..<across {
                    for k in 0..<keys.count {
                        // Residues are in 0..<9216, the tables' size (ResidueTable).
                        let index = Int(work.residues[k * across + blockColumn])
                        let (sine, cosine) = (sines[index], cosines[index])
                        for slot in 0..<lengthCount {
                            let at = work.offsets[k * lengthCount + slot] + work.bitOfBlock[slot]
                            sinSums[at] += sine
                            cosSums[at] += cosine
                        }
                    }
                    blockIndex += 1
                    // blockIndex mod length per payload length, kept by counting
                    // rather than a division per key and length.
                    for slot in 0..<lengthCount {
                        work.bitOfBlock[slot] += 1
                        if work.bitOfBlock[slot] == work.lengths[slot] { work.bitOfBlock[slot] = 0 }
                    }
                }
            }
        }}}}}
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

    /// The buffers of one `collect` call, allocated once and freed by the caller.
    private struct Workspace {
        let scratch: UnsafeMutablePointer<Int32>
        let fscratch: UnsafeMutablePointer<Double>
        /// The kernel's output: residues[key * across + block].
        let residues: UnsafeMutablePointer<Int32>
        let offsets: UnsafeMutablePointer<Int>
        let lengths: UnsafeMutablePointer<Int>
        /// The payload bit of the current block, per length.
        let bitOfBlock: UnsafeMutablePointer<Int>

        init(across: Int, keys: Int, lengths: [Int], offsets: [Int]) {
            scratch = .allocate(capacity: max(1, imprint_dwtdct_scratch_count(Int32(across))))
            fscratch = .allocate(capacity: max(1, imprint_dwtdct_fscratch_count(Int32(across))))
            residues = .allocate(capacity: max(1, keys * across))
            residues.initialize(repeating: 0, count: max(1, keys * across))
            self.offsets = .allocate(capacity: max(1, offsets.count))
            self.offsets.initialize(from: offsets, count: offsets.count)
            self.lengths = .allocate(capacity: max(1, lengths.count))
            self.lengths.initialize(from: lengths, count: lengths.count)
            bitOfBlock = .allocate(capacity: max(1, lengths.count))
            bitOfBlock.initialize(repeating: 0, count: max(1, lengths.count))
        }

        func deallocate() {
            scratch.deallocate()
            fscratch.deallocate()
            residues.deallocate()
            offsets.deallocate()
            lengths.deallocate()
            bitOfBlock.deallocate()
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
    }
}
