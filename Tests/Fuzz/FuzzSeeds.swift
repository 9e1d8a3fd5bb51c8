// Internal parsers are reached through @testable imports, which exist in debug builds and
// in scripts/fuzz.sh's build (-enable-testing); a plain release build leaves this out.
#if DEBUG || IMPRINT_FUZZ
import Foundation
@testable import ImprintBytes
@testable import ImprintImaging
@testable import ImprintProvenance

/// Seed inputs for each fuzz target, derived at run time from files the examiner points at
/// (scripts/fuzz.sh passes ../shared/corpus) plus a few small inputs made here. Nothing
/// derived from third-party files is written inside the repository: scripts/fuzz.sh keeps
/// the seeds in its work folder (.fuzz/, git-ignored).
enum FuzzSeeds {
    enum Kind: Sendable {
        /// Whole files of this format.
        case file(ImageFormat)
        /// `[chunk type index] + chunk data` of PNG text and iCCP chunks.
        case pngText
        /// WebP, HEIF and GIF files assembled here around the corpus's EXIF and XMP blocks.
        case webp, heif, gif
        /// The TIFF-structured EXIF blocks of the corpus.
        case exif
        case xmp, jumbf, cbor, cose
        /// Files that carry a C2PA store.
        case c2pa
        case stealth
        case hashList(plain: Bool)
        /// Project VIC VICS JSON documents in the three shapes the reader accepts.
        case vics
    }

    /// A per-process scratch file for targets that read from a file.
    static let scratchFile: String = {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        return "\(folder)/imprint-fuzz-\(getpid()).input"
    }()

