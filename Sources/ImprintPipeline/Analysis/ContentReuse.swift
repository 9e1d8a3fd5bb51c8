import Foundation
import ImprintBytes
import ImprintCase

/// Results of analysing one content, kept so that a byte-identical copy met later in the
/// same run is not decoded and analysed again.
///
/// Why this is exact: everything `FileAnalysis` derives after hashing (format, container
/// structure, metadata, decode, perceptual hashes, every analyzer's findings and errors)
/// is a function of the file's bytes and of its name's extension alone — analyzers see
/// the content and `Artifact.fileExtension`, never the path. So the key is the content's
/// SHA-256, SHA-1, MD5 and size plus the lowercased extension, and a reused record is the
/// record a fresh analysis would make (`ContentReuseTests` compares them). What depends on
/// the run rather than the bytes is never stored: a result cut short by the per-file time
/// budget, or one with an out-of-memory decode error, is analysed afresh for every copy.
///
/// Seized sets hold many copies of the same picture (downloads saved twice, messenger
/// forwards, backups of backups), so this saves a full decode and analysis per copy.
/// Memory stays bounded: at most `capacity` results are kept, the oldest dropped first.
public final class ContentReuse: @unchecked Sendable {
    public struct Key: Hashable, Sendable {
        public var sha256: String
        public var sha1: String?
        public var md5: String?
        public var size: Int64
        public var fileExtension: String?
    }

    /// The content-derived part of an `ObservedFile`, in the order `FileAnalysis` builds it.
    struct Result: Sendable {
        var width: Int?
        var height: Int?
        var structure: JSONValue?
        var metadata: JSONValue?
        var perceptualHashes: PerceptualHashRecord?
        /// Errors after the read's own (parse, metadata, analyzers, decode), in order.
        var errors: [RecordedError]
        var findings: [Finding]
    }

    /// The default number of results kept (a few tens of MB for camera photographs).
    public static let defaultCapacity = 1024

    public let capacity: Int
    // Guarded by `lock`; @unchecked because NSLock is the synchronisation.
    private let lock = NSLock()
    private var results: [Key: Result] = [:]
    private var order: [Key] = []
    private var oldest = 0
    private var hits = 0

    public init(capacity: Int = ContentReuse.defaultCapacity) {
        self.capacity = max(0, capacity)
    }

    /// How many files were given an earlier copy's results.
    public var reusedCount: Int { lock.withLock { hits } }

    func result(for key: Key) -> Result? {
        lock.withLock {
            guard let found = results[key] else { return nil }
            hits += 1
            return found
        }
    }

    func store(_ result: Result, for key: Key) {
        guard capacity > 0 else { return }
        lock.withLock {
            guard results[key] == nil else { return }
            // A ring of keys in insertion order: the slot about to be reused holds the oldest.
            if order.count < capacity {
                order.append(key)
            } else {
                results[order[oldest]] = nil
                order[oldest] = key
                oldest = (oldest + 1) % capacity
            }
            results[key] = result
        }
    }
}
