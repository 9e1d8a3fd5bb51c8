import ImprintBytes

/// Walks an ISO base media file (ISO/IEC 14496-12: HEIF, AVIF): top-level boxes as
/// elements, the `ftyp` brands, the `meta` box's items (through `BMFFMeta`), and the
/// `uuid` boxes (C2PA manifest store, XMP).
enum BMFFBoxes {
    /// C2PA's box type for BMFF assets (C2PA spec §A.5, "uuid" box).
    static let c2paUUID: [UInt8] = [0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81]
    /// XMP's box type (XMP spec part 3, §1.1.4).
    static let xmpUUID: [UInt8] = [0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC]

    struct BoxHeader {
        var type: String
        var userType: [UInt8]?
        var offset: Int
        var size: Int
        var payload: Range<Int>

        /// A `uuid` box is named by its extended type, which is its real type.
        var name: String { userType.map { "uuid:" + BMFFBoxes.uuidString($0) } ?? type }
    }

    struct BoxProblem: Error {
        var code: String
        var offset: Int
        var message: String
    }

    static func parse(_ b: inout ContainerBuilder) {
        let bytes = b.bytes
        var position = 0
        var first = true
        var sawMeta = false
        while position < bytes.count, b.hasRoom(at: position) {
            let header: BoxHeader
            do {
                header = try readHeader(bytes, at: position, end: bytes.count)
            } catch {
                b.issue(error.code, at: error.offset, error.message)
                return
            }
            if first && header.type != "ftyp" {
                b.issue("unexpected-box", at: position, "first box is \(header.name), not ftyp")
            }
            first = false
            if header.type == "meta" { sawMeta = true }
            // The box is recorded before its contents are read, so that what is found
            // inside (the Exif and XMP items) follows it in the element list.
            let index = b.result.elements.count
            let added = b.add(name: header.name, offset: header.offset, length: header.size,
                              payloadOffset: header.payload.lowerBound, payloadLength: header.payload.count)
            let identified = interpretTopLevel(&b, header)
            if added { b.result.elements[index].identifiedAs = identified }
            position = header.payload.upperBound
        }
        if !sawMeta && !bytes.isEmpty {
            // HEIF and AVIF images keep their items in the top-level meta box (ISO/IEC 23008-12 §10.2).
            b.issue("missing-box", at: position, "no top-level meta box: the file holds no image items")
        }
    }

    private static func interpretTopLevel(_ b: inout ContainerBuilder, _ header: BoxHeader) -> String? {
        switch header.type {
        case "ftyp":
            readFtyp(&b, header)
        case "meta":
            BMFFMeta.parse(&b, meta: header, depth: 1)
        case "uuid":
            guard let userType = header.userType else { return nil }
            if userType == c2paUUID {
                readC2PA(&b, header)
                return "JUMBF"
            }
            if userType == xmpUUID {
                if b.result.xmp == nil {
                    b.result.xmp = Array(b.bytes[header.payload])
                    b.result.xmpOffset = header.payload.lowerBound
                }
                return "XMP"
            }
            return "uuid:" + uuidString(userType)
        default:
            break
        }
        return nil
    }

    /// `ftyp`: major brand, minor version, then compatible brands to the end of the box.
    private static func readFtyp(_ b: inout ContainerBuilder, _ header: BoxHeader) {
        do {
            var reader = try ByteReader.over(b.bytes, from: header.payload.lowerBound, to: header.payload.upperBound)
            b.result.bmffMajorBrand = TextDecoding.fourCC(try reader.readBytes(4, "major brand"))
            try reader.skip(4, "minor version")
            var brands: [String] = []
            while reader.remaining >= 4 { brands.append(TextDecoding.fourCC(try reader.readBytes(4, "compatible brand"))) }
            b.result.bmffCompatibleBrands = brands
        } catch {
            b.issue(error, context: "ftyp box")
        }
    }

