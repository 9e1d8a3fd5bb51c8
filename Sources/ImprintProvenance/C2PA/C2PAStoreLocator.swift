import ImprintBytes
import ImprintImaging

/// One unit of the file that carries (part of) the manifest store: a JPEG APP11 segment
/// from its FF marker, a PNG chunk with length and CRC, a RIFF chunk, a BMFF box, a TIFF
/// tag value, a GIF extension. These are what a `c2pa.hash.data` exclusion should cover.
public struct C2PACarrier: Sendable, Equatable {
    public var element: String
    public var offset: Int
    public var length: Int

    public init(element: String, offset: Int, length: Int) {
        self.element = element
        self.offset = offset
        self.length = length
    }

    var range: Range<Int> { offset..<(offset + length) }
}

/// The manifest store as found in the file: its bytes (reassembled when the container
/// splits it), where it came from, and what went wrong finding it.
struct LocatedStore: Sendable {
    var store: [UInt8]
    /// File offset of the store's first byte (the first packet's box start for JPEG).
    var storeOffset: Int
    var carriers: [C2PACarrier]
    var container: String
    var statuses: [C2PAStatus] = []
}

/// Finds the C2PA store in each container kind (spec §1). JPEG APP11 packets are
/// reassembled here, not taken from `ParsedContainer.jumbf`, because the spec's rules are
/// normative (group by En, sort by Z, no gaps, XLBox continuation headers) and the
/// per-packet exclusion ranges are needed for the hard binding.
enum C2PAStoreLocator {
    static let maxStoreSize = 64 << 20

    static func locate(bytes: [UInt8], container: ParsedContainer) -> LocatedStore? {
        switch container.format {
        case .jpeg: return jpeg(bytes, container)
        case .png: return single(bytes, container, name: "PNG", where: { $0.name == "caBX" })
        case .webp: return single(bytes, container, name: "RIFF", where: { $0.name == "C2PA" })
        case .gif: return gif(bytes, container)
        case .heif, .avif, .tiff: return fromContainerJUMBF(bytes, container)
        case .bmp, .other, .empty: return nil
        }
    }

    // MARK: JPEG

    private struct Packet {
        var element: ContainerElement
        var instance: Int
        var sequence: UInt32
        var content: Range<Int>
    }

