import ImprintBytes

/// The HEIF `meta` box (ISO/IEC 23008-12 §9, ISO/IEC 14496-12 §8.11): the primary item
/// (`pitm`), the item types (`iinf`/`infe`), where each item's bytes are (`iloc`, `idat`)
/// and the item properties (`iprp`: `ipco` + `ipma`). From these come the primary image's
/// size (`ispe`), its ICC profile (`colr`), and the Exif and XMP items.
struct BMFFMeta {
    struct ItemInfo { var type: String; var contentType: String?; var offset: Int }
    struct Extent { var offset: UInt64; var length: UInt64 }
    struct ItemLocation { var constructionMethod: Int; var dataReferenceIndex: Int; var baseOffset: UInt64; var extents: [Extent]; var offset: Int }
    struct Property { var type: String; var payload: Range<Int> }

    var primary: Int?
    var infos: [Int: ItemInfo] = [:]
    var infoOrder: [Int] = []
    var locations: [Int: ItemLocation] = [:]
    var properties: [Property] = []
    var associations: [Int: [Int]] = [:]
    var idat: Range<Int>?

    /// An item may have many extents; a hostile iloc can declare millions of empty ones.
    static let maxExtents = 65_536

    static func parse(_ b: inout ContainerBuilder, meta: BMFFBoxes.BoxHeader, depth: Int) {
        var payload = meta.payload
        // HEIF's meta is a FullBox (4 bytes version/flags). QuickTime's is a plain box;
        // tell them apart by whether a box type ("hdlr") sits at +4.
        if !b.bytes.matches(Array("hdlr".utf8), at: payload.lowerBound + 4) {
            guard payload.count >= 4 else {
                b.issue("truncated", at: meta.offset, "meta box too short for its version and flags")
                return
            }
            payload = (payload.lowerBound + 4)..<payload.upperBound
        }
        var state = BMFFMeta()
        BMFFBoxes.forEachChild(&b, in: payload, depth: depth) { b, child in
            switch child.type {
            case "pitm": state.readPitm(&b, child)
            case "iinf": state.readIinf(&b, child, depth: depth + 1)
            case "iloc": state.readIloc(&b, child)
            case "iprp": state.readIprp(&b, child, depth: depth + 1)
            case "idat": state.idat = child.payload
            default: break
            }
        }
        state.resolve(&b)
    }

    // MARK: boxes

    private mutating func readPitm(_ b: inout ContainerBuilder, _ box: BMFFBoxes.BoxHeader) {
        do {
            var reader = try ByteReader.over(b.bytes, from: box.payload.lowerBound, to: box.payload.upperBound)
            let version = try reader.readUInt8("pitm version")
            try reader.skip(3, "pitm flags")
            primary = version == 0 ? Int(try reader.readUInt16BE("pitm item id")) : Int(try reader.readUInt32BE("pitm item id"))
        } catch {
            b.issue(error, context: "pitm box")
        }
    }

    private mutating func readIinf(_ b: inout ContainerBuilder, _ box: BMFFBoxes.BoxHeader, depth: Int) {
        do {
            var reader = try ByteReader.over(b.bytes, from: box.payload.lowerBound, to: box.payload.upperBound)
            let version = try reader.readUInt8("iinf version")
            try reader.skip(3, "iinf flags")
            // The entry count is not trusted: the infe boxes are read until the box ends.
            try reader.skip(version == 0 ? 2 : 4, "iinf entry count")
            BMFFBoxes.forEachChild(&b, in: reader.offset..<box.payload.upperBound, depth: depth) { b, child in
                if child.type == "infe" { readInfe(&b, child) }
            }
        } catch {
            b.issue(error, context: "iinf box")
        }
    }

    /// `infe` versions 0–1 carry a name and a MIME type only; versions 2–3 carry the
    /// four-character item type ('Exif', 'mime', 'hvc1', …) and, for 'mime', the content type.
    private mutating func readInfe(_ b: inout ContainerBuilder, _ box: BMFFBoxes.BoxHeader) {
        do {
            var reader = try ByteReader.over(b.bytes, from: box.payload.lowerBound, to: box.payload.upperBound)
            let version = try reader.readUInt8("infe version")
            try reader.skip(3, "infe flags")
            let id: Int
            var type = ""
            var contentType: String?
            if version >= 2 {
                id = version == 2 ? Int(try reader.readUInt16BE("infe item id")) : Int(try reader.readUInt32BE("infe item id"))
                try reader.skip(2, "infe protection index")
                type = TextDecoding.fourCC(try reader.readBytes(4, "infe item type"))
                _ = Self.readString(&reader)  // item name
                if type == "mime" { contentType = Self.readString(&reader) }
            } else {
                id = Int(try reader.readUInt16BE("infe item id"))
                try reader.skip(2, "infe protection index")
                _ = Self.readString(&reader)
                contentType = Self.readString(&reader)
                type = "mime"
            }
            if infos[id] == nil { infoOrder.append(id) }
            infos[id] = ItemInfo(type: type, contentType: contentType, offset: box.offset)
        } catch {
            b.issue(error, context: "infe box")
        }
    }

