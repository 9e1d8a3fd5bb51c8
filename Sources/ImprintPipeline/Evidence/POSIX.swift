#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImprintCase

/// Thin, byte-exact wrappers over the POSIX calls evidence handling needs. Names are
/// `[UInt8]` (Linux names are bytes, not text); nothing here follows a symbolic link.
enum POSIX {
    /// Linux `O_NOATIME` (octal 01000000); Glibc's Swift overlay does not export it.
    static let oNoAtime: Int32 = 0o1000000

    static func withCString<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        var terminated = bytes
        terminated.append(0)
        return terminated.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { body($0) }
        }
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// A stable error code for recorded errors.
    static func errorCode(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission-denied"
        case ENOENT: return "not-found"
        case ELOOP: return "is-symlink"
        case ENAMETOOLONG: return "name-too-long"
        case EIO: return "io-error"
        case EMFILE, ENFILE: return "too-many-open-files"
        case ENOTDIR: return "not-a-directory"
        default: return "errno-\(code)"
        }
    }

    /// `lstat` relative to a directory descriptor, never following a final link.
    static func lstatAt(_ directory: Int32, _ name: [UInt8]) -> Result<FileStat, Errno> {
        var st = stat()
        let rc = withCString(name) { fstatat(directory, $0, &st, AT_SYMLINK_NOFOLLOW) }
        return rc == 0 ? .success(fileStat(st)) : .failure(Errno(errno))
    }

    static func fstatFD(_ fd: Int32) -> Result<FileStat, Errno> {
        var st = stat()
        return fstat(fd, &st) == 0 ? .success(fileStat(st)) : .failure(Errno(errno))
    }

    static func fileStat(_ st: stat) -> FileStat {
        let kind: FileKind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFCHR: kind = .charDevice
        case S_IFBLK: kind = .blockDevice
        default: kind = .unknown
        }
        func ns(_ t: timespec) -> Int64 { Int64(t.tv_sec) &* 1_000_000_000 &+ Int64(t.tv_nsec) }
        return FileStat(kind: kind, size: Int64(st.st_size), mode: UInt32(st.st_mode), uid: UInt32(st.st_uid),
                        gid: UInt32(st.st_gid), inode: UInt64(st.st_ino), device: UInt64(st.st_dev),
                        nlink: UInt64(st.st_nlink), mtimeNs: ns(st.st_mtim), ctimeNs: ns(st.st_ctim),
                        atimeNs: ns(st.st_atim))
    }

    /// The text of a symbolic link, as bytes.
    static func readLinkAt(_ directory: Int32, _ name: [UInt8]) -> Result<[UInt8], Errno> {
        var capacity = 256
        while capacity <= 65_536 {
            var buffer = [UInt8](repeating: 0, count: capacity)
            let count = withCString(name) { cname in
                buffer.withUnsafeMutableBufferPointer { out in
                    out.baseAddress!.withMemoryRebound(to: CChar.self, capacity: capacity) {
                        readlinkat(directory, cname, $0, capacity)
                    }
                }
            }
            if count < 0 { return .failure(Errno(errno)) }
            if count < capacity { return .success(Array(buffer.prefix(count))) }
            capacity *= 4
        }
        return .failure(Errno(ENAMETOOLONG))
    }

    /// Opens a directory beneath `directory` without following a link.
    /// (Without updating the directory's access time where permitted.)
    static func openDirectoryAt(_ directory: Int32, _ name: [UInt8]) -> Result<Int32, Errno> {
        let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
        var fd = withCString(name) { openat(directory, $0, flags | oNoAtime) }
        if fd < 0 && errno == EPERM { fd = withCString(name) { openat(directory, $0, flags) } }
        return fd >= 0 ? .success(fd) : .failure(Errno(errno))
    }

    /// Opens a regular file read-only without following a link, without blocking on a FIFO
    /// swapped in after listing, and without updating its access time where permitted.
    static func openFileReadOnlyAt(_ directory: Int32, _ name: [UInt8]) -> Result<Int32, Errno> {
        let flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY
        var fd = withCString(name) { openat(directory, $0, flags | oNoAtime) }
        if fd < 0 && errno == EPERM {
            // O_NOATIME needs ownership or CAP_FOWNER; without it, open normally (relatime
            // or noatime mounts keep access times anyway).
            fd = withCString(name) { openat(directory, $0, flags) }
        }
        return fd >= 0 ? .success(fd) : .failure(Errno(errno))
    }

    /// Entry names of an open directory (without `.` and `..`), sorted by bytes.
    static func listDirectory(_ directory: Int32) -> Result<[[UInt8]], Errno> {
        let copy = dup(directory)
        guard copy >= 0 else { return .failure(Errno(errno)) }
        guard let stream = fdopendir(copy) else {
            let code = errno
            close(copy)
            return .failure(Errno(code))
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [[UInt8]] = []
        errno = 0
        while let entry = readdir(stream) {
            let name: [UInt8] = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: UInt8.self, capacity: 256) { pointer in
                    Array(UnsafeBufferPointer(start: pointer, count: strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))))
                }
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        if errno != 0 { return .failure(Errno(errno)) }
        names.sort { $0.lexicographicallyPrecedes($1) }
        return .success(names)
    }

    /// Raises the soft limit on open descriptors to the hard limit: the walker keeps one
    /// descriptor per directory level, and deep evidence trees exist.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

/// An `errno` value carried as an error.
struct Errno: Error, Sendable {
    var code: Int32
    init(_ code: Int32) { self.code = code }
    var text: String { POSIX.errorText(code) }
    var recordCode: String { POSIX.errorCode(code) }
}

/// An open directory descriptor shared by the entries listed from it; closed when the
/// last entry that needs it is done.
public final class DirectoryHandle: Sendable {
    let fd: Int32
    /// Path of this directory relative to the evidence root (empty for the root).
    let path: [UInt8]

    init(fd: Int32, path: [UInt8]) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Opens a directory given by an absolute or working-directory-relative path (the
    /// evidence root, which the examiner names explicitly; it may itself be reached
    /// through a link).
    static func openRoot(_ path: [UInt8]) -> Result<DirectoryHandle, Errno> {
        var fd = POSIX.withCString(path) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC | POSIX.oNoAtime) }
        if fd < 0 && errno == EPERM { fd = POSIX.withCString(path) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) } }
        return fd >= 0 ? .success(DirectoryHandle(fd: fd, path: [])) : .failure(Errno(errno))
    }

    /// Opens `relativePath` beneath this directory one component at a time, never
    /// following a link, so a directory swapped for a link can never lead outside the root.
    func openBeneath(_ relativePath: [UInt8]) -> Result<DirectoryHandle, Errno> {
        let components = relativePath.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
        var current = self
        var currentPath = path
        for component in components {
            switch POSIX.openDirectoryAt(current.fd, component) {
            case .success(let fd):
                currentPath = currentPath.isEmpty ? component : currentPath + [UInt8(ascii: "/")] + component
                current = DirectoryHandle(fd: fd, path: currentPath)
            case .failure(let error):
                return .failure(error)
            }
        }
        return .success(current)
    }
}
