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

/// The four order × lattice combinations the block votes are collected for
/// (SD-WATERMARK.md §1.4; `DwtDctStripCollector` collects them), the block grid and the
/// residue table.
enum DwtDctBlockField {
    struct Key: Hashable {
        var order: DwtDctChannelOrder
        var lattice: DwtDctLattice
    }

    /// The order `imprint_dwtdct_block_row` writes its residues in.
    static let keys = [Key(order: .bgr, lattice: .uint8), Key(order: .bgr, lattice: .float),
                       Key(order: .rgbAsBgr, lattice: .uint8), Key(order: .rgbAsBgr, lattice: .float)]

    /// The number of whole 4x4 LL blocks (8x8 pixels) in a width x height image.
    static func blockGrid(width: Int, height: Int) -> (across: Int, down: Int) {
        let llWidth = (width - width % 4) / 2, llHeight = (height - height % 4) / 2
        return (llWidth / 4, llHeight / 4)
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

/// The dwtDct block votes of one image, gathered from its rows in order, 8 at a time
/// (each strip starting at a multiple of 8): while the decoder makes them, as three
/// planes, so that the image is never held whole (a `PlanarStripConsumer`), or from a
/// whole raster.
///
/// Each row of blocks goes through `imprint_dwtdct_block_row` or its planar form
/// `imprint_dwtdct_block_row_planes` (CImprintKernels), which
/// computes OpenCV's U of both channel orders per pixel, the Haar LL cells and each
/// block's chosen coefficient for the four keys, and returns its residue on the 1/256
/// grid; here the residues become soft votes for every payload length, block by block in
/// row-major order.
public final class DwtDctStripCollector: PlanarStripConsumer {
    public let width: Int
    public let height: Int
    let channels: Int
    let lengths: [Int]
    let across: Int
    let down: Int
    /// False while every pixel seen has R = G = B.
    public private(set) var hasChroma = false
    /// The rows seen so far (the next strip must start here).
    public private(set) var rowsSeen = 0
    /// Set when a strip came out of order or did not fit: the votes are then not used.
    public private(set) var failed = false

    private var blockIndex = 0
    /// Sums of sin and cos per (key, payload length, bit), flat: slot (k, l) starts at
    /// offsets[k * lengths.count + l].
    private var sinSums: [Double]
    private var cosSums: [Double]
    private let offsets: [Int]
    // The kernel's buffers and the per-block bookkeeping, raw: the per-block loop is the
    // hot part after the kernel.
    private let scratch: UnsafeMutablePointer<Int32>
    private let fscratch: UnsafeMutablePointer<Double>
    /// The kernel's output: residues[key * across + block].
    private let residues: UnsafeMutablePointer<Int32>
    private let offsetBuffer: UnsafeMutablePointer<Int>
    private let lengthBuffer: UnsafeMutablePointer<Int>
    /// The payload bit of the current block, per length.
    private let bitOfBlock: UnsafeMutablePointer<Int>
    /// The current row's soft-vote terms, sin and cos per (key, block): [key * across + block].
    private let rowSines: UnsafeMutablePointer<Double>
    private let rowCosines: UnsafeMutablePointer<Double>

    /// `channels` is 3 (RGB) or 4 (RGBA; alpha ignored); `lengths` the payload lengths.
    public init(width: Int, height: Int, channels: Int = 3, lengths: [Int]) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        self.channels = channels
        self.lengths = lengths
        (across, down) = DwtDctBlockField.blockGrid(width: self.width, height: self.height)
        var offsets: [Int] = []
        var total = 0
        for _ in DwtDctBlockField.keys { for length in lengths { offsets.append(total); total += length } }
        self.offsets = offsets
        sinSums = [Double](repeating: 0, count: total)
        cosSums = [Double](repeating: 0, count: total)
        let keyCount = DwtDctBlockField.keys.count
        scratch = .allocate(capacity: max(1, imprint_dwtdct_scratch_count(Int32(across))))
        fscratch = .allocate(capacity: max(1, imprint_dwtdct_fscratch_count(Int32(across))))
        residues = .allocate(capacity: max(1, keyCount * across))
        residues.initialize(repeating: 0, count: max(1, keyCount * across))
        offsetBuffer = .allocate(capacity: max(1, offsets.count))
        offsetBuffer.initialize(from: offsets, count: offsets.count)
        lengthBuffer = .allocate(capacity: max(1, lengths.count))
        lengthBuffer.initialize(from: lengths, count: lengths.count)
        bitOfBlock = .allocate(capacity: max(1, lengths.count))
        bitOfBlock.initialize(repeating: 0, count: max(1, lengths.count))
        rowSines = .allocate(capacity: max(1, keyCount * across))
        rowSines.initialize(repeating: 0, count: max(1, keyCount * across))
        rowCosines = .allocate(capacity: max(1, keyCount * across))
        rowCosines.initialize(repeating: 0, count: max(1, keyCount * across))
    }

    /// The votes of a whole raster (RGB or RGBA), fed in strips of 8 rows.
    convenience init(_ raster: Raster, lengths: [Int]) {
        self.init(width: raster.width, height: raster.height, channels: raster.channels, lengths: lengths)
        guard raster.channels == 3 || raster.channels == 4,
              raster.pixels.count >= raster.width * raster.height * raster.channels else {
            failed = true
            return
        }
        let rowBytes = raster.width * raster.channels
        raster.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress else { return }
            var first = 0
            while first < raster.height {
                let count = min(8, raster.height - first)
                add(base + first * rowBytes, firstRow: first, rowCount: count)
                first += count
            }
        }
    }

    deinit {
        scratch.deallocate()
        fscratch.deallocate()
        residues.deallocate()
        offsetBuffer.deallocate()
        lengthBuffer.deallocate()
        bitOfBlock.deallocate()
        rowSines.deallocate()
        rowCosines.deallocate()
    }

