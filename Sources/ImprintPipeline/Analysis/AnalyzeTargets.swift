#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImprintBytes
import ImprintCase

/// One thing `imprint analyze` reports on: a walked entry shown under the path the user
/// gave, or a path that could not be examined at all.
public enum AnalyzeTarget: Sendable {
    case entry(WalkEntry, displayPath: [UInt8])
    case unreachable(path: [UInt8], error: RecordedError)
}

/// The paths given to `imprint analyze`, expanded: a file is itself, a folder is walked
/// like an evidence root. A link named explicitly is reported as a link, not followed.
public struct AnalyzeTargets: IteratorProtocol {
    private var pending: [String]
    private var walker: EvidenceWalker?
    private var walkPrefix: [UInt8] = []

    public init(paths: [String]) {
        pending = paths.reversed()
    }

    public mutating func next() -> AnalyzeTarget? {
        while true {
            if var current = walker {
                if let entry = current.next() {
                    walker = current
                    return .entry(entry, displayPath: PathBytes.join(walkPrefix, entry.path))
                }
                walker = nil
                if let error = current.rootError { return .unreachable(path: walkPrefix, error: error) }
                continue
            }
            guard let path = pending.popLast() else { return nil }
            var bytes = Array(path.utf8)
            while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
            if let target = start(bytes) { return target }
        }
    }

    /// Sets up a walk for a folder (returning nil), or returns the single target for anything else.
    private mutating func start(_ path: [UInt8]) -> AnalyzeTarget? {
        let slash = path.lastIndex(of: UInt8(ascii: "/"))
        let parent: [UInt8] = slash.map { $0 == path.startIndex ? [UInt8(ascii: "/")] : Array(path[..<$0]) } ?? [UInt8(ascii: ".")]
        let name: [UInt8] = slash.map { Array(path[($0 + 1)...]) } ?? path
        let directory: DirectoryHandle
        switch DirectoryHandle.openRoot(parent) {
        case .success(let handle): directory = handle
        case .failure(let error):
            return .unreachable(path: path, error: RecordedError(stage: "walk", code: error.recordCode,
                                                                 message: "cannot open the folder containing this path: \(error.text)"))
        }
        let single = name.isEmpty || name == [UInt8(ascii: ".")] || name == [0x2E, 0x2E]
            ? nil : EvidenceWalker.single(directory: directory, name: name, displayPath: path)
        if let single, single.stat.kind != .directory || single.error != nil {
            return .entry(single, displayPath: path)
        }
        switch DirectoryHandle.openRoot(path) {
        case .success(let root):
            walker = EvidenceWalker(root: root)
            walkPrefix = path
            return nil
        case .failure(let error):
            return .unreachable(path: path, error: RecordedError(stage: "walk", code: error.recordCode,
                                                                 message: "cannot open folder: \(error.text)"))
        }
    }
}

extension FileAnalysis {
    /// Observes one `analyze` target.
    public func observe(_ target: AnalyzeTarget) -> ObservedFile {
        switch target {
        case let .entry(entry, displayPath):
            return observe(entry, displayPath: displayPath)
        case let .unreachable(path, error):
            return ObservedFile(path: path, stat: EvidenceWalker.unknownStat, errors: [error])
        }
    }
}
