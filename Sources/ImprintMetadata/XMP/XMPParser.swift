import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses an XMP packet (RDF/XML) into flat properties. Namespace-aware (by URI), external
/// entities never resolved, size bounded by the caller. RDF forms handled: properties as
/// attributes of rdf:Description, simple elements, rdf:resource values, rdf:Bag/Seq/Alt
/// arrays with rdf:li items (and xml:lang), structs as rdf:parseType="Resource" or a
/// nested rdf:Description, nested arrays of structs (e.g. xmpMM:History).
public enum XMPParser {
    public static let maxPacket = 16 << 20
    public static let maxDepth = 64

    public static func parse(_ bytes: [UInt8]) -> XMPPacket {
        guard bytes.count <= maxPacket else {
            return XMPPacket(properties: [], errors: ["XMP packet of \(bytes.count) bytes exceeds the \(maxPacket)-byte limit"])
        }
        // Some writers pad or terminate packets with NULs; XML parsers reject them.
        var trimmed = Array(bytes.prefix { $0 != 0 })
        // FoundationXML traps (a forced unwrap in its element callback) when libxml2 hands it
        // an element or attribute name that is not valid UTF-8, so such bytes never reach
        // it: they become U+FFFD, and the packet is reported as partly read (found by fuzzing).
        var repaired: String?
        if String(validating: trimmed, as: UTF8.self) == nil {
            trimmed = Array(String(decoding: trimmed, as: UTF8.self).utf8)
            repaired = "XMP packet is not valid UTF-8; its invalid bytes were replaced with U+FFFD before parsing"
        }
        let parser = XMLParser(data: Data(trimmed))
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = true
        parser.shouldResolveExternalEntities = false
        let delegate = RDFFlattener()
        parser.delegate = delegate
        if let repaired { delegate.errors.append(repaired) }
        // FoundationXML can return true despite an error, and says nothing of an unclosed
        // root: check its error and the balance of the elements seen.
        let succeeded = parser.parse()
        if !succeeded || parser.parserError != nil {
            let code = (parser.parserError as NSError?)?.code ?? -1
            delegate.errors.append("XMP is not well-formed XML (XML parser error \(code), line \(parser.lineNumber)); properties before the error are kept")
        } else if !delegate.sawElement {
            delegate.errors.append("XMP holds no complete XML element (truncated or not XML)")
        } else if !delegate.isBalanced {
            delegate.errors.append("XMP ends before its elements are closed (truncated); properties before the end are kept")
        }
        return XMPPacket(properties: delegate.properties, errors: delegate.errors)
    }
}

/// Walks RDF/XML events with an explicit stack of frames.
private final class RDFFlattener: NSObject, XMLParserDelegate {
    enum FrameKind {
        case outside        // before rdf:RDF or in unrelated markup
        case rdf            // inside rdf:RDF
        case node           // rdf:Description, or a struct: children are properties
        case property       // a property element: holds text, a resource, an array or a struct
        case array          // rdf:Bag / rdf:Seq / rdf:Alt
        case ignored        // an unsupported construct or beyond the depth limit
    }

    struct Frame {
        var kind: FrameKind
        var path: String            // path of the property this frame stands for ("" at the top)
        var namespace: String       // top-level property namespace
        var name: String            // top-level property local name
        var text = ""
        var hasChildElements = false
        var itemCount = 0
        var language: String?
        var resource: String?
    }

    var properties: [XMPProperty] = []
    var errors: [String] = []
    var isBalanced: Bool { stack.count == 1 }
    private(set) var sawElement = false
    private var stack: [Frame] = [Frame(kind: .outside, path: "", namespace: "", name: "")]
    private var prefixes: [String: [String]] = [:]

    func parser(_ parser: XMLParser, didStartMappingPrefix prefix: String, toURI namespaceURI: String) {
        prefixes[prefix, default: []].append(namespaceURI)
    }

    func parser(_ parser: XMLParser, didEndMappingPrefix prefix: String) {
        _ = prefixes[prefix]?.popLast()
    }

    private func resolve(_ qualified: String) -> (namespace: String, local: String, qualified: String) {
        guard let colon = qualified.firstIndex(of: ":") else { return ("", qualified, qualified) }
        let prefix = String(qualified[..<colon])
        let local = String(qualified[qualified.index(after: colon)...])
        if prefix == "xml" { return (XMPNamespace.xml, local, qualified) }
        return (prefixes[prefix]?.last ?? "", local, qualified)
    }

