import Crypto
import Foundation

/// Reads a file line by line through a fixed-size buffer, hashing every byte read
/// (SHA-256), so a list of any length is never held whole. Lines longer than `maxLine`
/// are truncated to `maxLine + 1` bytes (enough for the caller to reject them).
struct LineStream {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEOF = false
    private var hasher = SHA256()
    private let chunk: Int
    private let maxLine: Int
    private var firstLine = true

    init(path: String, chunk: Int = 256 * 1024, maxLine: Int) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CaseError.notFound(path)
        }
        self.handle = handle
        self.chunk = chunk
        self.maxLine = maxLine
    }

    /// The SHA-256 of every byte read so far (the whole file once `nextLine` returned nil).
    var sha256Hex: String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }

    /// The next line without its LF (a UTF-8 BOM on the first line is dropped), or nil at the end.
    mutating func nextLine() throws -> [UInt8]? {
        var overlong: [UInt8]? = nil
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var line = overlong ?? Array(buffer[start..<newline])
                start = newline + 1
                if firstLine { line = stripBOM(line) }
                return line
            }
            if buffer.count - start > maxLine {
                // Keep only a prefix of an over-long line, drop the rest as it streams past.
                if overlong == nil { overlong = Array(buffer[start..<start + maxLine + 1]) }
                start = buffer.count
            }
            if atEOF {
                guard start < buffer.count || overlong != nil else { return nil }
                var line = overlong ?? Array(buffer[start...])
                start = buffer.count
                if firstLine { line = stripBOM(line) }
                return line
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let data = try handle.read(upToCount: chunk) ?? Data()
            if data.isEmpty {
                atEOF = true
                try handle.close()
            } else {
                hasher.update(data: data)
                buffer.append(contentsOf: data)
            }
        }
    }

    private mutating func stripBOM(_ line: [UInt8]) -> [UInt8] {
        firstLine = false
        return line.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(line.dropFirst(3)) : line
    }
}
