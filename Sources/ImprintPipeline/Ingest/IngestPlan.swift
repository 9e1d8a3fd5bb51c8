import ImprintCase

/// One unit of ingest work: a walked entry and what the case already holds for its path.
public struct IngestItem: Sendable {
    public var entry: WalkEntry
    public var recorded: RecordedFile?

    /// Whether the entry still looks exactly as recorded (type, size, times, link text);
    /// such entries are neither read again nor recorded again.
    public var isUnchanged: Bool {
        guard let recorded else { return false }
        return matches(.init(kind: recorded.kind.rawValue, size: recorded.size, mtimeNs: recorded.mtimeNs,
                             ctimeNs: recorded.ctimeNs, linkTarget: recorded.linkTarget))
    }

    /// Whether the entry differs from its record but looks exactly as the last recorded
    /// change saw it: the change is known, and is not recorded again.
    public var isKnownChange: Bool {
        guard let last = recorded?.lastChange else { return false }
        return matches(last)
    }

    private func matches(_ state: RecordedFile.ObservedState) -> Bool {
        let stat = entry.stat
        return state.kind == stat.kind.rawValue && state.size == stat.size && state.mtimeNs == stat.mtimeNs
            && state.ctimeNs == stat.ctimeNs && state.linkTarget == entry.linkTarget
    }
}

/// Wraps the walker for a resumable ingest: pulls entries in chunks and looks each chunk
/// up in the case with one read, so a re-run knows what is already recorded without
/// holding the whole exhibit's file list in memory.
struct IngestPlan: IteratorProtocol {
    static let chunkSize = 256

    private var walker: EvidenceWalker
    private let store: CaseStore
    private let exhibitID: Int64
    /// When the exhibit has no rows yet, lookups are skipped entirely.
    private let hasRecordedFiles: Bool
    private var buffer: [IngestItem] = []
    private var bufferIndex = 0
    private(set) var lookupError: (any Error)?
    private let stop: StopRequest
    /// Whether the plan ended because a stop was requested.
    private(set) var stopped = false

    init(walker: EvidenceWalker, store: CaseStore, exhibitID: Int64, hasRecordedFiles: Bool, stop: StopRequest) {
        self.walker = walker
        self.store = store
        self.exhibitID = exhibitID
        self.hasRecordedFiles = hasRecordedFiles
        self.stop = stop
    }

    var rootError: RecordedError? { walker.rootError }

    mutating func next() -> IngestItem? {
        if stop.isRequested {
            stopped = true
            return nil
        }
        if bufferIndex < buffer.count {
            defer { bufferIndex += 1 }
            return buffer[bufferIndex]
        }
        guard lookupError == nil else { return nil }
        var entries: [WalkEntry] = []
        while entries.count < Self.chunkSize, let entry = walker.next() { entries.append(entry) }
        if entries.isEmpty { return nil }
        var recorded: [[UInt8]: RecordedFile] = [:]
        if hasRecordedFiles {
            do {
                recorded = try store.recordedFiles(exhibitID: exhibitID, paths: entries.map(\.path))
            } catch {
                // Without knowing what is recorded, going on could record a file twice: stop.
                lookupError = error
                return nil
            }
        }
        buffer = entries.map { IngestItem(entry: $0, recorded: recorded[$0.path]) }
        bufferIndex = 1
        return buffer[0]
    }
}