    /// The seeds of `kind` derived from `files` (each at most 4 MiB is read).
    static func make(_ kind: Kind, from files: [String]) -> [[UInt8]] {
        let contents: [[UInt8]] = files.compactMap { path in
            guard let data = FileManager.default.contents(atPath: path), data.count <= 4 << 20 else { return nil }
            return [UInt8](data)
        }
        func parsed(_ format: ImageFormat) -> [(bytes: [UInt8], container: ParsedContainer)] {
            contents.filter { FormatSniffer.sniff($0.prefix(FormatSniffer.minimumPrefix)) == format }
                .map { ($0, ContainerParser.parse($0, format: format)) }
        }
        let images = ImageFormat.allCases.filter(\.isImage).flatMap { parsed($0) }
        let exifBlocks = images.compactMap(\.container.exif).prefix(24)
        let xmpPackets = images.compactMap(\.container.xmp).prefix(24)
        let stores = images.compactMap(\.container.jumbf)

        switch kind {
        case .file(let format):
            return parsed(format).map(\.bytes).filter { $0.count <= 1 << 20 }
        case .pngText:
            let types = ["tEXt", "zTXt", "iTXt", "iCCP"]
            var seeds = parsed(.png).flatMap { png in
                png.container.elements.compactMap { element -> [UInt8]? in
                    guard let index = types.firstIndex(of: element.name),
                          element.payloadOffset + element.payloadLength <= png.bytes.count else { return nil }
                    return [UInt8(index)] + png.bytes[element.payloadOffset..<(element.payloadOffset + element.payloadLength)]
                }
            }
            seeds.append([0] + Array("parameters\u{0}a cat".utf8))
            seeds.append([2] + Array("XML:com.adobe.xmp\u{0}\u{0}\u{0}\u{0}\u{0}<x:xmpmeta xmlns:x='adobe:ns:meta/'/>".utf8))
            return seeds
        case .exif:
            return Array(exifBlocks)
        case .webp:
            let vp8x: [UInt8] = [0x0C, 0, 0, 0] + [15, 0, 0] + [15, 0, 0]
            var seeds = [riff([("VP8X", vp8x), ("VP8L", [0x2F, 0x0F, 0xC0, 0x03, 0x00])])]
            for (index, exif) in exifBlocks.prefix(8).enumerated() {
                let xmp = xmpPackets.isEmpty ? [] : xmpPackets[xmpPackets.startIndex + index % xmpPackets.count]
                seeds.append(riff([("VP8X", vp8x), ("EXIF", exif), ("XMP ", xmp)]))
            }
            for store in stores.prefix(2) { seeds.append(riff([("VP8X", vp8x), ("C2PA", store)])) }
            return seeds
        case .heif:
            return exifBlocks.prefix(8).map(heif) + [heif([0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00])]
        case .gif:
            return [gif(comment: Array("made by imprint".utf8), xmp: xmpPackets.first ?? [])]
                + xmpPackets.prefix(4).map { gif(comment: [], xmp: $0) }
        case .xmp:
            return Array(xmpPackets) + [billionLaughs]
        case .jumbf:
            return stores
        case .cbor, .cose:
            var seeds: [[UInt8]] = []
            for store in stores {
                guard let root = try? JUMBFParser.parseStore(store) else { continue }
                collect(root, in: store, signaturesOnly: { if case .cose = kind { return true } else { return false } }(),
                        into: &seeds)
            }
            if case .cbor = kind {
                seeds += [[0xA2, 0x61, 0x61, 0x01, 0x61, 0x62, 0x83, 0x01, 0x02, 0x03],
                          [0x9F, 0x01, 0x82, 0x02, 0x03, 0x9F, 0x04, 0x05, 0xFF, 0xFF],
                          [0xFB, 0x3F, 0xF1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A]]
            }
            return seeds.prefix(64).map { $0 }
        case .c2pa:
            return images.filter { $0.container.jumbf != nil }.map(\.bytes)
        case .stealth:
            let text = Array("parameters: a cat\nSteps: 20, Sampler: Euler a, Seed: 1".utf8)
            let length = (text.count * 8)
            let header: [UInt8] = [UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            let gzLength = gzipSample.count * 8
            let gzHeader: [UInt8] = [0, 0, UInt8(gzLength >> 8), UInt8(gzLength & 0xFF)]
            return [[0] + header + text, [2] + header + text, [1] + gzHeader + gzipSample, [3] + gzHeader + gzipSample]
        case .hashList(let plain):
            if plain {
                return [Array("\u{FEFF}# md5sum output\r\nd41d8cd98f00b204e9800998ecf8427e  empty.txt\r\n".utf8),
                        Array("da39a3ee5e6b4b0d3255bfef95601890afd80709 *empty\n\n# sha1\n".utf8),
                        Array("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\tname\n".utf8)]
            }
            return [Array("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22,100,case-1\n".utf8),
                    Array("hash=f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22,quality=49,src=x\n".utf8)]
        case .vics:
            let media = #"{"MediaID":1,"Category":2,"MD5":"d41d8cd98f00b204e9800998ecf8427e","SHA1":"da39a3ee5e6b4b0d3255bfef95601890afd80709","PhotoDNA":"AAAA","IsPrecategorized":true,"MediaFiles":[{"FileName":"a.jpg"}]}"#
            return [Array(#"{"@odata.context":"http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media","value":[\#(media),\#(media)]}"#.utf8),
                    Array(#"{"@odata.context":"http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Cases","value":[{"CaseNumber":"C-1","Media":[\#(media)]}]}"#.utf8),
                    Array(#"{"odata.metadata":"http://github.com/ICMEC/ProjectVic/DataModels/1.1.xml#Media","value":[\#(media)]}"#.utf8)]
        }
    }

    /// `cbor` content boxes (or, for COSE, those of signature superboxes) in a JUMBF tree.
    private static func collect(_ box: JUMBFBox, in store: [UInt8], signaturesOnly: Bool, into seeds: inout [[UInt8]]) {
        let isSignature = box.description?.fourCC == "c2cs"
        for child in box.children {
            if child.isSuperbox {
                collect(child, in: store, signaturesOnly: signaturesOnly, into: &seeds)
            } else if child.type == "cbor", !signaturesOnly || isSignature {
                seeds.append(Array(store[child.payload]))
            }
        }
    }

    // MARK: - Builders (small, project-made inputs)

    static func png(chunks: [(type: String, data: [UInt8])]) -> [UInt8] {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be32(data.count) + body + be32(Int(CRC32.checksum(body, 0..<body.count)))
        }
        let ihdr: [UInt8] = be32(1) + be32(1) + [8, 2, 0, 0, 0]
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr)
        for (type, data) in chunks { out += chunk(type, data) }
        return out + chunk("IDAT", [0x78, 0x9C, 0x63, 0x60, 0x60, 0x60, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01]) + chunk("IEND", [])
    }

    static func riff(_ chunks: [(fourCC: String, data: [UInt8])]) -> [UInt8] {
        var body = Array("WEBP".utf8)
        for (fourCC, data) in chunks {
            body += Array(fourCC.utf8) + le32(data.count) + data
            if data.count % 2 == 1 { body.append(0) }
        }
        return Array("RIFF".utf8) + le32(body.count) + body
    }

    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] { be32(payload.count + 8) + Array(type.utf8) + payload }
    static func fullBox(_ type: String, _ payload: [UInt8]) -> [UInt8] { box(type, [0, 0, 0, 0] + payload) }

    /// A HEIF file with one `Exif` item (its data in `mdat`, located by `iloc`) and an image item.
    static func heif(_ exif: [UInt8]) -> [UInt8] {
        let ftyp = box("ftyp", Array("heic".utf8) + be32(0) + Array("mif1heic".utf8))
        func infe(_ id: Int, _ type: String) -> [UInt8] {
            box("infe", [2, 0, 0, 0] + be16(id) + be16(0) + Array(type.utf8) + [0])
        }
        let iinf = fullBox("iinf", be16(2) + infe(1, "hvc1") + infe(2, "Exif"))
        let ispe = fullBox("ispe", be32(64) + be32(48))
        let iprp = box("iprp", box("ipco", ispe) + box("ipma", [0, 0, 0, 0] + be32(1) + be16(1) + [1, 0x81]))
        let payload = be32(0) + exif   // Exif item: 4-byte offset to the TIFF header, then the header
        func meta(ilocOffset: Int) -> [UInt8] {
            let iloc = fullBox("iloc", [0x44, 0x00] + be16(1) + be16(2) + be16(0) + be16(1) + be32(ilocOffset) + be32(payload.count))
            return fullBox("meta", fullBox("hdlr", be32(0) + Array("pict".utf8) + [UInt8](repeating: 0, count: 13))
                           + fullBox("pitm", be16(1)) + iinf + iloc + iprp)
        }
        let head = ftyp + meta(ilocOffset: 0)
        let offset = head.count + 8
        return ftyp + meta(ilocOffset: offset) + box("mdat", payload)
    }

    static func gif(comment: [UInt8], xmp: [UInt8]) -> [UInt8] {
        var out = Array("GIF89a".utf8) + [1, 0, 1, 0, 0x80, 0, 0] + [0, 0, 0, 0xFF, 0xFF, 0xFF]
        func blocks(_ data: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            var index = 0
            while index < data.count {
                let n = min(255, data.count - index)
                out += [UInt8(n)] + data[index..<(index + n)]
                index += n
            }
            return out + [0]
        }
        if !comment.isEmpty { out += [0x21, 0xFE] + blocks(comment) }
        if !xmp.isEmpty {
            // XMP's "magic trailer" lets readers take the sub-blocks as the raw packet.
            out += [0x21, 0xFF, 11] + Array("XMP DataXMP".utf8) + xmp + [0x01] + (0...255).reversed().map { UInt8($0) } + [0]
        }
        out += [0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B]
        return out
    }

    /// An XML entity-expansion bomb inside an XMP-like packet.
    static let billionLaughs: [UInt8] = {
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [\n<!ENTITY a \"ha\">\n"
        var previous = "a"
        for level in 1...9 {
            let name = "e\(level)"
            text += "<!ENTITY \(name) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
            previous = name
        }
        text += "]>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
        text += "<rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\" dc:format=\"&\(previous);\"/></rdf:RDF></x:xmpmeta>"
        return Array(text.utf8)
    }()

    /// gzip of a short A1111-style parameters text (made with Python's gzip, mtime 0).
    static let gzipSample: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0x2b, 0x48, 0x2c, 0x4a, 0xcc, 0x4d, 0x2d, 0x49, 0x2d, 0x2a,
        0xb6, 0x52, 0x48, 0x54, 0x48, 0x4e, 0x2c, 0xe1, 0x0a, 0x2e, 0x49, 0x2d, 0x00, 0x72, 0x8c, 0x0c, 0x74, 0x14, 0x82, 0x13,
        0x73, 0x0b, 0x72, 0x52, 0x8b, 0xac, 0x14, 0x5c, 0x4b, 0x81, 0x94, 0x42, 0x22, 0x50, 0x24, 0x35, 0x35, 0xc5, 0x4a, 0xc1,
        0x10, 0x00, 0x3e, 0xe0, 0x75, 0x9b, 0x36, 0x00, 0x00, 0x00,
    ]

    /// A raster whose pixel LSBs carry `magic` then `stream`, column-major, MSB first, as
    /// stealth pnginfo writes them (alpha: one bit per pixel; RGB: three).
    static func stealthRaster(magic: [UInt8], alpha: Bool, stream: [UInt8]) -> Raster {
        let bits = (magic + stream.prefix(1 << 16)).flatMap { byte in (0..<8).map { byte >> (7 - $0) & 1 } }
        let perPixel = alpha ? 1 : 3
        let height = 16
        let width = max(1, (bits.count + perPixel * height - 1) / (perPixel * height))
        let channels = alpha ? 4 : 3
        var pixels = [UInt8](repeating: 0x80, count: width * height * channels)
        for (n, bit) in bits.enumerated() {
            let pixel = n / perPixel
            let x = pixel / height, y = pixel % height
            let channel = alpha ? 3 : n % perPixel
            let index = (y * width + x) * channels + channel
            pixels[index] = pixels[index] & 0xFE | bit
        }
        return Raster(width: width, height: height, layout: alpha ? .rgba : .rgb, pixels: pixels)
    }

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { be32(v).reversed() }
}
#endif
