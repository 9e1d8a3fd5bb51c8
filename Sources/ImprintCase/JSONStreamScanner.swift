import Crypto
import Foundation
import ImprintBytes

/// A pull scanner over a JSON file read through a fixed-size buffer: it walks the
/// document's outer structure token by token and hands out single values as raw bytes
/// (bounded), so a file of any size is never held whole. Every byte read is hashed
/// (SHA-256). It checks structure (brackets, strings, separators), not the grammar of
/// numbers and literals: those are checked when a captured value is parsed.
struct JSONStreamScanner {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var offset: Int64
        var description: String { "\(message) at byte \(offset)" }
    }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var index = 0
    private var atEOF = false
    private var hasher = SHA256()
    private let chunk: Int
    /// Bytes consumed before `buffer[0]`.
    private var base: Int64 = 0

    init(handle: FileHandle, chunk: Int = 1 << 20) {
        self.handle = handle
        self.chunk = chunk
    }

    var offset: Int64 { base + Int64(index) }

    /// SHA-256 of every byte read so far; call after `finishDocument`.
    mutating func sha256Hex() throws -> String {
        while !atEOF { try fill() }
        return Hex.encode(hasher.finalize())
    }

    private mutating func fill() throws {
        guard !atEOF else { return }
        if index > 0 {
            base += Int64(index)
            buffer.removeFirst(index)
            index = 0
        }
        let data = try handle.read(upToCount: chunk) ?? Data()
        if data.isEmpty {
            atEOF = true
        } else {
            hasher.update(data: data)
            buffer.append(contentsOf: data)
        }
    }

    /// The next byte without consuming it, or nil at the end.
    private mutating func peekByte() throws -> UInt8? {
        if index >= buffer.count { try fill() }
        return index < buffer.count ? buffer[index] : nil
    }

    private mutating func nextByte() throws -> UInt8? {
        guard let byte = try peekByte() else { return nil }
        index += 1
        return byte
    }

    func failure(_ message: String) -> Failure { Failure(message: message, offset: offset) }

    /// Skips a UTF-8 byte order mark at the very start.
    mutating func skipBOM() throws {
        if try peekByte() == 0xEF {
            for expected: UInt8 in [0xEF, 0xBB, 0xBF] {
                guard try nextByte() == expected else { throw failure("not UTF-8 JSON (bad byte order mark)") }
            }
        }
    }

    /// The next significant byte (white space skipped), not consumed; nil at the end.
    mutating func peek() throws -> UInt8? {
        while let byte = try peekByte() {
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 } else { return byte }
        }
        return nil
    }

    mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else {
            let found = try peek().map { "'\(Character(Unicode.Scalar($0)))'" } ?? "the end of the file"
            throw failure("expected '\(Character(Unicode.Scalar(byte)))', found \(found)")
        }
        index += 1
    }

    /// After a member or element: true when another follows (a comma was read), false at `close`.
    mutating func another(close: UInt8) throws -> Bool {
        switch try peek() {
        case 0x2C: index += 1; return true
        case close: index += 1; return false
        default: throw failure("expected ',' or '\(Character(Unicode.Scalar(close)))'")
        }
    }

    /// A string token, decoded (escapes resolved).
    mutating func readString(maxBytes: Int = 64 * 1024) throws -> String {
        guard try peek() == 0x22 else { throw failure("expected a string") }
        guard let raw = try value(maxBytes: maxBytes), case .string(let text)? = try? JSONParser.parse(raw) else {
            throw failure("unreadable or over-long string")
        }
        return text
    }

    /// The raw bytes of the next value, or nil when it is longer than `maxBytes` (it is
    /// then skipped). Pass `maxBytes: 0` to skip without keeping anything.
    mutating func value(maxBytes: Int) throws -> [UInt8]? {
        guard let first = try peek() else { throw failure("expected a value, found the end of the file") }
        var out: [UInt8] = []
        var keep = maxBytes > 0
        func take(_ byte: UInt8) {
            guard keep else { return }
            if out.count >= maxBytes { keep = false; out = [] } else { out.append(byte) }
        }
        let start = offset
        if first == 0x22 || first == 0x7B || first == 0x5B {
            // A string or container: scan the buffered bytes in a tight loop, copying each
            // scanned stretch at once, until the brackets balance outside a string.
            var depth = 0
            var inString = false
            var escaped = false
            var done = false
            var control = false
            while !done {
                if index >= buffer.count { try fill() }
                guard index < buffer.count else { throw Failure(message: "unterminated value begun", offset: start) }
                let from = index
                var i = index
                buffer.withUnsafeBufferPointer { p in
                    while i < p.count {
                        let byte = p[i]
                        i += 1
                        if inString {
                            if escaped { escaped = false } else if byte == 0x5C { escaped = true }
                            else if byte == 0x22 { inString = false; if depth == 0 { done = true; return } }
                            else if byte < 0x20 { control = true; return }
                        } else {
                            switch byte {
                            case 0x22: inString = true
                            case 0x7B, 0x5B: depth += 1
                            case 0x7D, 0x5D:
                                depth -= 1
                                if depth == 0 { done = true; return }
                            default: break
                            }
                        }
                    }
                }
                index = i
                if control { throw failure("control character in a string") }
                if keep {
                    if out.count + (i - from) > maxBytes { keep = false; out = [] } else { out.append(contentsOf: buffer[from..<i]) }
                }
            }
        } else {
            // A number or literal: up to the next structural character or white space.
            while let byte = try peekByte(), ![0x2C, 0x7D, 0x5D, 0x20, 0x0A, 0x0D, 0x09].contains(byte) {
                if byte == 0x22 || byte == 0x7B || byte == 0x5B { throw failure("unexpected character in a value") }
                take(byte)
                index += 1
            }
            if offset == start { throw failure("expected a value") }
        }
        return keep ? out : nil
    }

    /// Requires that only white space remains.
    mutating func finishDocument() throws {
        if try peek() != nil { throw failure("data after the end of the JSON document") }
    }
}