    private static func jpeg(_ bytes: [UInt8], _ container: ParsedContainer) -> LocatedStore? {
        var packets: [Packet] = []
        for element in container.elements where element.name == "APP11" {
            let start = element.payloadOffset
            let end = start + element.payloadLength
            // Header: CI "JP", En u16, Z u32, then the box header (LBox, TBox[, XLBox]).
            guard start >= 0, end <= bytes.count, end - start >= 16,
                  bytes[start] == 0x4A, bytes[start + 1] == 0x50 else { continue }
            let instance = Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])
            let sequence = be32(bytes, start + 4)
            packets.append(Packet(element: element, instance: instance, sequence: sequence, content: start..<end))
        }
        // A store is a group whose first packet's box is a jumb described as `c2pa`.
        var storeInstances: [Int] = []
        for packet in packets where isC2PAFirstPacket(bytes, packet.content) && !storeInstances.contains(packet.instance) {
            storeInstances.append(packet.instance)
        }
        guard let instance = storeInstances.first else { return nil }
        var group = packets.filter { $0.instance == instance }
        group.sort { $0.sequence < $1.sequence }
        var located = LocatedStore(store: [], storeOffset: group[0].content.lowerBound + 8,
                                   carriers: group.map { C2PACarrier(element: "APP11", offset: $0.element.offset, length: $0.element.length) },
                                   container: "JPEG APP11")
        if storeInstances.count > 1 {
            located.statuses.append(C2PAStatus(C2PACode.multipleStores, explanation:
                "\(storeInstances.count) APP11 box instances carry a store labelled c2pa (En \(storeInstances.map(String.init).joined(separator: ", "))); the first is read"))
        }
        var problems: [String] = []
        if group[0].sequence != 1 { problems.append("the first packet has Z=\(group[0].sequence), not 1") }
        for (previous, next) in zip(group, group.dropFirst()) {
            if next.sequence == previous.sequence { problems.append("packet Z=\(next.sequence) repeated") }
            else if next.sequence != previous.sequence + 1 { problems.append("packets \(previous.sequence + 1)…\(next.sequence - 1) missing") }
        }
        let first = group[0].content
        let lBox = be32(bytes, first.lowerBound + 8)
        let usesXLBox = lBox == 1
        var declared = UInt64(lBox)
        if usesXLBox {
            guard first.count >= 24 else {
                located.statuses.append(C2PAStatus(C2PACode.storeCorrupt, explanation: "first APP11 packet too short for its XLBox"))
                return located
            }
            declared = UInt64(be32(bytes, first.lowerBound + 16)) << 32 | UInt64(be32(bytes, first.lowerBound + 20))
        }
        var store: [UInt8] = []
        let continuationHeader = usesXLBox ? 24 : 16
        for (index, packet) in group.enumerated() {
            let from = index == 0 ? packet.content.lowerBound + 8 : packet.content.lowerBound + continuationHeader
            guard from <= packet.content.upperBound else {
                problems.append("packet Z=\(packet.sequence) shorter than its repeated box header")
                continue
            }
            guard store.count + (packet.content.upperBound - from) <= maxStoreSize else {
                problems.append("store larger than \(maxStoreSize) bytes")
                break
            }
            store += bytes[from..<packet.content.upperBound]
        }
        if declared != 0 && declared != UInt64(store.count) {
            problems.append("the box declares \(declared) bytes, its \(group.count) packet(s) hold \(store.count)")
        }
        if !problems.isEmpty {
            located.statuses.append(C2PAStatus(C2PACode.storeCorrupt, explanation: "APP11 reassembly: " + problems.joined(separator: "; ")))
        }
        located.store = store
        return located
    }

    /// Spec §1.1 detection: the description UUID of the first packet's box starts `c2pa`
    /// (at content 24, or 32 when the box uses an XLBox).
    private static func isC2PAFirstPacket(_ bytes: [UInt8], _ content: Range<Int>) -> Bool {
        let c2pa: [UInt8] = Array("c2pa".utf8)
        let at = be32(bytes, content.lowerBound + 8) == 1 ? 32 : 24
        guard content.count >= at + 4 else { return false }
        return Array(bytes[(content.lowerBound + at)..<(content.lowerBound + at + 4)]) == c2pa
    }

    // MARK: PNG, RIFF

    private static func single(_ bytes: [UInt8], _ container: ParsedContainer, name: String,
                               where match: (ContainerElement) -> Bool) -> LocatedStore? {
        let found = container.elements.filter(match)
        guard let first = found.first else { return nil }
        let payload = first.payloadOffset..<(first.payloadOffset + first.payloadLength)
        guard payload.lowerBound >= 0, payload.upperBound <= bytes.count else { return nil }
        var located = LocatedStore(store: Array(bytes[payload]), storeOffset: payload.lowerBound,
                                   carriers: [C2PACarrier(element: first.name, offset: first.offset, length: first.length)],
                                   container: "\(name) \(first.name)")
        if found.count > 1 {
            located.statuses.append(C2PAStatus(C2PACode.multipleStores, explanation:
                "\(found.count) \(first.name) chunks (at \(found.map { String($0.offset) }.joined(separator: ", "))); only one is allowed, the first is read"))
        }
        return located
    }

    // MARK: GIF

    /// `C2PA_GIF` application extension (auth code 01 00 00): the store runs through its
    /// data sub-blocks.
    private static func gif(_ bytes: [UInt8], _ container: ParsedContainer) -> LocatedStore? {
        let identifier = Array("C2PA_GIF".utf8)
        for element in container.elements where element.name == "ApplicationExtension" {
            let start = element.payloadOffset
            let end = element.offset + element.length
            guard start >= 0, end <= bytes.count, end - start >= 12, bytes[start] == 11,
                  Array(bytes[(start + 1)..<(start + 9)]) == identifier else { continue }
            var store: [UInt8] = []
            var position = start + 12
            while position < end, bytes[position] != 0 {
                let size = Int(bytes[position])
                guard position + 1 + size <= end else { break }
                store += bytes[(position + 1)..<(position + 1 + size)]
                position += 1 + size
            }
            return LocatedStore(store: store, storeOffset: start + 12,
                                carriers: [C2PACarrier(element: element.name, offset: element.offset, length: element.length)],
                                container: "GIF C2PA_GIF")
        }
        return nil
    }

    // MARK: BMFF, TIFF

    /// HEIF/AVIF `uuid` box and TIFF tag 0xCD41: the container parser already isolates the
    /// store (after the BMFF purpose header; the tag's value); the carrier is its element.
    private static func fromContainerJUMBF(_ bytes: [UInt8], _ container: ParsedContainer) -> LocatedStore? {
        guard let store = container.jumbf, let offset = container.jumbfOffset else { return nil }
        let carrier = container.elements.first { $0.identifiedAs == "JUMBF" && $0.offset <= offset && offset < $0.offset + $0.length }
        let kind = container.format == .tiff ? "TIFF tag 0xCD41" : "BMFF C2PA uuid box"
        return LocatedStore(store: store, storeOffset: offset,
                            carriers: carrier.map { [C2PACarrier(element: $0.name, offset: $0.offset, length: $0.length)] } ?? [],
                            container: kind)
    }

    private static func be32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
}
