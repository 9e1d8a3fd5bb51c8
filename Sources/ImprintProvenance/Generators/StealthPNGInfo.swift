import ImprintBytes
import ImprintImaging

/// A "stealth pnginfo" payload found in the least significant bits of an image's pixels
/// (SD-WATERMARK.md §5): the A1111 extension, also used by NovelAI. Metadata, not a
/// robust watermark: it survives only lossless storage.
public struct StealthPayload: Sendable, Equatable {
    public enum Mode: String, Sendable {
        /// One bit per pixel, `A & 1`.
        case alpha
        /// Three bits per pixel, `R & 1, G & 1, B & 1`.
        case rgb
    }

    public enum Status: Sendable, Equatable {
        case complete
        /// The declared length is not a multiple of 8, exceeds the pixels' capacity or the size bound.
        case badLength(String)
        /// gzip stopped: a limit, a truncated stream, or corrupt data (what was recovered is kept).
        case decompression(String)
    }

    public var mode: Mode
    /// `stealth_pnginfo`, `stealth_pngcomp`, `stealth_rgbinfo` or `stealth_rgbcomp`.
    public var magic: String
    public var compressed: Bool
    /// The 32-bit length field, in bits.
    public var bitLength: Int
    /// The payload, decompressed when `compressed`.
    public var payload: [UInt8]
    public var status: Status

    /// The payload as text (UTF-8; invalid bytes replaced).
    public var text: String { String(decoding: payload, as: UTF8.self) }

    public var json: JSONValue {
        var status: String
        switch self.status {
        case .complete: status = "complete"
        case .badLength(let why): status = "bad length: " + why
        case .decompression(let why): status = "decompression: " + why
        }
        return .object(["mode": .string(mode.rawValue), "magic": .string(magic), "compressed": .bool(compressed),
                        "bitLength": .integer(bitLength), "payloadBytes": .integer(payload.count), "status": .string(status),
                        "bitOrder": .string("column-major (x outer, y inner), MSB first")])
    }
}

/// Reads stealth pnginfo from decoded pixels: 120 bits of magic, a 32-bit big-endian bit
/// length, then the payload, pixels traversed column-major and bits packed MSB-first.
public enum StealthPNGInfo {
    /// Largest payload read from pixels, and largest gunzipped output (the spec's 16 MiB).
    public static let maxPayloadBytes = 16 << 20
    /// gzip expansion accepted per compressed byte.
    public static let maxRatio = 1_000

    static let magicBits = 120
    static let lengthBits = 32
    static let magics: [(magic: String, mode: StealthPayload.Mode, compressed: Bool)] = [
        ("stealth_pnginfo", .alpha, false), ("stealth_pngcomp", .alpha, true),
        ("stealth_rgbinfo", .rgb, false), ("stealth_rgbcomp", .rgb, true),
    ]

    /// Every payload present: alpha mode (when there is an alpha channel) and RGB mode.
    public static func read(_ raster: Raster) -> [StealthPayload] {
        guard raster.layout != .luma else { return [] }
        var found: [StealthPayload] = []
        if raster.layout == .rgba, let payload = read(raster, mode: .alpha) { found.append(payload) }
        if let payload = read(raster, mode: .rgb) { found.append(payload) }
        return found
    }

    static func read(_ raster: Raster, mode: StealthPayload.Mode) -> StealthPayload? {
        let width = raster.width, height = raster.height, channels = raster.channels
        guard width > 0, height > 0, raster.pixels.count >= width * height * channels else { return nil }
        let bitsPerPixel = mode == .alpha ? 1 : 3
        let capacity = width * height * bitsPerPixel
        guard capacity >= magicBits + lengthBits else { return nil }
        return raster.pixels.withUnsafeBufferPointer { pixels -> StealthPayload? in
            // Bit n lives in pixel n / bitsPerPixel of the column-major order, channel n % bitsPerPixel.
            func bit(_ n: Int) -> UInt8 {
                let pixel = n / bitsPerPixel
                let x = pixel / height, y = pixel % height
                let channel = mode == .alpha ? 3 : n % bitsPerPixel
                return pixels[(y * width + x) * channels + channel] & 1
            }
            func bytes(from start: Int, count: Int) -> [UInt8] {
                var out = [UInt8](repeating: 0, count: count)
                for index in 0..<count {
                    var value: UInt8 = 0
                    for b in 0..<8 { value = value << 1 | bit(start + index * 8 + b) }
                    out[index] = value
                }
                return out
            }
            let head = bytes(from: 0, count: magicBits / 8)
            guard let entry = magics.first(where: { $0.mode == mode && Array($0.magic.utf8) == head }) else { return nil }
            let lengthBytes = bytes(from: magicBits, count: lengthBits / 8)
            let bitLength = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
            var payload = StealthPayload(mode: mode, magic: entry.magic, compressed: entry.compressed, bitLength: bitLength,
                                         payload: [], status: .complete)
            let remaining = capacity - magicBits - lengthBits
            if bitLength % 8 != 0 {
                payload.status = .badLength("\(bitLength) bits is not a whole number of bytes")
            } else if bitLength > remaining {
                payload.status = .badLength("\(bitLength) bits declared, the pixels hold \(remaining)")
            } else if bitLength / 8 > maxPayloadBytes {
                payload.status = .badLength("\(bitLength / 8) bytes exceeds the \(maxPayloadBytes)-byte bound")
            }
            guard payload.status == .complete else { return payload }
            let raw = bytes(from: magicBits + lengthBits, count: bitLength / 8)
            guard entry.compressed else {
                payload.payload = raw
                return payload
            }
            let outcome = BoundedInflate.inflate(raw[...], limits: .init(maxOutput: maxPayloadBytes, maxRatio: maxRatio),
                                                 wrapper: .gzip)
            payload.payload = outcome.output
            switch outcome.status {
            case .complete: break
            case .limitReached: payload.status = .decompression("stopped at the \(maxPayloadBytes)-byte or \(maxRatio):1 bound")
            case .truncatedStream: payload.status = .decompression("the gzip stream ends early")
            case .corrupt(let message): payload.status = .decompression(message)
            }
            return payload
        }
    }
}
