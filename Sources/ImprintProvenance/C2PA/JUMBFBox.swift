/// The JUMBF box tree (ISO/IEC 19566-5) of a C2PA manifest store.
///
/// Every box keeps its absolute range in the store buffer: assertion hashes are computed
/// over the bytes exactly as found (C2PA §3 rule: the superbox without its own header),
/// never over anything re-serialised.
struct JUMBFBox: Sendable {
    /// The four-character box type (`jumb`, `jumd`, `cbor`, `json`, `bfdb`, `bidb`, …).
    var type: String
    /// The whole box, header included.
    var range: Range<Int>
    /// 8, or 16 with an XLBox.
    var headerLength: Int
    /// For a superbox (`jumb`): its description box.
    var description: JUMBFDescription?
    /// For a superbox: the boxes after its description (content boxes and child superboxes).
    var children: [JUMBFBox] = []

    var payload: Range<Int> { (range.lowerBound + headerLength)..<range.upperBound }
    var isSuperbox: Bool { type == "jumb" }
    var label: String? { description?.label }

    /// Child superboxes (assertions, manifests) in order.
    var superboxes: [JUMBFBox] { children.filter(\.isSuperbox) }
    /// The first content box of a type (e.g. `cbor` under an assertion).
    func content(_ type: String) -> JUMBFBox? { children.first { $0.type == type } }
}

/// A `jumd` description box: content-type UUID, toggles, and the optional fields.
struct JUMBFDescription: Sendable {
    var uuid: [UInt8]
    var toggles: UInt8
    var label: String?
    var id: UInt32?
    var signature: [UInt8]?
    /// A private box (e.g. the `c2sh` salt) inside the description, when bit 4 is set.
    var privateBox: Range<Int>?

    /// The four ASCII characters of a C2PA/JUMBF content-type UUID (`c2pa`, `c2ma`,
    /// `cbor`, …) when the rest of the UUID is the ISO suffix; nil otherwise.
    var fourCC: String? {
        guard uuid.count == 16, Array(uuid[4...]) == JUMBFUUID.isoSuffix else { return nil }
        return String(decoding: uuid[0..<4], as: UTF8.self)
    }
}

enum JUMBFUUID {
    /// `00110010800000AA00389B71`: the suffix ISO 19566-5 gives every four-character type.
    static let isoSuffix: [UInt8] = [0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
    /// Embedded file (thumbnails: `bfdb` description + `bidb` data).
    static let embeddedFile: [UInt8] = [0x40, 0xCB, 0x0C, 0x32, 0xBB, 0x8A, 0x48, 0x9D, 0xA7, 0x0B, 0x2B, 0x0A, 0xD6, 0xF4, 0x7F, 0x43]
}

struct JUMBFError: Error, Sendable, CustomStringConvertible {
    var message: String
    var offset: Int
    var description: String { "JUMBF: \(message) at store byte \(offset)" }
}

/// Parses the box tree with the §9 limits: depth, box count, every box inside its parent.
struct JUMBFParser {
    static let maxDepth = 32
    static let maxBoxes = 200_000

    private let bytes: [UInt8]
    private var boxCount = 0

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// The single top-level superbox that fills `bytes` (trailing bytes are an error).
    static func parseStore(_ bytes: [UInt8]) throws(JUMBFError) -> JUMBFBox {
        var parser = JUMBFParser(bytes: bytes)
        let boxes = try parser.boxes(in: 0..<bytes.count, depth: 0)
        guard let first = boxes.first, first.isSuperbox else {
            throw JUMBFError(message: "the store does not start with a jumb superbox", offset: 0)
        }
        guard boxes.count == 1 else {
            throw JUMBFError(message: "\(boxes.count - 1) box(es) after the store superbox", offset: first.range.upperBound)
        }
        return first
    }

