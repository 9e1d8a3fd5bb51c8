/// A payload the Stable Diffusion family writes with invisible-watermark's dwtDct method
/// (SD-WATERMARK.md §2). Rules as data: a new payload is one more entry in `known`.
public struct DwtDctPayload: Sendable, Equatable {
    /// Stable identifier used in findings: `sd1`, `sd2`, `sdxl`.
    public var id: String
    /// Which software writes it.
    public var writer: String
    /// The embedded bits, in embedding order (MSB first per byte for byte payloads).
    public var bits: [Bool]

    public var length: Int { bits.count }

    public init(id: String, writer: String, bits: [Bool]) {
        self.id = id
        self.writer = writer
        self.bits = bits
    }

    /// A `'bytes'` payload: each byte unpacked MSB first, as `np.unpackbits` does.
    public init(id: String, writer: String, bytes: [UInt8]) {
        self.init(id: id, writer: writer,
                  bits: bytes.flatMap { byte in (0..<8).map { byte & (0x80 >> UInt8($0)) != 0 } })
    }

    /// A `'bits'` payload given as an integer of `count` bits, most significant first.
    public init(id: String, writer: String, value: UInt64, count: Int) {
        self.init(id: id, writer: writer, bits: (0..<count).map { value & (1 << UInt64(count - 1 - $0)) != 0 })
    }

    /// The payloads imprint tests every image for.
    public static let known: [DwtDctPayload] = [
        DwtDctPayload(id: "sd1", writer: "CompVis Stable Diffusion 1.x scripts/txt2img.py",
                      bytes: Array("StableDiffusionV1".utf8)),
        DwtDctPayload(id: "sd2", writer: "Stability-AI stablediffusion 2.x scripts/txt2img.py",
                      bytes: Array("SDV2".utf8)),
        DwtDctPayload(id: "sdxl", writer: "Stability-AI generative-models (SDXL) and diffusers' SDXL pipelines",
                      value: 0xB3EC_907B_B19E, count: 48),
    ]
}
