#if canImport(Glibc)
import Glibc
#endif
import Crypto
import ImprintBytes
import ImprintCase

/// Re-hashes the report files the custody log records (`report.generated` events). For
/// each path only the latest event counts: generating a report again into the same folder
/// supersedes the earlier files, whose hashes stay in the log. A recorded report that is
/// gone or no longer has its recorded SHA-256 is a named difference.
public enum ReportFileCheck {
    public struct Recorded: Sendable, Equatable {
        public var path: String
        public var sha256: String
        public var bytes: Int64?
        public var eventSeq: Int64
    }

    public struct Result: Sendable {
        public var checked = 0
        public var matched = 0
        public var discrepancies: [Discrepancy] = []
    }

    /// The report files the log records, latest event per path, in first-recorded order.
    public static func recorded(in events: [CustodyEvent]) -> [Recorded] {
        var order: [String] = []
        var latest: [String: Recorded] = [:]
        for event in events where event.action == "report.generated" {
            guard let details = try? JSONParser.parse(event.detailsJSON) else { continue }
            for file in details["files"]?.arrayValue ?? [] {
                guard let path = file["path"]?.stringValue, let sha = file["sha256"]?.stringValue else { continue }
                if latest[path] == nil { order.append(path) }
                latest[path] = Recorded(path: path, sha256: sha, bytes: file["bytes"]?.intValue, eventSeq: event.seq)
            }
        }
        return order.compactMap { latest[$0] }
    }

    public static func check(events: [CustodyEvent]) -> Result {
        var result = Result()
        for report in recorded(in: events) {
            result.checked += 1
            switch hash(path: report.path) {
            case .missing:
                result.discrepancies.append(.init(area: "report", code: "report-missing", subject: report.path,
                                                  message: "report \(report.path) (custody event \(report.eventSeq)) is no longer on disk"))
            case .unreadable(let reason):
                result.discrepancies.append(.init(area: "report", code: "report-unreadable", subject: report.path,
                                                  message: "report \(report.path) (custody event \(report.eventSeq)) cannot be read: \(reason)"))
            case .hashed(let sha, let bytes):
                if sha == report.sha256 {
                    result.matched += 1
                } else {
                    result.discrepancies.append(.init(area: "report", code: "report-changed", subject: report.path,
                                                      message: "report \(report.path) changed since custody event \(report.eventSeq): recorded SHA-256 \(report.sha256)\(report.bytes.map { " (\($0) bytes)" } ?? ""), now \(sha) (\(bytes) bytes)"))
                }
            }
        }
        return result
    }

    enum Outcome {
        case missing
        case unreadable(String)
        case hashed(String, Int64)
    }

    /// SHA-256 of a regular file, streamed; a link at the path is not followed.
    static func hash(path: String) -> Outcome {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            return errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable(POSIX.errorText(errno))
        }
        defer { close(fd) }
        guard case .success(let stat) = POSIX.fstatFD(fd), stat.kind == .file else { return .unreadable("not a regular file") }
        var hasher = SHA256()
        var total: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .unreadable(POSIX.errorText(errno))
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            total += Int64(n)
        }
        return .hashed(Hex.encode(hasher.finalize()), total)
    }
}