    private mutating func boxes(in parent: Range<Int>, depth: Int) throws(JUMBFError) -> [JUMBFBox] {
        guard depth <= Self.maxDepth else { throw JUMBFError(message: "boxes nested deeper than \(Self.maxDepth)", offset: parent.lowerBound) }
        var out: [JUMBFBox] = []
        var position = parent.lowerBound
        while position < parent.upperBound {
            boxCount += 1
            guard boxCount <= Self.maxBoxes else { throw JUMBFError(message: "more than \(Self.maxBoxes) boxes", offset: position) }
            out.append(try box(at: position, parentEnd: parent.upperBound, depth: depth))
            position = out[out.count - 1].range.upperBound
        }
        return out
    }

    private mutating func box(at start: Int, parentEnd: Int, depth: Int) throws(JUMBFError) -> JUMBFBox {
        guard parentEnd - start >= 8 else {
            throw JUMBFError(message: "\(parentEnd - start) bytes left, too few for a box header", offset: start)
        }
        let lBox = Int(u32(start))
        let type = String(decoding: bytes[(start + 4)..<(start + 8)].map { $0 < 0x20 || $0 > 0x7E ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
        var header = 8
        let size: Int
        switch lBox {
        case 0:
            size = parentEnd - start  // runs to the end of its parent
        case 1:
            guard parentEnd - start >= 16 else { throw JUMBFError(message: "XLBox header cut short", offset: start) }
            let xl = u64(start + 8)
            guard xl >= 16, xl <= UInt64(parentEnd - start) else {
                throw JUMBFError(message: "box '\(type)' XLBox \(xl) overruns its parent (\(parentEnd - start) bytes left)", offset: start)
            }
            size = Int(xl)
            header = 16
        case 2..<8:
            throw JUMBFError(message: "box '\(type)' declares length \(lBox), less than its header", offset: start)
        default:
            guard lBox <= parentEnd - start else {
                throw JUMBFError(message: "box '\(type)' of \(lBox) bytes overruns its parent (\(parentEnd - start) bytes left)", offset: start)
            }
            size = lBox
        }
        var box = JUMBFBox(type: type, range: start..<(start + size), headerLength: header)
        guard type == "jumb" else { return box }
        let inner = try boxes(in: box.payload, depth: depth + 1)
        guard let first = inner.first, first.type == "jumd" else {
            throw JUMBFError(message: "superbox without a jumd description box first", offset: start)
        }
        box.description = try description(first)
        box.children = Array(inner.dropFirst())
        return box
    }

    private func description(_ box: JUMBFBox) throws(JUMBFError) -> JUMBFDescription {
        let payload = box.payload
        guard payload.count >= 17 else { throw JUMBFError(message: "jumd shorter than UUID and toggles", offset: box.range.lowerBound) }
        var position = payload.lowerBound
        var result = JUMBFDescription(uuid: Array(bytes[position..<(position + 16)]), toggles: bytes[position + 16])
        position += 17
        if result.toggles & 0x02 != 0 {
            guard let nul = bytes[position..<payload.upperBound].firstIndex(of: 0) else {
                throw JUMBFError(message: "jumd label without its NUL terminator", offset: position)
            }
            guard let label = String(validating: bytes[position..<nul], as: UTF8.self) else {
                throw JUMBFError(message: "jumd label is not UTF-8", offset: position)
            }
            result.label = label
            position = nul + 1
        }
        if result.toggles & 0x04 != 0 {
            guard payload.upperBound - position >= 4 else { throw JUMBFError(message: "jumd ID cut short", offset: position) }
            result.id = u32(position)
            position += 4
        }
        if result.toggles & 0x08 != 0 {
            guard payload.upperBound - position >= 32 else { throw JUMBFError(message: "jumd signature cut short", offset: position) }
            result.signature = Array(bytes[position..<(position + 32)])
            position += 32
        }
        if result.toggles & 0x10 != 0, position < payload.upperBound {
            // The private box (c2sh salt) is itself a box; its bytes are part of the hashed range.
            result.privateBox = position..<payload.upperBound
        }
        return result
    }

    private func u32(_ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    private func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) << 32 | UInt64(u32(at + 4)) }
}
