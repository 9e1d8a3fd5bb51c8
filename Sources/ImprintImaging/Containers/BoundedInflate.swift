import CZlib

/// zlib `inflate` with a hard ceiling on output, for compressed payloads inside evidence
/// (PNG `zTXt`/`iTXt`/`iCCP`, gzip-compressed stealth-pnginfo payloads). A few hundred
/// hostile bytes can expand to gigabytes, so the output is capped both absolutely and
/// relative to the input size, and decompression stops — keeping what it produced — the
/// moment either cap is reached. Public so every layer reuses this one bounded inflater.
public enum BoundedInflate {
    public struct Limits: Sendable {
        /// Most bytes to produce.
        public var maxOutput: Int
        /// Most bytes to produce per compressed byte (zip-bomb guard).
        public var maxRatio: Int

        public init(maxOutput: Int, maxRatio: Int) {
            self.maxOutput = maxOutput
            self.maxRatio = maxRatio
        }
    }

    /// The stream's wrapper: zlib (RFC 1950, PNG) or gzip (RFC 1952, Python's `gzip`).
    public enum Wrapper: Sendable {
        case zlib, gzip

        /// zlib's `windowBits`: 15 for a zlib header, +16 to expect a gzip header instead.
        var windowBits: Int32 { self == .zlib ? MAX_WBITS : MAX_WBITS + 16 }
    }

    public enum Status: Equatable, Sendable {
        case complete
        /// A cap stopped decompression; the output holds exactly the bytes up to the cap.
        case limitReached
        /// The input ended before the stream's end marker.
        case truncatedStream
        case corrupt(String)
    }

    public struct Outcome: Sendable {
        public var output: [UInt8]
        public var status: Status
    }

    /// Output is produced through a fixed window so memory never exceeds cap + window.
    private static let windowSize = 64 * 1024

    public static func inflate(_ input: ArraySlice<UInt8>, limits: Limits, wrapper: Wrapper = .zlib) -> Outcome {
        let ratioCap = input.count.multipliedReportingOverflow(by: max(1, limits.maxRatio))
        let cap = max(0, min(limits.maxOutput, ratioCap.overflow ? Int.max : ratioCap.partialValue))
        // avail_in is 32-bit; PNG chunks are at most 2^31-1 bytes, so this only guards misuse.
        guard input.count <= Int(UInt32.max) else {
            return Outcome(output: [], status: .corrupt("compressed input larger than 4 GiB"))
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, wrapper.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return Outcome(output: [], status: .corrupt("zlib could not be initialised"))
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        var window = [UInt8](repeating: 0, count: windowSize)
        return input.withUnsafeBufferPointer { inBuffer -> Outcome in
            stream.next_in = inBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
            stream.avail_in = UInt32(inBuffer.count)
            while true {
                let (code, produced) = window.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    let code = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (code, out.count - Int(stream.avail_out))
                }
                if produced > 0 {
                    let room = cap - output.count
                    if produced > room {
                        output.append(contentsOf: window[0..<max(0, room)])
                        return Outcome(output: output, status: .limitReached)
                    }
                    output.append(contentsOf: window[0..<produced])
                }
                switch code {
                case Z_STREAM_END:
                    return Outcome(output: output, status: .complete)
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return Outcome(output: output, status: .truncatedStream)
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(code)"
                    return Outcome(output: output, status: .corrupt(message))
                }
            }
        }
    }
}
