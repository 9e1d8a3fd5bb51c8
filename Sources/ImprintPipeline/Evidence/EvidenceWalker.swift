import ImprintBytes
import ImprintCase

/// One directory entry found under an evidence root.
public struct WalkEntry: Sendable {
    /// The directory the entry was listed from (files are opened relative to it).
    public let directory: DirectoryHandle
    public let name: [UInt8]
    /// Path relative to the evidence root, components joined by `/`.
    public let path: [UInt8]
    public let stat: FileStat
    /// The link text of a symbolic link (never followed).
    public let linkTarget: [UInt8]?
    /// Set when the entry could not be examined (a directory that cannot be listed, …).
    public let error: RecordedError?
}

/// Depth-first walk of an evidence root in byte order of names.
///
/// Never follows a symbolic link (links are reported with their text), never opens
/// anything but directories, and detects directory cycles made by bind mounts. One
/// descriptor is held per directory level; entries keep their parent open until done.
public struct EvidenceWalker: Sequence, IteratorProtocol {
    public static let defaultMaxDepth = 1024

    private struct Frame {
        var handle: DirectoryHandle
        var names: [[UInt8]]
        var index: Int
        var identity: DirectoryIdentity
    }

    private struct DirectoryIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private var stack: [Frame] = []
    private var ancestors: Set<DirectoryIdentity> = []
    private var queued: [WalkEntry] = []
    private let maxDepth: Int
    /// Set when the root itself could not be listed.
    public private(set) var rootError: RecordedError?

    /// Walks the directory tree under `root`.
    public init(root: DirectoryHandle, maxDepth: Int = defaultMaxDepth) {
        self.maxDepth = maxDepth
        POSIX.raiseOpenFileLimit()
        let identity: DirectoryIdentity
        switch POSIX.fstatFD(root.fd) {
        case .success(let stat): identity = DirectoryIdentity(device: stat.device, inode: stat.inode)
        case .failure: identity = DirectoryIdentity(device: 0, inode: 0)
        }
        push(root, identity: identity, as: nil)
    }

    /// A walk that yields exactly one entry: `name` inside `directory` (for `analyze FILE`).
    public static func single(directory: DirectoryHandle, name: [UInt8], displayPath: [UInt8]) -> WalkEntry {
        examine(directory: directory, name: name, path: displayPath)
    }

    public mutating func next() -> WalkEntry? {
        while true {
            if !queued.isEmpty { return queued.removeFirst() }
            guard var frame = stack.popLast() else { return nil }
            guard frame.index < frame.names.count else {
                ancestors.remove(frame.identity)
                continue
            }
            let name = frame.names[frame.index]
            frame.index += 1
            stack.append(frame)
            let path = PathBytes.join(frame.handle.path, name)
            let entry = Self.examine(directory: frame.handle, name: name, path: path)
            if entry.stat.kind == .directory && entry.error == nil {
                descend(into: entry)
                continue
            }
            return entry
        }
    }

    private static func examine(directory: DirectoryHandle, name: [UInt8], path: [UInt8]) -> WalkEntry {
        switch POSIX.lstatAt(directory.fd, name) {
        case .failure(let error):
            return WalkEntry(directory: directory, name: name, path: path, stat: Self.unknownStat, linkTarget: nil,
                             error: RecordedError(stage: "walk", code: error.recordCode,
                                                  message: "cannot examine entry: \(error.text)"))
        case .success(let stat):
            var target: [UInt8]?
            var error: RecordedError?
            if stat.kind == .symlink {
                switch POSIX.readLinkAt(directory.fd, name) {
                case .success(let text): target = text
                case .failure(let failure):
                    error = RecordedError(stage: "walk", code: failure.recordCode,
                                          message: "cannot read link text: \(failure.text)")
                }
            }
            return WalkEntry(directory: directory, name: name, path: path, stat: stat, linkTarget: target, error: error)
        }
    }

    private mutating func descend(into entry: WalkEntry) {
        let identity = DirectoryIdentity(device: entry.stat.device, inode: entry.stat.inode)
        if ancestors.contains(identity) {
            queued.append(failed(entry, code: "directory-cycle",
                                 message: "directory is its own ancestor (a bind-mount loop); not entered"))
            return
        }
        if stack.count >= maxDepth {
            queued.append(failed(entry, code: "too-deep",
                                 message: "directory nesting exceeds \(maxDepth) levels; not entered"))
            return
        }
        switch POSIX.openDirectoryAt(entry.directory.fd, entry.name) {
        case .success(let fd):
            push(DirectoryHandle(fd: fd, path: entry.path), identity: identity, as: entry)
        case .failure(let error):
            queued.append(failed(entry, code: error.recordCode, message: "cannot open directory: \(error.text)"))
        }
    }

    private mutating func push(_ handle: DirectoryHandle, identity: DirectoryIdentity, as entry: WalkEntry?) {
        switch POSIX.listDirectory(handle.fd) {
        case .success(let names):
            ancestors.insert(identity)
            stack.append(Frame(handle: handle, names: names, index: 0, identity: identity))
        case .failure(let error):
            if let entry {
                queued.append(failed(entry, code: error.recordCode, message: "cannot list directory: \(error.text)"))
            } else {
                rootError = RecordedError(stage: "walk", code: error.recordCode,
                                          message: "cannot list the evidence root: \(error.text)")
            }
        }
    }

    private func failed(_ entry: WalkEntry, code: String, message: String) -> WalkEntry {
        WalkEntry(directory: entry.directory, name: entry.name, path: entry.path, stat: entry.stat, linkTarget: nil,
                  error: RecordedError(stage: "walk", code: code, message: message))
    }

    static let unknownStat = FileStat(kind: .unknown, size: 0, mode: 0, uid: 0, gid: 0, inode: 0, device: 0, nlink: 0,
                                      mtimeNs: 0, ctimeNs: 0, atimeNs: 0)
}