    /// The whole blocks of the image: payloads longer than this cannot be decoded.
    public var blocks: Int { across * down }

    /// True once every row arrived, in order.
    public var isComplete: Bool { !failed && rowsSeen == height }

    /// The replicated-chroma image's strips as the one-pass decode makes them: the same
    /// votes as the interleaved rows (`DwtDctPlanarTests`), without taking pixels apart.
    public func consume(_ strip: PlanarStrip, firstRow: Int, rowCount: Int, width: Int, height: Int) {
        guard width == self.width, height == self.height else {
            failed = true
            return
        }
        guard accept(firstRow: firstRow, rowCount: rowCount) else { return }
        if !hasChroma {
            hasChroma = imprint_planes_have_chroma(strip.red, strip.green, strip.blue, strip.stride, Int32(width), Int32(rowCount)) != 0
        }
        guard holdsBlockRow(firstRow: firstRow, rowCount: rowCount) else { return }
        imprint_dwtdct_block_row_planes(strip.red, strip.green, strip.blue, strip.stride, Int32(across), scratch, fscratch, residues)
        addResidues()
    }

    /// Rows firstRow..<firstRow + rowCount of `width` × `channels` bytes each.
    func add(_ rows: UnsafePointer<UInt8>, firstRow: Int, rowCount: Int) {
        guard channels == 3 || channels == 4 else {
            failed = true
            return
        }
        guard accept(firstRow: firstRow, rowCount: rowCount) else { return }
        let rowBytes = width * channels
        if !hasChroma { hasChroma = Self.hasChroma(rows, count: rowCount * rowBytes, channels: channels) }
        guard holdsBlockRow(firstRow: firstRow, rowCount: rowCount) else { return }
        imprint_dwtdct_block_row(rows, rowBytes, Int32(channels), Int32(across), scratch, fscratch, residues)
        addResidues()
    }

    /// Takes rows firstRow..<firstRow + rowCount if they are the next ones (a strip of at
    /// most 8 starting at a multiple of 8); otherwise marks the collector failed.
    private func accept(firstRow: Int, rowCount: Int) -> Bool {
        guard !failed, firstRow == rowsSeen, firstRow % 8 == 0, rowCount > 0, rowCount <= 8, firstRow + rowCount <= height else {
            failed = true
            return false
        }
        rowsSeen += rowCount
        return true
    }

    /// A block row needs all 8 of its pixel rows; a short last strip holds none.
    private func holdsBlockRow(firstRow: Int, rowCount: Int) -> Bool {
        rowCount == 8 && firstRow / 8 < down && across > 0
    }

    /// The votes of the block row whose residues the kernel just wrote.
    private func addResidues() {
        let table = DwtDctBlockField.ResidueTable.shared
        let lengthCount = lengths.count, keyCount = DwtDctBlockField.keys.count, across = self.across
        let residues = self.residues, offsets = offsetBuffer, lengths = lengthBuffer, bitOfBlock = self.bitOfBlock
        let rowSines = self.rowSines, rowCosines = self.rowCosines
        // Each block's soft-vote terms, looked up once per key (residues are in 0..<9216,
        // the tables' size: ResidueTable).
        table.sines.withUnsafeBufferPointer { sines in
        table.cosines.withUnsafeBufferPointer { cosines in
            for i in 0..<(keyCount * across) {
                let index = Int(residues[i])
                rowSines[i] = sines[index]
                rowCosines[i] = cosines[index]
            }
        }}
        // Block n votes for bit n mod L. Along a row of blocks the bits run consecutively,
        // wrapping at L, so the row's terms are added to the sums as a few contiguous
        // runs: element-wise additions that vectorise, and each bit still receives its
        // blocks' terms one by one in block order (the same sums, bit for bit).
        sinSums.withUnsafeMutableBufferPointer { sinSums in
        cosSums.withUnsafeMutableBufferPointer { cosSums in
            guard let sinBase = sinSums.baseAddress, let cosBase = cosSums.baseAddress else { return }
            for slot in 0..<lengthCount {
                let length = lengths[slot]
                guard length > 0 else { continue }
                for k in 0..<keyCount {
                    let sums = offsets[k * lengthCount + slot], terms = k * across
                    var column = 0, bit = bitOfBlock[slot]
                    while column < across {
                        let run = min(across - column, length - bit)
                        Self.addRun(rowSines + terms + column, into: sinBase + sums + bit, count: run)
                        Self.addRun(rowCosines + terms + column, into: cosBase + sums + bit, count: run)
                        column += run
                        bit = (bit + run) % length
                    }
                }
                bitOfBlock[slot] = (bitOfBlock[slot] + across) % length
            }
        }}
        blockIndex += across
    }

    /// target[i] += terms[i] for i in 0..<count.
    @inline(__always)
    private static func addRun(_ terms: UnsafeMutablePointer<Double>, into target: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { target[i] += terms[i] }
    }

    /// Votes per (order, lattice) and per payload length of the blocks seen.
    func votes() -> [DwtDctBlockField.Key: [Int: DwtDctBlockVotes]] {
        guard !failed, across > 0, down > 0 else { return [:] }
        var result: [DwtDctBlockField.Key: [Int: DwtDctBlockVotes]] = [:]
        for (k, key) in DwtDctBlockField.keys.enumerated() {
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

    /// False when every pixel of `count` bytes has R = G = B.
    static func hasChroma(_ pixels: UnsafePointer<UInt8>, count: Int, channels: Int) -> Bool {
        var i = 0
        while i + 2 < count {
            if pixels[i] != pixels[i + 1] || pixels[i] != pixels[i + 2] { return true }
            i += channels
        }
        return false
    }
}
