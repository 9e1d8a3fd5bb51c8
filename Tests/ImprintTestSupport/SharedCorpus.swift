import Foundation
import XCTest

/// The shared conformance corpus (`../shared/corpus` beside the repository). Tests that
/// need it call `require`, which prints a notice and skips when the corpus is absent.
public enum SharedCorpus {
    /// The repository root, from this file's place in it (Tests/ImprintTestSupport/).
    public static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    public static var root: String? {
        let corpus = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus").path
        return FileManager.default.fileExists(atPath: corpus) ? corpus : nil
    }

    public static func require(_ sub: String) throws -> String {
        guard let root else {
            print("NOTICE: ../shared/corpus is absent; skipping the conformance test that needs \(sub)")
            throw XCTSkip("../shared/corpus is absent")
        }
        return root + "/" + sub
    }
}
