#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock on the case file for the length of an ingest, so two
/// imprint processes never ingest into the same case at once. (SQLite's own locks are
/// per transaction; this spans the whole run.) Released when the process ends, even on
/// SIGKILL, because the kernel drops `flock` locks with the descriptor.
public final class CaseLock {
    private let fd: Int32

    public init(casePath: String) throws {
        let fd = open(casePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PipelineError.lockFailed("cannot open \(casePath): \(POSIX.errorText(errno))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                throw PipelineError.lockFailed("another imprint process is ingesting into \(casePath); wait for it to finish")
            }
            throw PipelineError.lockFailed("cannot lock \(casePath): \(POSIX.errorText(code))")
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Errors of the pipeline a user can act on.
public enum PipelineError: Error, Sendable, CustomStringConvertible {
    case lockFailed(String)
    case evidenceRoot(String)
    case recordAltered(String)
    /// Writing to the case failed (a full disk, an SQLite error): nothing committed is lost.
    case recordFailed(String)

    public var description: String {
        switch self {
        case .lockFailed(let message), .evidenceRoot(let message), .recordAltered(let message), .recordFailed(let message):
            return message
        }
    }
}
