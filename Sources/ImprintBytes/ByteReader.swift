/// A cursor over a byte buffer that never traps.
///
/// Every read checks the remaining length first and throws `ByteReaderError` on short
/// input, so a lying length field in hostile evidence becomes a recorded error rather
/// than a crash. Offsets are absolute within the buffer the reader was created on, so a
/// parser can report exactly where in the file it found (or failed to find) something.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    /// Absolute offset of the next byte to read.
    public private(set) var offset: Int
    /// One past the last byte this reader may touch (a sub-reader narrows it).
    public let end: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
        self.end = bytes.count
    }

    private init(bytes: [UInt8], offset: Int, end: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
    }

    public var remaining: Int { end - offset }
    public var isAtEnd: Bool { offset >= end }

    private func need(_ count: Int, _ what: @autoclosure () -> String) throws(ByteReaderError) {
        guard count >= 0 else { throw .invalidLength(count, at: offset, what: what()) }
        guard count <= remaining else {
            throw .truncated(needed: count, available: remaining, at: offset, what: what())
        }
    }

    public mutating func readUInt8(_ what: String = "byte") throws(ByteReaderError) -> UInt8 {
        try need(1, what)
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readUInt16BE(_ what: String = "uint16") throws(ByteReaderError) -> UInt16 {
        try need(2, what)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    public mutating func readUInt16LE(_ what: String = "uint16") throws(ByteReaderError) -> UInt16 {
        try need(2, what)
        defer { offset += 2 }
        return UInt16(bytes[offset + 1]) << 8 | UInt16(bytes[offset])
    }

    public mutating func readUInt32BE(_ what: String = "uint32") throws(ByteReaderError) -> UInt32 {
        try need(4, what)
        defer { offset += 4 }
        var value: UInt32 = 0
        for i in 0..<4 { value = value << 8 | UInt32(bytes[offset + i]) }
        return value
    }

    public mutating func readUInt32LE(_ what: String = "uint32") throws(ByteReaderError) -> UInt32 {
        try need(4, what)
        defer { offset += 4 }
        var value: UInt32 = 0
        for i in (0..<4).reversed() { value = value << 8 | UInt32(bytes[offset + i]) }
        return value
    }

    public mutating func readUInt64BE(_ what: String = "uint64") throws(ByteReaderError) -> UInt64 {
        try need(8, what)
        defer { offset += 8 }
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(bytes[offset + i]) }
        return value
    }

    /// Reads `count` bytes; `count` comes from the data, so it is checked before use.
    public mutating func readBytes(_ count: Int, _ what: String = "bytes") throws(ByteReaderError) -> ArraySlice<UInt8> {
        try need(count, what)
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    public mutating func skip(_ count: Int, _ what: String = "bytes") throws(ByteReaderError) {
        try need(count, what)
        offset += count
    }

    /// A reader over the next `count` bytes, advancing this one past them.
    public mutating func subReader(_ count: Int, _ what: String = "sub-range") throws(ByteReaderError) -> ByteReader {
        try need(count, what)
        defer { offset += count }
        return ByteReader(bytes: bytes, offset: offset, end: offset + count)
    }

    public func peekUInt8(at relative: Int = 0) -> UInt8? {
        let index = offset + relative
        guard relative >= 0, index < end else { return nil }
        return bytes[index]
    }

    /// Whether the next bytes equal `prefix`, without consuming them.
    public func hasPrefix(_ prefix: [UInt8]) -> Bool {
        guard prefix.count <= remaining else { return false }
        return bytes[offset..<(offset + prefix.count)].elementsEqual(prefix)
    }
}

public enum ByteReaderError: Error, Equatable, Sendable, CustomStringConvertible {
    case truncated(needed: Int, available: Int, at: Int, what: String)
    case invalidLength(Int, at: Int, what: String)

    public var description: String {
        switch self {
        case let .truncated(needed, available, at, what):
            return "truncated \(what) at offset \(at): needed \(needed) bytes, \(available) remain"
        case let .invalidLength(length, at, what):
            return "invalid length \(length) for \(what) at offset \(at)"
        }
    }
}
