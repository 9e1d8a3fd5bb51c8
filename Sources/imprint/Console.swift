#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to standard output and standard error without buffering surprises: each call
/// writes whole lines, so JSON lines stay intact when output is piped.
enum Console {
    static func out(_ text: String) { write(1, text.hasSuffix("\n") ? text : text + "\n") }
    static func err(_ text: String) { write(2, text.hasSuffix("\n") ? text : text + "\n") }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}
