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

    private func streamed(_ values: [Float], rows: Int, cols: Int) -> [Float] {
        values.withUnsafeBufferPointer { source in
            JaroszStream.tentDecimated(rows: rows, cols: cols) { row, target in
                guard let base = source.baseAddress else { return }
                target.update(from: base + row * cols, count: cols)
            }
        }
    }

    func testStreamIsBitIdenticalToTheWholePlaneFilter() {
        let shapes = [(5, 5), (5, 300), (300, 5), (63, 65), (64, 64), (65, 129), (128, 128), (129, 257),
                      (200, 1000), (1000, 37), (500, 700), (777, 64), (64, 777)]
        for (index, (rows, cols)) in shapes.enumerated() {
            let values = randomPlane(rows: rows, cols: cols, seed: UInt64(index + 1))
            let expected = plain(values, rows: rows, cols: cols)
            let actual = streamed(values, rows: rows, cols: cols)
            let differing = zip(expected, actual).filter { $0.bitPattern != $1.bitPattern }.count
            XCTAssertEqual(differing, 0, "\(rows)x\(cols): \(differing) of 4096 values differ")
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

    func testBoxSweepOutputsEqualBox1D() {
        for (length, window) in [(1, 1), (2, 1), (7, 7), (10, 3), (10, 4), (50, 8), (9, 20)] {
            let values = randomPlane(rows: 1, cols: length, seed: UInt64(length * 31 + window))
            let expected = JaroszFilter.box1D(values, window: window)
            var sweep = BoxSweep(lanes: 1, length: length, window: window)
            var actual = [Float](repeating: .nan, count: length)
            values.withUnsafeBufferPointer { source in
                actual.withUnsafeMutableBufferPointer { target in
                    guard let input = source.baseAddress, let output = target.baseAddress else { return }
                    for step in 0..<length where sweep.push(input + step) { sweep.output(into: output + sweep.out) }
                    while sweep.drain() { sweep.output(into: output + sweep.out) }
                }
            }
            XCTAssertEqual(actual.map(\.bitPattern), expected.map(\.bitPattern), "length \(length), window \(window)")
        }
    }
}