    /// The C2PA box: FullBox header, a NUL-terminated purpose ("manifest" or "merkle"); for
    /// "manifest" an 8-byte offset to Merkle data follows, then the JUMBF manifest store.
    private static func readC2PA(_ b: inout ContainerBuilder, _ header: BoxHeader) {
        do {
            var reader = try ByteReader.over(b.bytes, from: header.payload.lowerBound, to: header.payload.upperBound)
            try reader.skip(4, "version and flags")
            let purpose = TextDecoding.latin1(try reader.readCString(maxLength: 64, "C2PA purpose"))
            guard purpose == "manifest" else { return }
            try reader.skip(8, "C2PA Merkle offset")
            if b.result.jumbf == nil {
                b.result.jumbfOffset = reader.offset
                b.result.jumbf = Array(try reader.readBytes(reader.remaining, "C2PA manifest store"))
            }
        } catch {
            b.issue(error, context: "C2PA uuid box")
        }
    }

    /// Reads the box header at `offset` and checks its size against the enclosing `end`:
    /// size 0 runs to `end`, size 1 means a 64-bit size follows the type.
    static func readHeader(_ bytes: [UInt8], at offset: Int, end: Int) throws(BoxProblem) -> BoxHeader {
        do {
            var reader = try ByteReader.over(bytes, from: offset, to: end)
            let size32 = try reader.readUInt32BE("box size")
            let typeBytes = try reader.readBytes(4, "box type")
            let type = TextDecoding.fourCC(typeBytes)
            var size: Int
            switch size32 {
            case 0:
                size = end - offset
            case 1:
                let large = try reader.readUInt64BE("box largesize")
                guard large <= UInt64(Int.max) else {
                    throw BoxProblem(code: "bad-length", offset: offset, message: "\(type) box declares \(large) bytes")
                }
                size = Int(large)
            default:
                size = Int(size32)
            }
            var userType: [UInt8]?
            if type == "uuid" { userType = Array(try reader.readBytes(16, "uuid usertype")) }
            let headerSize = reader.offset - offset
            guard size >= headerSize else {
                throw BoxProblem(code: "bad-length", offset: offset, message: "\(type) box declares \(size) bytes, less than its \(headerSize)-byte header")
            }
            guard size <= end - offset else {
                let code = end == bytes.count ? "truncated" : "bad-length"
                throw BoxProblem(code: code, offset: offset,
                                 message: "\(type) box declares \(size) bytes, only \(end - offset) remain in its parent")
            }
            return BoxHeader(type: type, userType: userType, offset: offset, size: size,
                             payload: (offset + headerSize)..<(offset + size))
        } catch let error as BoxProblem {
            throw error
        } catch let error as ByteReaderError {
            let code: String
            if case .truncated = error { code = "truncated" } else { code = "bad-length" }
            throw BoxProblem(code: code, offset: offset, message: "box header: \(error.description)")
        } catch {
            throw BoxProblem(code: "bad-length", offset: offset, message: "box header: \(error)")
        }
    }

    /// Calls `body` for each child box in `range`; stops (with an issue) on a bad header or
    /// when nesting passes `maxBoxDepth`.
    static func forEachChild(_ b: inout ContainerBuilder, in range: Range<Int>, depth: Int,
                             _ body: (inout ContainerBuilder, BoxHeader) -> Void) {
        guard depth <= b.limits.maxBoxDepth else {
            let cap = b.limits.maxBoxDepth
            b.issue("too-deep", at: range.lowerBound, "boxes nested deeper than \(cap) levels were not read")
            return
        }
        var position = range.lowerBound
        var count = 0
        while position < range.upperBound {
            // Each child takes at least 8 bytes, so this bounds the loop; the cap guards memory.
            count += 1
            guard count <= b.limits.maxElements else {
                let cap = b.limits.maxElements
                b.issue("too-many-elements", at: position, "more than \(cap) child boxes")
                return
            }
            do {
                let header = try readHeader(b.bytes, at: position, end: range.upperBound)
                body(&b, header)
                position = header.payload.upperBound
            } catch {
                b.issue(error.code, at: error.offset, error.message)
                return
            }
        }
    }

    static func uuidString(_ bytes: [UInt8]) -> String {
        let hex = TextDecoding.hex(bytes)
        guard bytes.count == 16 else { return hex }
        let characters = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32]
        return groups.map { String(characters[$0]) }.joined(separator: "-")
    }
}