    /// `iloc` (ISO/IEC 14496-12 §8.11.3), versions 0–2.
    private mutating func readIloc(_ b: inout ContainerBuilder, _ box: BMFFBoxes.BoxHeader) {
        do {
            var reader = try ByteReader.over(b.bytes, from: box.payload.lowerBound, to: box.payload.upperBound)
            let version = try reader.readUInt8("iloc version")
            try reader.skip(3, "iloc flags")
            guard version <= 2 else {
                b.issue("unsupported", at: box.offset, "iloc version \(version) (0–2 are defined)")
                return
            }
            let sizes1 = try reader.readUInt8("iloc offset/length sizes")
            let sizes2 = try reader.readUInt8("iloc base offset/index sizes")
            let offsetSize = Int(sizes1 >> 4), lengthSize = Int(sizes1 & 0x0F)
            let baseOffsetSize = Int(sizes2 >> 4), indexSize = version >= 1 ? Int(sizes2 & 0x0F) : 0
            for size in [offsetSize, lengthSize, baseOffsetSize, indexSize] where ![0, 4, 8].contains(size) {
                b.issue("bad-length", at: box.offset, "iloc field size \(size) (0, 4 or 8 allowed)")
                return
            }
            let itemCount = version < 2 ? Int(try reader.readUInt16BE("iloc item count")) : Int(try reader.readUInt32BE("iloc item count"))
            var extentTotal = 0
            for _ in 0..<itemCount {
                let entryOffset = reader.offset
                let id = version < 2 ? Int(try reader.readUInt16BE("iloc item id")) : Int(try reader.readUInt32BE("iloc item id"))
                var method = 0
                if version >= 1 { method = Int(try reader.readUInt16BE("iloc construction method") & 0x0F) }
                let dataReference = Int(try reader.readUInt16BE("iloc data reference index"))
                let baseOffset = try reader.readUIntBE(size: baseOffsetSize, "iloc base offset")
                let extentCount = Int(try reader.readUInt16BE("iloc extent count"))
                extentTotal += extentCount
                guard extentTotal <= Self.maxExtents else {
                    b.issue("too-many-elements", at: entryOffset, "iloc declares more than \(Self.maxExtents) extents")
                    return
                }
                var extents: [Extent] = []
                for _ in 0..<extentCount {
                    _ = try reader.readUIntBE(size: indexSize, "iloc extent index")
                    let offset = try reader.readUIntBE(size: offsetSize, "iloc extent offset")
                    let length = try reader.readUIntBE(size: lengthSize, "iloc extent length")
                    extents.append(Extent(offset: offset, length: length))
                }
                locations[id] = ItemLocation(constructionMethod: method, dataReferenceIndex: dataReference,
                                             baseOffset: baseOffset, extents: extents, offset: entryOffset)
            }
        } catch {
            b.issue(error, context: "iloc box")
        }
    }

    private mutating func readIprp(_ b: inout ContainerBuilder, _ box: BMFFBoxes.BoxHeader, depth: Int) {
        BMFFBoxes.forEachChild(&b, in: box.payload, depth: depth) { b, child in
            switch child.type {
            case "ipco":
                BMFFBoxes.forEachChild(&b, in: child.payload, depth: depth + 1) { _, property in
                    properties.append(Property(type: property.type, payload: property.payload))
                }
            case "ipma":
                readIpma(&b, child)
            default:
                break
            }
        }
    }

    /// `ipma`: for each item, the 1-based indices of its properties in `ipco`.
    private mutating func readIpma(_ b: inout ContainerBuilder, _ box: BMFFBoxes.BoxHeader) {
        do {
            var reader = try ByteReader.over(b.bytes, from: box.payload.lowerBound, to: box.payload.upperBound)
            let version = try reader.readUInt8("ipma version")
            let flags = try reader.readBytes(3, "ipma flags")
            let wideIndices = (flags.last ?? 0) & 1 == 1
            let entryCount = Int(try reader.readUInt32BE("ipma entry count"))
            for _ in 0..<entryCount {
                let id = version < 1 ? Int(try reader.readUInt16BE("ipma item id")) : Int(try reader.readUInt32BE("ipma item id"))
                let count = Int(try reader.readUInt8("ipma association count"))
                var indices: [Int] = []
                for _ in 0..<count {
                    // The top bit says "essential"; the rest is the property index.
                    indices.append(wideIndices ? Int(try reader.readUInt16BE("ipma property") & 0x7FFF)
                                               : Int(try reader.readUInt8("ipma property") & 0x7F))
                }
                associations[id, default: []].append(contentsOf: indices)
            }
        } catch {
            b.issue(error, context: "ipma box")
        }
    }

    /// A NUL-terminated string that may instead end with its box (some writers omit the NUL).
    private static func readString(_ reader: inout ByteReader) -> String {
        var bytes: [UInt8] = []
        while let byte = try? reader.readUInt8() {
            if byte == 0 { break }
            bytes.append(byte)
        }
        return TextDecoding.utf8OrLatin1(bytes)
    }
}
