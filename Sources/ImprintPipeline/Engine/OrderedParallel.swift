/// Runs `work` over a stream of inputs on at most `jobs` concurrent tasks, keeping the
/// sum of the inputs' `cost` (bytes about to be read) under `maxInFlightCost`, and hands
/// the results to `sink` one at a time, in input order, on the calling task.
///
/// Memory therefore depends on `jobs` and `maxInFlightCost`, never on how many inputs
/// there are; and output order (database row order, JSON lines) is deterministic.
public struct OrderedParallel {
    public var jobs: Int
    public var maxInFlightCost: Int
    /// Finished results waiting for an earlier, slower one before they can be emitted.
    public var maxWaiting: Int

    public init(jobs: Int, maxInFlightCost: Int, maxWaiting: Int = 4096) {
        self.jobs = max(1, jobs)
        self.maxInFlightCost = max(1, maxInFlightCost)
        self.maxWaiting = max(1, maxWaiting)
    }

    public func run<Inputs: IteratorProtocol, Output: Sendable>(
        _ inputs: inout Inputs,
        cost: (Inputs.Element) -> Int,
        work: @escaping @Sendable (Inputs.Element) -> Output,
        sink: (Output) async throws -> Void
    ) async throws where Inputs.Element: Sendable {
        try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var submitted = 0
            var nextToEmit = 0
            var running = 0
            var runningCost = 0
            var costs: [Int: Int] = [:]
            var finished: [Int: Output] = [:]

            func collectOne() async throws {
                guard let (index, output) = try await group.next() else { return }
                running -= 1
                runningCost -= costs.removeValue(forKey: index) ?? 0
                finished[index] = output
                while let ready = finished.removeValue(forKey: nextToEmit) {
                    try await sink(ready)
                    nextToEmit += 1
                }
            }

            while let input = inputs.next() {
                let inputCost = max(0, cost(input))
                while running >= jobs || finished.count >= maxWaiting
                        || (running > 0 && runningCost + inputCost > maxInFlightCost) {
                    try await collectOne()
                }
                let index = submitted
                submitted += 1
                costs[index] = inputCost
                running += 1
                runningCost += inputCost
                group.addTask { (index, work(input)) }
            }
            while running > 0 { try await collectOne() }
        }
    }
}
