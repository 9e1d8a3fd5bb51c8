import ImprintBytes

/// One XMP property value, flattened out of RDF/XML. Identity is by namespace URI, never
/// by prefix (prefixes are arbitrary; `xmp:` and `xap:` can name the same schema).
public struct XMPProperty: Sendable, Equatable {
    /// Namespace URI of the top-level property.
    public var namespace: String
    /// Local name of the top-level property, e.g. `CreatorTool`, `History`.
    public var name: String
    /// Full path as written, e.g. `xmp:CreatorTool`, `xmpMM:History[2]/stEvt:action`.
    public var path: String
    public var value: String
    /// `xml:lang` of a language alternative item, if any.
    public var language: String?

    public var json: JSONValue {
        .object(["namespace": .string(namespace), "path": .string(path), "value": .string(value),
                 "lang": language.map(JSONValue.string)])
    }
}

/// The properties of an XMP packet (main and extended, merged).
public struct XMPPacket: Sendable, Equatable {
    public var properties: [XMPProperty]
    public var errors: [String]

    /// The simple value of a top-level property (an array's first item, an Alt's x-default).
    public func value(_ namespace: String, _ name: String) -> String? {
        let matching = properties.filter { $0.namespace == namespace && $0.name == name }
        if let defaultLanguage = matching.first(where: { $0.language == "x-default" }) { return defaultLanguage.value }
        return matching.first?.value
    }

    /// All item values of an array property (in order).
    public func values(_ namespace: String, _ name: String) -> [String] {
        properties.filter { $0.namespace == namespace && $0.name == name && $0.path.hasSuffix("]") }.map(\.value)
    }

    /// Items of an array of structs, each as field name → value (e.g. xmpMM:History).
    public func structs(_ namespace: String, _ name: String) -> [[String: String]] {
        var items: [Int: [String: String]] = [:]
        for property in properties where property.namespace == namespace && property.name == name {
            guard let open = property.path.firstIndex(of: "["), let close = property.path.firstIndex(of: "]"),
                  let index = Int(property.path[property.path.index(after: open)..<close]) else { continue }
            let rest = property.path[property.path.index(after: close)...]
            guard rest.hasPrefix("/") else { continue }
            let field = rest.dropFirst().split(separator: ":").last.map(String.init) ?? String(rest.dropFirst())
            items[index, default: [:]][field] = property.value
        }
        return items.keys.sorted().compactMap { items[$0] }
    }
}

/// Namespace URIs imprint reads by meaning.
public enum XMPNamespace {
    public static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    public static let xmp = "http://ns.adobe.com/xap/1.0/"
    public static let xmpMM = "http://ns.adobe.com/xap/1.0/mm/"
    public static let xmpNote = "http://ns.adobe.com/xmp/note/"
    public static let dc = "http://purl.org/dc/elements/1.1/"
    public static let dcterms = "http://purl.org/dc/terms/"
    public static let photoshop = "http://ns.adobe.com/photoshop/1.0/"
    public static let iptc4xmpExt = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    public static let iptc4xmpCore = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
    public static let tiff = "http://ns.adobe.com/tiff/1.0/"
    public static let exif = "http://ns.adobe.com/exif/1.0/"
    public static let xml = "http://www.w3.org/XML/1998/namespace"
}
