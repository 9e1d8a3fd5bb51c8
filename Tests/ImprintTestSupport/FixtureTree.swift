#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation
import ImprintBytes

/// A temporary folder the tests fill with evidence-like trees, addressed by byte paths
/// (names need not be UTF-8). Removed on `remove()`.
public final class FixtureTree: @unchecked Sendable {
    public let root: String

    public init(_ label: String = "tree") throws {
        let template = NSTemporaryDirectory() + "imprint-test-\(label)-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw FixtureError("mkdtemp failed") }
        root = String(cString: made)
    }

    public var rootBytes: [UInt8] { Array(root.utf8) }

    public func absolute(_ relative: [UInt8]) -> [UInt8] { rootBytes + [UInt8(ascii: "/")] + relative }
    public func absolute(_ relative: String) -> String { root + "/" + relative }

    public func mkdir(_ relative: String) throws { try mkdir(Array(relative.utf8)) }

    public func mkdir(_ relative: [UInt8]) throws {
        var path: [UInt8] = []
        for component in relative.split(separator: UInt8(ascii: "/")) {
            path += (path.isEmpty ? [] : [UInt8(ascii: "/")]) + component
            let rc = withC(absolute(path)) { Glibc.mkdir($0, 0o755) }
            if rc != 0 && errno != EEXIST { throw FixtureError("mkdir \(String(decoding: path, as: UTF8.self)): \(errno)") }
        }
    }

    @discardableResult
    public func write(_ relative: String, _ content: [UInt8]) throws -> [UInt8] { try write(Array(relative.utf8), content) }

    @discardableResult
    public func write(_ relative: [UInt8], _ content: [UInt8]) throws -> [UInt8] {
        if let slash = relative.lastIndex(of: UInt8(ascii: "/")) { try mkdir(Array(relative[..<slash])) }
        let fd = withC(absolute(relative)) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        guard fd >= 0 else { throw FixtureError("create failed: \(errno)") }
        defer { close(fd) }
        var offset = 0
        while offset < content.count {
            let n = content.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, content.count - offset) }
            guard n > 0 else { throw FixtureError("write failed: \(errno)") }
            offset += n
        }
        return relative
    }

    /// A sparse file of `size` zero bytes (large without using disk).
    public func sparse(_ relative: String, size: Int64) throws {
        if let slash = relative.lastIndex(of: "/") { try mkdir(String(relative[..<slash])) }
        let fd = open(absolute(relative), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0, ftruncate(fd, off_t(size)) == 0 else { throw FixtureError("sparse failed: \(errno)") }
        close(fd)
    }

    public func symlink(_ relative: String, to target: String) throws {
        guard Glibc.symlink(target, absolute(relative)) == 0 else { throw FixtureError("symlink failed: \(errno)") }
    }

    public func fifo(_ relative: String) throws {
        guard mkfifo(absolute(relative), 0o644) == 0 else { throw FixtureError("mkfifo failed: \(errno)") }
    }

    public func remove() {
        let task = Process()
        task.executableURL = URL(fileURLWithPath: "/bin/rm")
        task.arguments = ["-rf", root]
        try? task.run()
        task.waitUntilExit()
    }

    /// Every entry under the root with its content digest and times, read with `lstat`
    /// and without following links: the "before and after" picture of evidence.
    public func snapshot() -> [String: EntrySnapshot] {
        var result: [String: EntrySnapshot] = [:]
        func visit(_ relative: [UInt8]) {
            let path = relative.isEmpty ? rootBytes : absolute(relative)
            guard let dir = withC(path, { opendir($0) }) else { return }
            var names: [[UInt8]] = []
            while let entry = readdir(dir) {
                let name: [UInt8] = withUnsafePointer(to: &entry.pointee.d_name) {
                    $0.withMemoryRebound(to: UInt8.self, capacity: 256) { p in
                        Array(UnsafeBufferPointer(start: p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))))
                    }
                }
                if name == [0x2E] || name == [0x2E, 0x2E] { continue }
                names.append(name)
            }
            closedir(dir)
            for name in names {
                let child = relative.isEmpty ? name : relative + [UInt8(ascii: "/")] + name
                var st = stat()
                guard withC(absolute(child), { lstat($0, &st) }) == 0 else { continue }
                var digest = ""
                if st.st_mode & S_IFMT == S_IFREG { digest = Self.sha256(ofFile: absolute(child)) ?? "unreadable" }
                result[PathBytes.display(child)] = EntrySnapshot(
                    mode: UInt32(st.st_mode), size: Int64(st.st_size),
                    mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                    ctimeNs: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec),
                    sha256: digest)
                if st.st_mode & S_IFMT == S_IFDIR { visit(child) }
            }
        }
        visit([])
        return result
    }

    public static func sha256(ofFile path: [UInt8]) -> String? {
        let fd = withC(path) { open($0, O_RDONLY | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            hasher.update(data: buffer[0..<n])
        }
        return Hex.encode(hasher.finalize())
    }

    /// Flips one byte of a file in place (a tamper test), keeping its size.
    public func flipByte(_ relative: String, at offset: Int) throws {
        let fd = open(absolute(relative), O_RDWR)
        guard fd >= 0 else { throw FixtureError("open failed") }
        defer { close(fd) }
        var byte: UInt8 = 0
        guard pread(fd, &byte, 1, off_t(offset)) == 1 else { throw FixtureError("pread failed") }
        byte ^= 0xFF
        guard pwrite(fd, &byte, 1, off_t(offset)) == 1 else { throw FixtureError("pwrite failed") }
    }
}

public struct EntrySnapshot: Equatable, Sendable {
    public var mode: UInt32
    public var size: Int64
    public var mtimeNs: Int64
    public var ctimeNs: Int64
    public var sha256: String
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

func withC<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
    var terminated = bytes
    terminated.append(0)
    return terminated.withUnsafeBufferPointer { $0.baseAddress!.withMemoryRebound(to: CChar.self, capacity: $0.count) { body($0) } }
}

/// Small files whose leading bytes are real format signatures.
public enum MagicBytes {
    public static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9]
    public static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [UInt8](repeating: 1, count: 17)
    public static let gif: [UInt8] = Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0]
    public static let webp: [UInt8] = Array("RIFF".utf8) + [26, 0, 0, 0] + Array("WEBPVP8 ".utf8) + [UInt8](repeating: 0, count: 14)
    public static let text: [UInt8] = Array("just some notes\n".utf8)
}
