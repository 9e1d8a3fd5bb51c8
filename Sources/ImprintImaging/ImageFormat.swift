import ImprintBytes

/// The container format of a file, decided from its leading bytes (never its name).
public enum ImageFormat: String, Sendable, CaseIterable, Codable {
    case jpeg, png, webp, gif, tiff, heif, avif, bmp
    /// Not an image format imprint recognises (or too short to tell).
    case other
    /// Zero bytes.
    case empty

    /// Whether this is one of the image formats imprint sniffs.
    public var isImage: Bool { self != .other && self != .empty }

    /// File name extensions conventionally used for the format (lowercase, no dot).
    public var conventionalExtensions: Set<String> {
        switch self {
        case .jpeg: return ["jpg", "jpeg", "jpe", "jfif", "jif"]
        case .png: return ["png"]
        case .webp: return ["webp"]
        case .gif: return ["gif"]
        case .tiff: return ["tif", "tiff", "dng", "nef", "cr2", "arw", "orf", "rw2", "pef", "srw", "raf"]
        case .heif: return ["heic", "heif", "hif"]
        case .avif: return ["avif"]
        case .bmp: return ["bmp", "dib"]
        case .other, .empty: return []
        }
    }
}

/// Magic-byte sniffing. Only the first bytes of a file are needed (`minimumPrefix`), so a
/// streamed large file can be sniffed from its first chunk.
public enum FormatSniffer {
    /// Enough bytes to decide every format below (BMFF brands need the whole `ftyp` head).
    public static let minimumPrefix = 64

    /// HEIF brands (ISO/IEC 23008-12) and AVIF brands (AV1 Image File Format).
    static let heifBrands: Set<String> = ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "mif2", "miaf"]
    static let avifBrands: Set<String> = ["avif", "avis"]

    public static func sniff<C: Collection>(_ prefix: C) -> ImageFormat where C.Element == UInt8 {
        let b = Array(prefix.prefix(minimumPrefix))
        if b.isEmpty { return .empty }
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            offset + magic.count <= b.count && Array(b[offset..<(offset + magic.count)]) == magic
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        // TIFF: II*\0 / MM\0* (classic) and II+\0 / MM\0+ (BigTIFF).
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A])
            || starts([0x49, 0x49, 0x2B, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2B]) { return .tiff }
        if starts(Array("ftyp".utf8), at: 4), let format = bmffFormat(b) { return format }
        if starts(Array("BM".utf8)), isPlausibleBMP(b) { return .bmp }
        return .other
    }

    /// Reads the `ftyp` box: major brand, then compatible brands. AVIF wins when the
    /// major brand says so; otherwise any HEIF/AVIF brand decides.
    private static func bmffFormat(_ b: [UInt8]) -> ImageFormat? {
        var reader = ByteReader(b)
        guard let size = try? reader.readUInt32BE(), size >= 16 else { return nil }
        _ = try? reader.skip(4)
        let end = min(Int(size), b.count)
        var brands: [String] = []
        var position = 8
        while position + 4 <= end {
            if position != 12 {  // bytes 12..<16 are the minor version, not a brand
                brands.append(String(decoding: b[position..<(position + 4)], as: UTF8.self))
            }
            position += 4
        }
        guard let major = brands.first else { return nil }
        if avifBrands.contains(major) { return .avif }
        // Generic image brands (mif1, msf1, miaf) say only "HEIF-structured"; the codec
        // brand among the compatible ones decides. A codec brand as major brand decides alone.
        let generic: Set<String> = ["mif1", "msf1", "mif2", "miaf"]
        if heifBrands.contains(major) && !generic.contains(major) { return .heif }
        if brands.contains(where: avifBrands.contains) { return .avif }
        if brands.contains(where: heifBrands.contains) { return .heif }
        return nil
    }

    /// "BM" alone is too weak (text files start with it); require a known DIB header size.
    private static func isPlausibleBMP(_ b: [UInt8]) -> Bool {
        guard b.count >= 18 else { return false }
        let dibSize = UInt32(b[14]) | UInt32(b[15]) << 8 | UInt32(b[16]) << 16 | UInt32(b[17]) << 24
        return [12, 40, 52, 56, 64, 108, 124].contains(dibSize)
    }
}
