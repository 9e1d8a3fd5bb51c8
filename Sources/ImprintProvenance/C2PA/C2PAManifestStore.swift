import Foundation

/// The manifests of a store, with each manifest's assertion store, claim and signature
/// boxes located (spec §3). Nothing is decoded here beyond the JUMBF structure.
struct C2PAManifestBox: Sendable {
    var label: String
    /// `c2ma`, `c2md`, `c2um` or `c2cm`.
    var kind: String
    var box: JUMBFBox
    var assertionStore: JUMBFBox?
    var claims: [JUMBFBox] = []
    var signatures: [JUMBFBox] = []

    var isUpdate: Bool { kind == "c2um" }
    var isCompressed: Bool { kind == "c2cm" }

    /// The assertion superboxes, in store order.
    var assertions: [JUMBFBox] { assertionStore?.superboxes ?? [] }
}

struct C2PAManifestStore: Sendable {
    static let maxManifests = 1_000
    static let maxAssertions = 10_000

    var root: JUMBFBox
    var manifests: [C2PAManifestBox]
    /// Structural findings (unknown boxes, limits) reported against the store.
    var problems: [C2PAStatus] = []

    /// The last manifest is the active one (C2PA §11.1).
    var active: C2PAManifestBox? { manifests.last }

    func manifest(_ label: String) -> C2PAManifestBox? { manifests.first { $0.label == label } }

    static func read(_ bytes: [UInt8]) throws(JUMBFError) -> C2PAManifestStore {
        let root = try JUMBFParser.parseStore(bytes)
        guard root.description?.fourCC == "c2pa" else {
            throw JUMBFError(message: "the top-level box is not a C2PA store (description UUID is not c2pa)", offset: 0)
        }
        if root.label != "c2pa" {
            throw JUMBFError(message: "the store's label is \(root.label.map { "'\($0)'" } ?? "missing"), not 'c2pa'", offset: 0)
        }
        var store = C2PAManifestStore(root: root, manifests: [])
        var seen: Set<String> = []
        for child in root.children {
            guard child.isSuperbox, let kind = child.description?.fourCC, ["c2ma", "c2md", "c2um", "c2cm"].contains(kind) else {
                store.problems.append(C2PAStatus(C2PACode.storeCorrupt, .informational, explanation:
                    "a '\(child.type)' box\(child.label.map { " labelled '\($0)'" } ?? "") in the store is not a manifest; ignored"))
                continue
            }
            guard store.manifests.count < maxManifests else {
                store.problems.append(C2PAStatus(C2PACode.limitExceeded, explanation: "more than \(maxManifests) manifests; the rest ignored"))
                break
            }
            guard let label = child.label, !label.isEmpty else {
                throw JUMBFError(message: "a manifest without a label", offset: child.range.lowerBound)
            }
            guard seen.insert(label).inserted else {
                throw JUMBFError(message: "two manifests labelled '\(label)'", offset: child.range.lowerBound)
            }
            store.manifests.append(manifest(child, label: label, kind: kind))
        }
        return store
    }

    private static func manifest(_ box: JUMBFBox, label: String, kind: String) -> C2PAManifestBox {
        var manifest = C2PAManifestBox(label: label, kind: kind, box: box)
        for child in box.superboxes {
            switch child.description?.fourCC {
            case "c2as": if manifest.assertionStore == nil { manifest.assertionStore = child }
            case "c2cl": manifest.claims.append(child)
            case "c2cs": manifest.signatures.append(child)
            default: break  // credentials (c2vc), databoxes (c2db): not needed for validation
            }
        }
        return manifest
    }
}

/// Labels: instance suffixes (`__2`) and version suffixes (`.v2`) are dropped before
/// matching an assertion's type (spec §2).
enum C2PALabel {
    static func base(_ label: String) -> String {
        var label = Substring(label)
        if let range = label.range(of: "__", options: .backwards),
           !label[range.upperBound...].isEmpty, label[range.upperBound...].allSatisfy(\.isNumber) {
            label = label[..<range.lowerBound]
        }
        if let dot = label.range(of: ".v", options: .backwards),
           !label[dot.upperBound...].isEmpty, label[dot.upperBound...].allSatisfy(\.isNumber) {
            label = label[..<dot.lowerBound]
        }
        return String(label)
    }

    /// The `.vN` version of a label, 1 when absent.
    static func version(_ label: String) -> Int {
        var label = Substring(label)
        if let range = label.range(of: "__", options: .backwards) { label = label[..<range.lowerBound] }
        if let dot = label.range(of: ".v", options: .backwards), let n = Int(label[dot.upperBound...]) { return n }
        return 1
    }
}