    private func child(path: String, qualified: String) -> String {
        path.isEmpty ? qualified : path + "/" + qualified
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        sawElement = true
        let namespace = namespaceURI ?? ""
        let qualified = qName ?? elementName
        guard var top = stack.last else { return }
        if stack.count > XMPParser.maxDepth {
            if errors.isEmpty { errors.append("XMP nesting deeper than \(XMPParser.maxDepth) levels; the rest is skipped") }
            stack.append(Frame(kind: .ignored, path: "", namespace: "", name: ""))
            return
        }
        top.hasChildElements = true
        stack[stack.count - 1] = top
        let isRDF = namespace == XMPNamespace.rdf
        let lang = attributes.first { resolve($0.key).namespace == XMPNamespace.xml && resolve($0.key).local == "lang" }?.value

        switch top.kind {
        case .outside:
            stack.append(Frame(kind: isRDF && elementName == "RDF" ? .rdf : .outside, path: "", namespace: "", name: ""))
        case .rdf:
            if isRDF && elementName == "Description" {
                stack.append(Frame(kind: .node, path: "", namespace: "", name: ""))
                addAttributeProperties(attributes, under: top)
            } else {
                stack.append(Frame(kind: .ignored, path: "", namespace: "", name: ""))
            }
        case .node:
            // A property element. At the top level it names the property.
            let topLevel = top.path.isEmpty
            var frame = Frame(kind: .property, path: child(path: top.path, qualified: qualified),
                              namespace: topLevel ? namespace : top.namespace, name: topLevel ? elementName : top.name)
            frame.language = lang
            if let resource = attributes.first(where: { resolve($0.key) == (XMPNamespace.rdf, "resource", $0.key) })?.value {
                frame.resource = resource
            }
            let parseType = attributes.first { let r = resolve($0.key); return r.namespace == XMPNamespace.rdf && r.local == "parseType" }?.value
            if parseType == "Resource" { frame.kind = .node }
            stack.append(frame)
            // Non-rdf attributes on a property element are struct fields (shorthand form);
            // the element is then a struct, not an empty simple value.
            if addAttributeProperties(attributes, under: frame) > 0 { stack[stack.count - 1].hasChildElements = true }
        case .property:
            if isRDF && (elementName == "Bag" || elementName == "Seq" || elementName == "Alt") {
                stack.append(Frame(kind: .array, path: top.path, namespace: top.namespace, name: top.name))
            } else if isRDF && elementName == "Description" {
                let frame = Frame(kind: .node, path: top.path, namespace: top.namespace, name: top.name)
                stack.append(frame)
                addAttributeProperties(attributes, under: frame)
            } else {
                // A struct written without rdf:Description (lenient): treat the value as a node.
                stack[stack.count - 1].kind = .node
                var frame = Frame(kind: .property, path: child(path: top.path, qualified: qualified),
                                  namespace: top.namespace, name: top.name)
                frame.language = lang
                stack.append(frame)
            }
        case .array:
            if isRDF && elementName == "li" {
                stack[stack.count - 1].itemCount += 1
                var frame = Frame(kind: .property, path: top.path + "[\(stack[stack.count - 1].itemCount)]",
                                  namespace: top.namespace, name: top.name)
                frame.language = lang
                if let resource = attributes.first(where: { let r = resolve($0.key); return r.namespace == XMPNamespace.rdf && r.local == "resource" })?.value {
                    frame.resource = resource
                }
                let parseType = attributes.first { let r = resolve($0.key); return r.namespace == XMPNamespace.rdf && r.local == "parseType" }?.value
                if parseType == "Resource" { frame.kind = .node }
                stack.append(frame)
                if addAttributeProperties(attributes, under: frame) > 0 { stack[stack.count - 1].hasChildElements = true }
            } else {
                stack.append(Frame(kind: .ignored, path: "", namespace: "", name: ""))
            }
        case .ignored:
            stack.append(Frame(kind: .ignored, path: "", namespace: "", name: ""))
        }
    }

    /// Attributes other than rdf:* and xml:* are properties (or struct fields) in RDF's
    /// abbreviated form.
    @discardableResult
    private func addAttributeProperties(_ attributes: [String: String], under frame: Frame) -> Int {
        var added = 0
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            let resolved = resolve(key)
            if resolved.namespace == XMPNamespace.rdf || resolved.namespace == XMPNamespace.xml || key.hasPrefix("xmlns") { continue }
            added += 1
            let topLevel = frame.path.isEmpty
            properties.append(XMPProperty(namespace: topLevel ? resolved.namespace : frame.namespace,
                                          name: topLevel ? resolved.local : frame.name,
                                          path: child(path: frame.path, qualified: key), value: value, language: nil))
        }
        return added
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard let frame = stack.popLast() else { return }
        guard frame.kind == .property, !frame.hasChildElements else { return }
        let value = frame.resource ?? frame.text.trimmingCharacters(in: .whitespacesAndNewlines)
        properties.append(XMPProperty(namespace: frame.namespace, name: frame.name, path: frame.path, value: value,
                                      language: frame.language))
    }
}
