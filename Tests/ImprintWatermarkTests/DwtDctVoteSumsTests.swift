import CImprintKernels
import ImprintImaging
import XCTest
@testable import ImprintDetectors

/// The collector adds each row's soft-vote terms to the per-bit sums in contiguous runs;
/// every bit must still get exactly the sums of the plain loop (block by block, key by key,
/// length by length, in row-major block order), bit for bit.
final class DwtDctVoteSumsTests: XCTestCase {
    private func picture(width: Int, height: Int) -> Raster {
        var state: UInt32 = 2024
        let pixels = (0..<(width * height * 3)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        return Raster(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// The plain loop over the kernel's residues.
    private func referenceSums(_ raster: Raster, lengths: [Int]) -> [[(sin: [Double], cos: [Double])]] {
        let (across, down) = DwtDctBlockField.blockGrid(width: raster.width, height: raster.height)
        let keys = DwtDctBlockField.keys.count
        let table = DwtDctBlockField.ResidueTable.shared
        var sums = (0..<keys).map { _ in lengths.map { (sin: [Double](repeating: 0, count: $0), cos: [Double](repeating: 0, count: $0)) } }
        var scratch = [Int32](repeating: 0, count: max(1, imprint_dwtdct_scratch_count(Int32(across))))
        var fscratch = [Double](repeating: 0, count: max(1, imprint_dwtdct_fscratch_count(Int32(across))))
        var residues = [Int32](repeating: 0, count: max(1, keys * across))
        var block = 0
        for blockRow in 0..<down {
            raster.pixels.withUnsafeBufferPointer { pixels in
                guard let base = pixels.baseAddress else { return }
                imprint_dwtdct_block_row(base + blockRow * 8 * raster.width * 3, raster.width * 3, 3, Int32(across),
                                         &scratch, &fscratch, &residues)
            }
            for column in 0..<across {
                for k in 0..<keys {
                    let index = Int(residues[k * across + column])
                    for (slot, length) in lengths.enumerated() {
                        sums[k][slot].sin[block % length] += table.sines[index]
                        sums[k][slot].cos[block % length] += table.cosines[index]
                    }
                }
                block += 1
            }
        }
        return sums
    }

    func testRunsGiveThePlainLoopsSumsBitForBit() throws {
        // 203 × 157: 25 × 19 blocks. Lengths shorter than a row (wrapping several times
        // within it), longer than a row, and longer than the image.
        let raster = picture(width: 203, height: 157)
        let lengths = [3, 7, 24, 48, 136, 1000]
        let collector = DwtDctStripCollector(raster, lengths: lengths)
        let votes = collector.votes()
        let expected = referenceSums(raster, lengths: lengths)
        for (k, key) in DwtDctBlockField.keys.enumerated() {
            for (slot, length) in lengths.enumerated() {
                let got = try XCTUnwrap(votes[key]?[length])
                XCTAssertEqual(got.sinSums.map(\.bitPattern), expected[k][slot].sin.map(\.bitPattern), "\(key) length \(length)")
                XCTAssertEqual(got.cosSums.map(\.bitPattern), expected[k][slot].cos.map(\.bitPattern), "\(key) length \(length)")
            }
        }
    }
}
