/// The time one file's analysis may take after it was read and hashed (docs/limits.md).
///
/// Swift cannot pre-empt a running function, so the budget is cooperative: the pipeline
/// checks it before parsing, metadata, the full decode and each analyzer, and an analyzer
/// with a long loop calls `check` itself. Once the budget is spent the remaining steps are
/// skipped and one `time-budget` error names them; the file keeps its hashes and whatever
/// the finished steps produced, and the batch goes on. Hashing is never skipped.
public struct AnalysisDeadline: Sendable {
    /// Seconds allowed, or nil for no budget.
    public let budgetSeconds: Double?
    private let start: ContinuousClock.Instant

    public init(budgetSeconds: Double?) {
        self.budgetSeconds = budgetSeconds
        self.start = ContinuousClock.now
    }

    public static let unlimited = AnalysisDeadline(budgetSeconds: nil)

    public var elapsedSeconds: Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public var isExpired: Bool {
        guard let budgetSeconds else { return false }
        return elapsedSeconds > budgetSeconds
    }

    /// Throws when the budget is spent; `step` names what would have run next.
    public func check(_ step: String) throws(AnalysisBudgetExceeded) {
        if isExpired, let budgetSeconds {
            throw AnalysisBudgetExceeded(step: step, elapsedSeconds: elapsedSeconds, budgetSeconds: budgetSeconds)
        }
    }
}

/// Thrown by `AnalysisDeadline.check`; recorded as the `time-budget` error.
public struct AnalysisBudgetExceeded: Error, Sendable, CustomStringConvertible {
    public var step: String
    public var elapsedSeconds: Double
    public var budgetSeconds: Double

    public var description: String {
        "the analysis time budget of \(budgetSeconds) s per file was spent (\(Self.seconds(elapsedSeconds)) s) before \(step)"
    }

    static func seconds(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return String(rounded)
    }
}
