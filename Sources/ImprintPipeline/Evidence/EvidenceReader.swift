#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import ImprintBytes
import ImprintCase
import ImprintImaging

/// What one read of a file produced.
public struct ReadOutcome: Sendable {
    /// The whole content, when it fit the in-memory limit (parsers and analyzers work on it).
    public var bytes: [UInt8]?
    /// The first bytes, always kept (enough to sniff the format of a streamed file).
    public var prefix: [UInt8]
    public var sha256: String?
    public var md5: String?
    /// SHA-1 of the same bytes, for known-hash sets that list only SHA-1 (NSRL, VICS).
    public var sha1: String? = nil
    public var bytesRead: Int64
    public var errors: [RecordedError]
}

/// Reads each evidence file exactly once, read-only, and computes SHA-256, MD5 and SHA-1 over
/// the same bytes. Files up to `maxInMemoryBytes` are kept whole for analysis; larger
/// ones are streamed through the hashers in chunks, so memory stays bounded.
public struct EvidenceReader: Sendable {
    public static let defaultMaxInMemoryBytes = 512 << 20
    static let chunkSize = 4 << 20
    /// The piece of an in-memory file the digests take in turn (well inside L2).
    static let hashPiece = 256 << 10

    public var maxInMemoryBytes: Int

    public init(maxInMemoryBytes: Int = defaultMaxInMemoryBytes) {
        self.maxInMemoryBytes = maxInMemoryBytes
    }

    public func read(_ entry: WalkEntry) -> ReadOutcome {
        var outcome = ReadOutcome(bytes: nil, prefix: [], sha256: nil, md5: nil, bytesRead: 0, errors: [])
        func fail(_ code: String, _ message: String) -> ReadOutcome {
            outcome.errors.append(RecordedError(stage: "read", code: code, message: message))
            return outcome
        }
        let fd: Int32
        switch POSIX.openFileReadOnlyAt(entry.directory.fd, entry.name) {
        case .success(let opened): fd = opened
        case .failure(let error): return fail(error.recordCode, "cannot open: \(error.text)")
        }
        defer { close(fd) }
        guard case .success(let before) = POSIX.fstatFD(fd) else {
            return fail("io-error", "cannot stat the opened file")
        }
        // The name must still denote the entry the walker listed: a swap between listing
        // and opening (to a FIFO, a device or another file) is refused and recorded.
        guard before.kind == .file else {
            return fail("not-regular", "no longer a regular file (now \(before.kind.rawValue)); not read")
        }
        guard before.inode == entry.stat.inode && before.device == entry.stat.device else {
            return fail("replaced-during-walk", "the file was replaced between listing and reading; not read")
        }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)

        var sha = SHA256()
        var md5 = Insecure.MD5()
        var sha1 = Insecure.SHA1()
        let expected = Int(clamping: before.size)
        if expected <= maxInMemoryBytes {
            // One allocation of the expected size plus one byte, to notice a file that grew.
            // It is read into directly, not zero-filled first; the array holds the bytes read.
            var result: Result<Int, Errno> = .success(0)
            let buffer = [UInt8](unsafeUninitializedCapacity: expected + 1) { target, initialized in
                result = readFully(fd, into: UnsafeMutableRawBufferPointer(target))
                if case .success(let count) = result { initialized = min(count, expected) }
            }
            switch result {
            case .failure(let error):
                return fail(error.recordCode, "read failed after \(outcome.bytesRead) bytes: \(error.text)")
            case .success(let count):
                outcome.bytesRead = Int64(buffer.count)
                if count > expected {
                    outcome.errors.append(RecordedError(stage: "read", code: "changed-during-read",
                                                        message: "the file grew while it was read; hashed its first \(expected) bytes"))
                }
                // The three digests take each 256 KiB piece in turn while it is in cache,
                // rather than three passes over the whole file.
                buffer.withUnsafeBytes { raw in
                    var start = 0
                    while start < raw.count {
                        let piece = UnsafeRawBufferPointer(rebasing: raw[start..<min(start + Self.hashPiece, raw.count)])
                        sha.update(bufferPointer: piece)
                        md5.update(bufferPointer: piece)
                        sha1.update(bufferPointer: piece)
                        start += piece.count
                    }
                }
                outcome.prefix = Array(buffer.prefix(FormatSniffer.minimumPrefix))
                outcome.bytes = buffer
            }
        } else {
            var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
            while true {
                let result = chunk.withUnsafeMutableBytes { readFully(fd, into: $0) }
                guard case .success(let count) = result else {
                    if case .failure(let error) = result {
                        return fail(error.recordCode, "read failed after \(outcome.bytesRead) bytes: \(error.text)")
                    }
                    break
                }
                if count == 0 { break }
                chunk.withUnsafeBytes { raw in
                    let part = UnsafeRawBufferPointer(rebasing: raw[0..<count])
                    sha.update(bufferPointer: part)
                    md5.update(bufferPointer: part)
                    sha1.update(bufferPointer: part)
                }
                if outcome.prefix.isEmpty { outcome.prefix = Array(chunk.prefix(min(count, FormatSniffer.minimumPrefix))) }
                outcome.bytesRead += Int64(count)
                if count < chunk.count { break }
            }
            outcome.errors.append(RecordedError(stage: "read", code: "too-large-for-analysis",
                                                message: "\(outcome.bytesRead) bytes exceeds the in-memory limit of \(maxInMemoryBytes) bytes; hashed in a stream, content analyzers skipped"))
        }
        outcome.sha256 = Hex.encode(sha.finalize())
        outcome.md5 = Hex.encode(md5.finalize())
        outcome.sha1 = Hex.encode(sha1.finalize())

        if case .success(let after) = POSIX.fstatFD(fd),
           after.size != before.size || after.mtimeNs != before.mtimeNs || after.ctimeNs != before.ctimeNs
            || before.mtimeNs != entry.stat.mtimeNs || before.size != entry.stat.size {
            if !outcome.errors.contains(where: { $0.code == "changed-during-read" }) {
                outcome.errors.append(RecordedError(stage: "read", code: "changed-during-read",
                                                    message: "size or modification time changed while the file was read; the hashes describe the bytes read"))
            }
        }
        if outcome.bytesRead != before.size && !outcome.errors.contains(where: { $0.code == "changed-during-read" }) {
            outcome.errors.append(RecordedError(stage: "read", code: "changed-during-read",
                                                message: "read \(outcome.bytesRead) bytes of a file whose size was \(before.size)"))
        }
        return outcome
    }

    /// Reads until the buffer is full or end of file, retrying on EINTR.
    private func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        var total = 0
        while total < buffer.count {
            let n = Glibc.read(fd, buffer.baseAddress! + total, buffer.count - total)
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Errno(errno))
            }
            if n == 0 { break }
            total += n
        }
        return .success(total)
    }
}

