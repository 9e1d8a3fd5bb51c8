import CImprintKernels
import ImprintImaging
import XCTest
@testable import ImprintDetectors

/// The block-row kernel must choose exactly the coefficient the per-pixel definition
/// chooses (SD-WATERMARK.md §1.4) and report its residue on the 1/256 grid: OpenCV's
/// 8-bit U (`opencvU8`) summed over each 2x2 cell for the uint8 lattice, and the float
/// expression on the cell's channel sums for the float lattice.
final class DwtDctBlockRowTests: XCTestCase {
    func testBlockRowKernelEqualsThePerPixelDefinition() {
        var state: UInt64 = 0x9E37_79B9
        func byte() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        var blocksChecked = 0
        for (width, height, channels) in [(16, 8, 3), (37, 19, 4), (130, 22, 3), (8, 8, 3), (96, 16, 3), (1003, 11, 3), (64, 64, 4)] {
            // Extremes included: saturated and black pixels exercise the clamp; a smooth
            // ramp in part of each image gives near-ties between positions.
            let pixels = (0..<(width * height * channels)).map { index -> UInt8 in
                if index % 17 == 0 { return 255 }
                if index % 19 == 0 { return 0 }
                if (index / channels) % width < 8 { return UInt8(truncatingIfNeeded: index / channels / width * 3 + index % channels) }
                return byte()
            }
            let (across, down) = DwtDctBlockField.blockGrid(width: width, height: height)
            var scratch = [Int32](repeating: -7, count: imprint_dwtdct_scratch_count(Int32(across)))
            var fscratch = [Double](repeating: .nan, count: imprint_dwtdct_fscratch_count(Int32(across)))
            // The same pixels as three planes, rows 5 bytes longer than the image.
            let stride = width + 5
            let planes = Self.planes(pixels, width: width, height: height, channels: channels, stride: stride)
            for blockRow in 0..<down {
                var out = [Int32](repeating: -1, count: 4 * across)
                var planarOut = [Int32](repeating: -1, count: 4 * across)
                pixels.withUnsafeBufferPointer { source in
                    guard let p = source.baseAddress else { return }
                    imprint_dwtdct_block_row(p + blockRow * 8 * width * channels, width * channels, Int32(channels), Int32(across),
                                             &scratch, &fscratch, &out)
                }
                planes.withUnsafeBufferPointer { source in
                    guard let p = source.baseAddress else { return }
                    let first = p + blockRow * 8 * stride, plane = stride * height
                    imprint_dwtdct_block_row_planes(first, first + plane, first + 2 * plane, stride, Int32(across),
                                                    &scratch, &fscratch, &planarOut)
                }
                for block in 0..<across {
                    let expected = Self.residues(pixels, width: width, channels: channels, blockRow: blockRow, block: block)
                    for key in 0..<4 {
                        XCTAssertEqual(Int(out[key * across + block]), expected[key],
                                       "\(width)x\(height)x\(channels) block (\(blockRow), \(block)) key \(key)")
                        XCTAssertEqual(Int(planarOut[key * across + block]), expected[key],
                                       "planes: \(width)x\(height)x\(channels) block (\(blockRow), \(block)) key \(key)")
                    }
                    blocksChecked += 1
                }
            }
        }
        XCTAssertGreaterThan(blocksChecked, 200)
    }

