import ImprintBytes

/// One structural element of a file — a JPEG marker segment, a PNG chunk, a RIFF chunk,
/// a BMFF box, a TIFF IFD, a GIF block — with exact byte positions, so every finding
/// can say where in the file it looked.
public struct ContainerElement: Sendable, Equatable {
    /// The element's own name: `SOI`, `APP1`, `DQT`, `SOS`, `IHDR`, `tEXt`, `VP8X`, `ftyp`, `IFD0`, …
    public var name: String
    /// What the payload was identified as, when a signature says so: `EXIF`, `XMP`,
    /// `ExtendedXMP`, `ICC`, `PhotoshopIRB`, `JFIF`, `JFXX`, `Adobe`, `JUMBF`, `MPF`, `Ducky`, …
    public var identifiedAs: String?
    /// Absolute offset of the first byte of the element (marker, length or size field).
    public var offset: Int
    /// Total length including the element's header.
    public var length: Int
    /// Absolute offset and length of the payload (after the header).
    public var payloadOffset: Int
    public var payloadLength: Int

    public init(name: String, identifiedAs: String? = nil, offset: Int, length: Int, payloadOffset: Int, payloadLength: Int) {
        self.name = name
        self.identifiedAs = identifiedAs
        self.offset = offset
        self.length = length
        self.payloadOffset = payloadOffset
        self.payloadLength = payloadLength
    }

    public var json: JSONValue {
        .object(["name": .string(name), "identifiedAs": identifiedAs.map(JSONValue.string),
                 "offset": .integer(offset), "length": .integer(length)])
    }
}

/// A structural problem found while parsing: never fatal to the batch.
public struct ContainerIssue: Sendable, Equatable, CustomStringConvertible {
    /// Stable code: `truncated`, `bad-crc`, `bad-length`, `unexpected-marker`, `too-many-elements`,
    /// `decompression-limit`, `bad-compression`, …
    public var code: String
    public var offset: Int
    public var message: String

    public init(code: String, offset: Int, message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) (at byte \(offset))" }
}

/// A text chunk of a PNG (`tEXt`, `zTXt`, `iTXt`), decoded.
public struct PNGTextChunk: Sendable, Equatable {
    public var chunk: String
    public var keyword: String
    public var text: String
    public var languageTag: String?
    public var translatedKeyword: String?
    public var compressed: Bool
    public var offset: Int
    /// False when decompression stopped early (a limit, or a corrupt stream): `text` is
    /// then only what was recovered before the stop, and an issue says why.
    public var isComplete: Bool = true
}

/// A quantisation table from a JPEG DQT segment, in natural (row-major) order.
public struct QuantizationTable: Sendable, Equatable {
    public var id: Int
    /// 8 or 16 bits per value.
    public var precision: Int
    public var values: [UInt16]
    public var offset: Int
}

/// A Huffman table from a JPEG DHT segment: class (0 DC, 1 AC), id, the 16 code-length
/// counts and the symbol values, as stored.
public struct HuffmanTable: Sendable, Equatable {
    public var tableClass: Int
    public var id: Int
    public var counts: [UInt8]
    public var values: [UInt8]
    public var offset: Int
}

/// What a JPEG frame header (SOFn) says.
public struct JPEGFrame: Sendable, Equatable {
    public var marker: String
    public var process: String   // baseline, extended, progressive, lossless, hierarchical, arithmetic…
    public var precision: Int
    public var width: Int
    public var height: Int
    public var components: [Component]
    public var offset: Int

    public struct Component: Sendable, Equatable {
        public var id: Int
        public var horizontalSampling: Int
        public var verticalSampling: Int
        public var quantizationTable: Int
    }

    public var isProgressive: Bool { process.contains("progressive") }
}

/// Everything imprint reads from a file's container structure, in one pass over the bytes.
/// Payloads are referred to by position and copied out only where they must be
/// reassembled (multi-segment ICC and extended XMP) or decompressed (PNG text).
public struct ParsedContainer: Sendable {
    public var format: ImageFormat
    public var elements: [ContainerElement] = []
    public var issues: [ContainerIssue] = []
    /// Image dimensions as the container declares them (SOF, IHDR, VP8X, ispe, …).
    public var width: Int?
    public var height: Int?
    /// Bytes after the logical end (JPEG EOI, PNG IEND, GIF trailer, RIFF size).
    public var trailingDataOffset: Int?
    public var trailingDataLength: Int = 0

