#if canImport(Glibc)
import Glibc
#endif
import XCTest
import ImprintBytes
import ImprintCase
@testable import ImprintPipeline
import ImprintTestSupport

/// An analyzer that takes longer than a small per-file budget (0.3 s), then reports that
/// it finished.
struct SlowAnalyzer: Analyzer {
    let id = "test.slow"
    let version = "1"
    let needsPixels = false
    func analyze(_ artifact: Artifact) throws -> [Finding] {
        usleep(300_000)
        return [Finding(analyzer: id, analyzerVersion: version, category: .integrity, label: "test.slow-done",
                        strength: .info, summary: "The slow analyzer finished.")]
    }
}

extension FixtureTree {
    /// The walked entry of the file at `name` (relative to the root).
    func walkEntry(_ name: String) throws -> WalkEntry {
        guard case .success(let root) = DirectoryHandle.openRoot(rootBytes) else { throw FixtureError("open root") }
        return try XCTUnwrap(EvidenceWalker(root: root).first { $0.path == Array(name.utf8) })
    }
}
