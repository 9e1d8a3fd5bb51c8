import ImprintBytes
import ImprintCase

/// What processing one ingest item produced.
public enum IngestResult: Sendable {
    /// A path seen for the first time, fully observed.
    case recorded(ObservedFile, bytesRead: Int64)
    /// Already recorded and unchanged.
    case unchanged(size: Int64)
    /// Differs from its record exactly as an earlier run already recorded.
    case knownChange(size: Int64, path: [UInt8])
    /// Already recorded, but no longer as recorded: the record stays, the change is added.
    case changed(EvidenceChange, bytesRead: Int64)
}

/// The per-item work of an ingest, run concurrently.
struct IngestWork: Sendable {
    var analysis: FileAnalysis

    func process(_ item: IngestItem) -> IngestResult {
        guard let recorded = item.recorded else {
            let file = analysis.observe(item.entry)
            return .recorded(file, bytesRead: file.sha256 != nil ? file.stat.size : 0)
        }
        if item.isUnchanged { return .unchanged(size: item.entry.stat.size) }
        if item.isKnownChange { return .knownChange(size: item.entry.stat.size, path: item.entry.path) }
        return describeChange(item.entry, recorded)
    }

    /// Re-reads a recorded entry that looks different now and says exactly how it differs.
    private func describeChange(_ entry: WalkEntry, _ recorded: RecordedFile) -> IngestResult {
        let stat = entry.stat
        func change(_ kind: String, sha: String? = nil, md5: String? = nil, _ text: String) -> EvidenceChange {
            EvidenceChange(fileID: recorded.id, path: entry.path, kind: kind, entryKind: stat.kind, size: stat.size,
                           mtimeNs: stat.mtimeNs,
                           ctimeNs: stat.ctimeNs, sha256: sha, md5: md5, linkTarget: entry.linkTarget, description: text)
        }
        if recorded.kind != stat.kind {
            return .changed(change("type", "was a \(recorded.kind.rawValue), now a \(stat.kind.rawValue)"), bytesRead: 0)
        }
        if stat.kind == .symlink {
            if recorded.linkTarget == entry.linkTarget {
                return .changed(change("metadata", "link times changed; link text unchanged"), bytesRead: 0)
            }
            let was = PathBytes.display(recorded.linkTarget ?? []), now = PathBytes.display(entry.linkTarget ?? [])
            return .changed(change("link-target", "link text changed from \(was) to \(now)"), bytesRead: 0)
        }
        guard stat.kind == .file, recorded.status == "ok" else {
            return .changed(change("metadata", "size or times changed (\(stat.kind.rawValue); content not recorded)"), bytesRead: 0)
        }
        let outcome = analysis.reader.read(entry)
        guard let sha = outcome.sha256 else {
            let reason = outcome.errors.first?.message ?? "unreadable"
            return .changed(change("unreadable", "recorded file can no longer be read: \(reason)"), bytesRead: 0)
        }
        if sha == recorded.sha256 && outcome.md5 == recorded.md5 {
            return .changed(change("metadata", sha: sha, md5: outcome.md5,
                                   "times or size metadata changed; content identical (SHA-256 \(sha))"),
                            bytesRead: outcome.bytesRead)
        }
        return .changed(change("content", sha: sha, md5: outcome.md5,
                               "CONTENT CHANGED: recorded SHA-256 \(recorded.sha256 ?? "none"), now \(sha)"),
                        bytesRead: outcome.bytesRead)
    }
}
