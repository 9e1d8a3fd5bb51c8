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
/// Memory stays bounded: at most `capacity` results and `maxBytes` of them (estimated)
/// are kept, the oldest dropped first.
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

    /// The default number of results kept, and the default bound on their estimated size
    /// (a camera photograph's result is a few kB; one with a large XMP packet can be MBs).
    public static let defaultCapacity = 1024
    public static let defaultMaxBytes = 64 << 20

    public let capacity: Int
    public let maxBytes: Int
    // Guarded by `lock`; @unchecked because NSLock is the synchronisation.
    private let lock = NSLock()
    private var results: [Key: (result: Result, bytes: Int)] = [:]
    /// Keys in insertion order from `head` on: the oldest is dropped first.
    private var order: [Key] = []
    private var head = 0
    private var bytes = 0
    private var hits = 0

    public init(capacity: Int = ContentReuse.defaultCapacity, maxBytes: Int = ContentReuse.defaultMaxBytes) {
        self.capacity = max(0, capacity)
        self.maxBytes = max(0, maxBytes)
    }

    /// How many files were given an earlier copy's results.
    public var reusedCount: Int { lock.withLock { hits } }

    /// The results kept now, and their estimated size in bytes.
    var held: (count: Int, bytes: Int) { lock.withLock { (results.count, bytes) } }

    func result(for key: Key) -> Result? {
        lock.withLock {
            guard let found = results[key] else { return nil }
            hits += 1
            return found.result
        }
    }

    func store(_ result: Result, for key: Key) {
        guard capacity > 0 else { return }
        let size = Self.estimatedBytes(result)
        // One result may take an eighth of the budget at most: a huge one is not worth
        // evicting many ordinary ones for.
        guard size <= maxBytes / 8 else { return }
        lock.withLock {
            guard results[key] == nil else { return }
            while head < order.count && (results.count >= capacity || bytes + size > maxBytes) {
                if let dropped = results.removeValue(forKey: order[head]) { bytes -= dropped.bytes }
                head += 1
            }
            if head > 1024 && head * 2 > order.count {
                order.removeFirst(head)
                head = 0
            }
            order.append(key)
            results[key] = (result, size)
            bytes += size
        }
    }

    /// A rough size in memory of a result: text bytes plus a fixed cost per value.
    static func estimatedBytes(_ result: Result) -> Int {
        var total = 256
        for json in [result.structure, result.metadata] { if let json { total += estimatedBytes(json) } }
        for error in result.errors { total += 64 + error.message.utf8.count + error.code.utf8.count }
        for finding in result.findings {
            total += 256 + finding.summary.utf8.count + finding.label.utf8.count
            total += estimatedBytes(finding.details)
            if let location = finding.location { total += estimatedBytes(location) }
        }
        return total
    }

    static func estimatedBytes(_ json: JSONValue) -> Int {
        switch json {
        case .null, .bool, .int, .double: return 16
        case .string(let text): return 32 + text.utf8.count
        case .array(let values): return 32 + values.reduce(0) { $0 + estimatedBytes($1) }
        case .object(let members): return 32 + members.reduce(0) { $0 + 16 + $1.key.utf8.count + estimatedBytes($1.value) }
        }
    }
}
