import Foundation
import XCTest
@testable import ImprintPipeline

final class OrderedParallelTests: XCTestCase {
    /// Counts concurrently running work items.
    final class Gauge: @unchecked Sendable {
        private let lock = NSLock()
        private var current = 0
        private(set) var peak = 0
        private(set) var peakCost = 0
        private var currentCost = 0
        func enter(cost: Int) { lock.withLock { current += 1; currentCost += cost; peak = max(peak, current); peakCost = max(peakCost, currentCost) } }
        func leave(cost: Int) { lock.withLock { current -= 1; currentCost -= cost } }
    }

    func testResultsComeInInputOrderWithBoundedConcurrency() async throws {
        let gauge = Gauge()
        var inputs = (0..<200).makeIterator()
        var seen: [Int] = []
        try await OrderedParallel(jobs: 3, maxInFlightCost: 1_000).run(&inputs, cost: { _ in 10 }, work: { value in
            gauge.enter(cost: 10)
            usleep(UInt32((value * 7919) % 500))   // finish out of order
            gauge.leave(cost: 10)
            return value * 2
        }, sink: { seen.append($0) })
        XCTAssertEqual(seen, (0..<200).map { $0 * 2 })
        XCTAssertLessThanOrEqual(gauge.peak, 3)
    }

    func testInFlightCostIsBoundedButOneLargeItemStillRuns() async throws {
        let gauge = Gauge()
        var inputs = [400, 400, 400, 5_000, 100, 100].makeIterator()
        var count = 0
        try await OrderedParallel(jobs: 8, maxInFlightCost: 1_000).run(&inputs, cost: { $0 }, work: { cost in
            gauge.enter(cost: cost)
            usleep(2_000)
            gauge.leave(cost: cost)
            return cost
        }, sink: { _ in count += 1 })
        XCTAssertEqual(count, 6)
        // Items are admitted only while the sum stays under the bound; an item larger than
        // the bound runs alone.
        XCTAssertLessThanOrEqual(gauge.peakCost, 5_000)
        XCTAssertLessThanOrEqual(gauge.peak, 3)
    }

    func testSinkErrorStopsTheRun() async {
        struct Stop: Error {}
        var inputs = (0..<1_000).makeIterator()
        var emitted = 0
        do {
            try await OrderedParallel(jobs: 2, maxInFlightCost: 100).run(&inputs, cost: { _ in 1 }, work: { $0 }, sink: { value in
                emitted += 1
                if value == 10 { throw Stop() }
            })
            XCTFail("the sink's error must propagate")
        } catch {
            XCTAssertTrue(error is Stop)
            XCTAssertEqual(emitted, 11)
        }
    }
}