    /// The TIFF-structured EXIF block (starting at the `II*\0`/`MM\0*` header), wherever it lives.
    public var exif: [UInt8]?
    public var exifOffset: Int?
    /// The main XMP packet and, reassembled, the extended XMP (JPEG), as UTF-8 bytes.
    public var xmp: [UInt8]?
    public var xmpOffset: Int?
    public var extendedXMP: [UInt8]?
    /// IPTC-IIM records (from the Photoshop IRB resource 0x0404).
    public var iptc: [UInt8]?
    public var iptcOffset: Int?
    /// The ICC profile, reassembled (JPEG APP2 sequence) or decompressed (PNG iCCP).
    public var icc: [UInt8]?
    public var iccOffset: Int?
    /// JPEG COM segments, PNG text chunks.
    public var comments: [(offset: Int, text: String)] = []
    public var pngText: [PNGTextChunk] = []

    // JPEG specifics
    public var jpegFrame: JPEGFrame?
    public var quantizationTables: [QuantizationTable] = []
    public var huffmanTableCount = 0
    /// Whether the file carries an Adobe APP14 / JFIF APP0 header.
    public var hasJFIF = false
    public var hasAdobe = false

    // PNG specifics
    public var pngBitDepth: Int?
    public var pngColorType: Int?
    public var pngIDATCount = 0

    // Additions by the container parsers (kept additive so existing users are unaffected).

    /// What the bytes after the logical end look like when sniffed (a second JPEG of an
    /// MPF file, a ZIP appended to hide it, …); nil when there are none or they are unrecognised.
    public var trailingDataFormat: ImageFormat?
    /// A JUMBF box (C2PA manifest store) as one buffer: JPEG APP11 packets reassembled in
    /// sequence order (the first box instance only), PNG `caBX`, WebP `C2PA`, the BMFF C2PA
    /// `uuid` box after its purpose header, TIFF tag 52545. `jumbfOffset` is where its first
    /// byte lies in the file.
    public var jumbf: [UInt8]?
    public var jumbfOffset: Int?
    /// BMFF `ftyp`: the major brand and the compatible brands, in file order.
    public var bmffMajorBrand: String?
    public var bmffCompatibleBrands: [String] = []
    /// JPEG DHT tables in file order (at most 64 kept), for compression analysis.
    public var huffmanTables: [HuffmanTable] = []
    /// JPEG DRI restart interval (the first DRI segment), if any.
    public var restartInterval: Int?

    public init(format: ImageFormat) { self.format = format }
}

extension ParsedContainer: Equatable {
    public static func == (lhs: ParsedContainer, rhs: ParsedContainer) -> Bool {
        lhs.format == rhs.format && lhs.elements == rhs.elements && lhs.issues == rhs.issues
            && lhs.width == rhs.width && lhs.height == rhs.height && lhs.exif == rhs.exif && lhs.xmp == rhs.xmp
    }
}

/// Resource limits every container parser honours (hostile files are the norm).
public struct ContainerLimits: Sendable {
    /// Maximum number of elements recorded per file; the rest is summarised as an issue.
    public var maxElements = 100_000
    /// Maximum decompressed size of one PNG text/iCCP chunk, and total per file.
    public var maxDecompressedChunk = 8 << 20
    public var maxDecompressedTotal = 64 << 20
    /// Maximum ratio of decompressed to compressed size accepted (zip-bomb guard).
    public var maxDecompressionRatio = 1_000
    /// Maximum IFD count and entries per IFD for TIFF walks; maximum BMFF nesting depth.
    public var maxIFDs = 64
    public var maxIFDEntries = 4_096
    public var maxBoxDepth = 16
    /// Maximum size of a payload assembled from several segments (JPEG ICC, extended XMP,
    /// JUMBF, Photoshop IRB) or gathered from BMFF item extents.
    public var maxReassembledSize = 32 << 20
    /// Maximum number of issues recorded per file; the rest is summarised as one issue.
    public var maxIssues = 1_000

    public init() {}
}
