import CImprintKernels
import XCTest
import ImprintImaging
@testable import ImprintSimilarity

/// The streamed tent filter must give the same bits as the whole-plane form
/// (`JaroszFilter.tent` then `PDQTransform.decimate`), which the corpus tests tie to
/// Meta's reference, on every shape: tiny, narrow, tall, odd and block-boundary sizes.
final class JaroszStreamTests: XCTestCase {
    private func randomPlane(rows: Int, cols: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(state: seed)
        return (0..<(rows * cols)).map { _ in Float(generator.next() % 25_600) / 100 }
    }

    private func plain(_ values: [Float], rows: Int, cols: Int) -> [Float] {
        var plane = FloatPlane(rows: rows, cols: cols, values: values)
        JaroszFilter.tent(&plane)
        return PDQTransform.decimate(plane)
    }

    private func streamed(_ values: [Float], rows: Int, cols: Int, portable: Bool = false) -> [Float] {
        values.withUnsafeBufferPointer { source in
            JaroszStream.tentDecimated(rows: rows, cols: cols, portable: portable) { row, target in
                guard let base = source.baseAddress else { return }
                target.update(from: base + row * cols, count: cols)
            }
        }
    }

    func testStreamIsBitIdenticalToTheWholePlaneFilter() {
        // Includes heights around the stream's 8-row groups and widths off the 8-column tiles.
        let shapes = [(5, 5), (5, 300), (300, 5), (63, 65), (64, 64), (65, 129), (128, 128), (129, 257),
                      (200, 1000), (1000, 37), (500, 700), (777, 64), (64, 777),
                      (7, 9), (8, 8), (9, 700), (15, 17), (17, 33), (6, 1000), (1003, 13)]
        for (index, (rows, cols)) in shapes.enumerated() {
            let values = randomPlane(rows: rows, cols: cols, seed: UInt64(index + 1))
            let expected = plain(values, rows: rows, cols: cols)
            for portable in [false, true] {
                let actual = streamed(values, rows: rows, cols: cols, portable: portable)
                let differing = zip(expected, actual).filter { $0.bitPattern != $1.bitPattern }.count
                XCTAssertEqual(differing, 0, "\(rows)x\(cols) portable \(portable): \(differing) of 4096 values differ")
            }
        }
    }

    func testHashOfARasterEqualsTheHashOfItsLumaPlane() throws {
        for (width, height, seed) in [(640, 480, UInt32(3)), (333, 1000, 4), (1200, 70, 5)] {
            let raster = SyntheticRasters.texture(width: width, height: height, seed: seed)
            for arithmetic in PDQLumaArithmetic.allCases {
                let plane = PDQLuma.plane(from: raster, arithmetic: arithmetic)
                let viaPlane = try XCTUnwrap(PDQ.hash(luma: plane.values, rows: plane.rows, cols: plane.cols))
                let viaStream = PDQ.hash(raster, luma: arithmetic)
                XCTAssertEqual(viaStream.hash, viaPlane.hash, "\(width)x\(height) \(arithmetic)")
                XCTAssertEqual(viaStream.quality, viaPlane.quality)
                XCTAssertEqual(viaStream.coefficients.map(\.bitPattern), viaPlane.coefficients.map(\.bitPattern))
            }
        }
    }

    /// The C stream refuses a workspace, size or sample position that does not fit
    /// instead of writing outside its buffers.
    func testStreamRefusesWhatDoesNotFit() {
        let rows = 100, cols = 90
        let window = JaroszFilter.windowSize(oldDimension: rows)
        let needed = imprint_tent_workspace_floats(Int32(rows), Int32(cols), Int32(window))
        XCTAssertGreaterThan(needed, 0)
        XCTAssertEqual(imprint_tent_workspace_floats(0, 10, 1), 0)
        var workspace = [Float](repeating: 0, count: needed)
        var slots = [Int32](repeating: 0, count: cols)
        var stream = imprint_tent_stream()
        let samples = PDQTransform.samples(rows).map { Int32($0) }, columns = PDQTransform.samples(cols).map { Int32($0) }
        XCTAssertEqual(imprint_tent_begin(&stream, Int32(rows), Int32(cols), 1, Int32(window), samples, columns,
                                          &workspace, needed - 1, &slots), -1)
        var outside = columns
        outside[63] = Int32(cols)
        XCTAssertEqual(imprint_tent_begin(&stream, Int32(rows), Int32(cols), 1, Int32(window), samples, outside,
                                          &workspace, needed, &slots), -1)
        XCTAssertEqual(imprint_tent_begin(&stream, Int32(rows), Int32(cols), 1, Int32(window), samples, columns,
                                          &workspace, needed, &slots), 0)
    }
}
