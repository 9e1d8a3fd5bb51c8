import ImprintBytes
import ImprintImaging
import ImprintMetadata

/// Every carrier of one file that the generator rules read, gathered once from the parsed
/// container and the metadata record (nothing is re-read from a fixed window of bytes).
public struct GeneratorScanInput: Sendable {
    let items: [GeneratorFingerprints.Item]

    /// Namespaces whose properties are read as one JSON object (layout not yet confirmed).
    static let groupedNamespaces = [GeneratorNamespaces.aigc]

    public init(bytes: [UInt8], container: ParsedContainer, metadata: MetadataRecord) {
        typealias Item = GeneratorFingerprints.Item
        var items: [Item] = []

        // PNG text chunks, duplicates kept in file order.
        for chunk in container.pngText {
            var item = Item(key: .text(chunk.keyword), text: chunk.text, carrier: "PNG \(chunk.chunk) \"\(chunk.keyword)\"",
                            element: chunk.chunk, offset: chunk.offset)
            if !chunk.isComplete { item.decoding = .object(["complete": .bool(false)]) }
            items.append(item)
        }

        // EXIF (JPEG APP1, PNG eXIf, WebP EXIF, …), by a raw walk for offsets and byte order.
        if let block = container.exif, let contents = ExifTagReader.read(block, baseOffset: container.exifOffset ?? 0) {
            for entry in contents.entries {
                let name = ExifTagReader.names[entry.tag] ?? ExifTagReader.hex4(entry.tag)
                let carrier = "EXIF \(entry.directory.rawValue) \(name) (0x\(ExifTagReader.hex4(entry.tag)))"
                switch entry.type {
                case 2:
                    let text = TextDecodingLite.utf8OrLatin1(entry.value.prefix { $0 != 0 })
                    items.append(Item(key: .exif(entry.directory, entry.tag), text: text, carrier: carrier,
                                      element: "EXIF", offset: entry.offset))
                case 7 where entry.tag == 0x9286:
                    let decoded = UserCommentText.decode(entry.value, tiffLittleEndian: contents.littleEndian)
                    items.append(Item(key: .exif(entry.directory, entry.tag), text: decoded.text, carrier: carrier,
                                      element: "EXIF", offset: entry.offset, decoding: decoded.json))
                case 7 where entry.tag == 0x927C:
                    // Fooocus writes its metadata scheme as text into MakerNote.
                    var raw = Array(entry.value)
                    while raw.last == 0 { raw.removeLast() }
                    guard raw.count <= 256, raw.allSatisfy({ (0x20...0x7E).contains($0) }) else { continue }
                    items.append(Item(key: .exif(entry.directory, entry.tag), text: String(decoding: raw, as: UTF8.self),
                                      carrier: carrier, element: "EXIF", offset: entry.offset))
                default:
                    continue
                }
            }
        }

        // XMP, by namespace URI (from the metadata layer's namespace-aware parse).
        var grouped: [String: [JSONValue.Member]] = [:]
        for tag in metadata.raw where tag.group == "XMP" {
            guard let namespace = tag.detail?["namespace"]?.stringValue, let value = tag.value.stringValue else { continue }
            let (name, field) = Self.xmpNames(tag.name)
            if Self.groupedNamespaces.contains(namespace) {
                if !(grouped[namespace] ?? []).contains(where: { $0.key == name }) {
                    grouped[namespace, default: []].append(.init(name, .string(value)))
                }
            }
            items.append(Item(key: .xmp(namespace: namespace, name: name, field: field), text: value,
                              carrier: "XMP \(tag.name)", element: "XMP", offset: container.xmpOffset))
        }
        for namespace in Self.groupedNamespaces {
            guard let members = grouped[namespace] else { continue }
            items.append(Item(key: .xmpNamespace(namespace), text: JSONValue.object(members).serialized(),
                              carrier: "XMP namespace \(namespace)", element: "XMP", offset: container.xmpOffset))
        }

        // IPTC-IIM datasets.
        for dataset in metadata.iptc {
            items.append(Item(key: .iptc(record: dataset.record, dataset: dataset.dataset), text: dataset.value,
                              carrier: "IPTC \(dataset.record):\(dataset.dataset) \(dataset.name)", element: "IPTC",
                              offset: dataset.offset))
        }

        // JPEG COM segments and GIF comment extensions.
        let commentCarrier = container.format == .gif ? "GIF comment extension" : container.format == .jpeg ? "JPEG COM" : "comment"
        for comment in container.comments {
            items.append(Item(key: .comment, text: comment.text, carrier: commentCarrier, element: "COM", offset: comment.offset))
        }

        // Raw segments and chunks some rules read as bytes (DeepFaceLab).
        for element in container.elements where element.name == "APP15" || element.name == "fcWp" {
            let start = element.payloadOffset
            guard start >= 0, element.payloadLength >= 0, start <= bytes.count,
                  element.payloadLength <= bytes.count - start else { continue }
            let raw = Array(bytes[start..<(start + element.payloadLength)])
            let key: GeneratorFingerprints.Key = element.name == "APP15" ? .segment("APP15") : .chunk("fcWp")
            let carrier = element.name == "APP15" ? "JPEG APP15 segment" : "PNG fcWp chunk"
            items.append(Item(key: key, text: nil, raw: raw, carrier: carrier, element: element.name, offset: element.offset))
        }
        self.items = items
    }

    init(items: [GeneratorFingerprints.Item]) { self.items = items }

    /// `Iptc4xmpExt:DigitalSourceType` → (`DigitalSourceType`, nil);
    /// `xmpMM:History[2]/stEvt:softwareAgent` → (`History`, `softwareAgent`).
    static func xmpNames(_ path: String) -> (name: String, field: String?) {
        let head = path.prefix { $0 != "[" && $0 != "/" }
        let name = head.split(separator: ":").last.map(String.init) ?? String(head)
        guard head.count < path.count, let slash = path.lastIndex(of: "/") else { return (name, nil) }
        let tail = path[path.index(after: slash)...]
        let field = tail.split(separator: ":").last.map(String.init) ?? String(tail)
        return (name, field.isEmpty ? nil : field)
    }
}

/// XMP namespace URIs the generator rules read (identity is the URI, never the prefix).
public enum GeneratorNamespaces {
    public static let iptc4xmpExt = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    public static let photoshop = "http://ns.adobe.com/photoshop/1.0/"
    public static let xmp = "http://ns.adobe.com/xap/1.0/"
    public static let xmpMM = "http://ns.adobe.com/xap/1.0/mm/"
    public static let dc = "http://purl.org/dc/elements/1.1/"
    public static let exif = "http://ns.adobe.com/exif/1.0/"
    public static let tiff = "http://ns.adobe.com/tiff/1.0/"
    /// GB 45438-2025 implicit label namespace (third-party sources; property layout unconfirmed).
    public static let aigc = "http://www.tc260.org.cn/ns/AIGC/1.0/"
}

extension ExifTagReader {
    /// Four uppercase hex digits.
    static func hex4(_ value: UInt16) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