    /// R, G and B of interleaved `pixels` as three planes of `height` rows, `stride` bytes
    /// apart (the padding 0x5A, which the kernel must not read).
    static func planes(_ pixels: [UInt8], width: Int, height: Int, channels: Int, stride: Int) -> [UInt8] {
        var planes = [UInt8](repeating: 0x5A, count: 3 * stride * height)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 { planes[c * stride * height + y * stride + x] = pixels[(y * width + x) * channels + c] }
            }
        }
        return planes
    }

    /// The planar chroma test: any pixel with R != G or R != B, in any row, at any column.
    func testPlanesHaveChroma() {
        let width = 37, height = 5, stride = 40
        let grey = (0..<(width * height)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var pixels = grey.flatMap { [$0, $0, $0] }
        func check() -> Bool {
            let planes = Self.planes(pixels, width: width, height: height, channels: 3, stride: stride)
            return planes.withUnsafeBufferPointer { p -> Bool in
                guard let base = p.baseAddress else { return false }
                return imprint_planes_have_chroma(base, base + stride * height, base + 2 * stride * height, stride,
                                                  Int32(width), Int32(height)) != 0
            }
        }
        XCTAssertFalse(check(), "grey")
        for (pixel, channel) in [(0, 1), (width * height - 1, 2), (2 * width + 19, 1), (4 * width + 36, 2)] {
            let saved = pixels[pixel * 3 + channel]
            pixels[pixel * 3 + channel] &+= 1
            XCTAssertTrue(check(), "pixel \(pixel) channel \(channel)")
            pixels[pixel * 3 + channel] = saved
        }
        XCTAssertFalse(check())
    }

    /// The kernel refuses what it cannot read instead of reading out of bounds.
    func testKernelIgnoresUnsupportedChannelCounts() {
        var scratch = [Int32](repeating: 0, count: imprint_dwtdct_scratch_count(1))
        var fscratch = [Double](repeating: 0, count: imprint_dwtdct_fscratch_count(1))
        var out = [Int32](repeating: -1, count: 4)
        let pixels = [UInt8](repeating: 9, count: 8 * 8 * 2)
        imprint_dwtdct_block_row(pixels, 16, 2, 1, &scratch, &fscratch, &out)
        XCTAssertEqual(out, [-1, -1, -1, -1])
        XCTAssertEqual(imprint_dwtdct_scratch_count(0), 0)
    }

    /// The four keys' residues of one block, straight from the definition: per-pixel U,
    /// Haar LL, the first largest |LL| at positions 1...15, round(256 |LL|) mod 9216.
    static func residues(_ pixels: [UInt8], width: Int, channels: Int, blockRow: Int, block: Int) -> [Int] {
        var values: [[Double]] = Array(repeating: [], count: 4)
        for llRow in 0..<4 {
            for llColumn in 0..<4 {
                var sumR = 0, sumG = 0, sumB = 0, bgr = 0, rgb = 0
                for dy in 0..<2 {
                    for dx in 0..<2 {
                        let y = blockRow * 8 + llRow * 2 + dy, x = block * 8 + llColumn * 2 + dx
                        let i = (y * width + x) * channels
                        let r = Int(pixels[i]), g = Int(pixels[i + 1]), b = Int(pixels[i + 2])
                        sumR += r; sumG += g; sumB += b
                        bgr += opencvU8(c0: b, c1: g, c2: r)
                        rgb += opencvU8(c0: r, c1: g, c2: b)
                    }
                }
                let r = Double(sumR), g = Double(sumG), b = Double(sumB)
                values[0].append(Double(bgr) / 2)
                values[1].append((0.492111 * (b - (0.299 * r + 0.587 * g + 0.114 * b)) + 2) / 2)
                values[2].append(Double(rgb) / 2)
                values[3].append((0.492111 * (r - (0.299 * b + 0.587 * g + 0.114 * r)) + 2) / 2)
            }
        }
        return values.map { block in
            var best = abs(block[1])
            for position in 2..<16 where abs(block[position]) > best { best = abs(block[position]) }
            return Int((best * 256).rounded()) % 9216
        }
    }

    /// OpenCV's 8-bit COLOR_BGR2YUV U channel, in its 14-bit fixed point: Y is rounded
    /// first, then U = round(0.492111 (c0 - Y) + 128), saturated to 0...255. (c0, c1, c2)
    /// play OpenCV's (B, G, R).
    static func opencvU8(c0: Int, c1: Int, c2: Int) -> Int {
        let y = (c2 * 4899 + c1 * 9617 + c0 * 1868 + 8192) >> 14
        let u = ((c0 - y) * 8061 + (128 << 14) + 8192) >> 14
        return min(max(u, 0), 255)
    }
}
