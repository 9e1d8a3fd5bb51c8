import CZlib

/// The CRC-32 of ISO 3309 / PNG, computed by zlib (the same polynomial PNG chunks use).
enum CRC32 {
    /// CRC over `bytes[range]`; the range must already be known to lie inside `bytes`.
    static func checksum(_ bytes: [UInt8], _ range: Range<Int>) -> UInt32 {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count, !range.isEmpty else { return 0 }
        return bytes.withUnsafeBufferPointer { buffer -> UInt32 in
            guard let base = buffer.baseAddress else { return 0 }
            var crc = crc32(0, nil, 0)
            var start = range.lowerBound
            // crc32 takes a 32-bit length; feed large ranges in pieces.
            while start < range.upperBound {
                let count = min(range.upperBound - start, 1 << 30)
                crc = crc32(crc, base + start, UInt32(count))
                start += count
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }
}
