import ImprintBytes

/// JUMBF URIs (`self#jumbf=…`): absolute ones name `/c2pa/<manifest>/<path>`, others are
/// relative to the manifest that holds the reference (spec §2).
enum C2PAURI {
    static let prefix = "self#jumbf="

    enum Resolution {
        /// The box, the manifest it lies in, and whether that is the referring manifest.
        case found(JUMBFBox, manifest: String, inReferringManifest: Bool)
        case notFound
        /// Not a `self#jumbf=` URI (e.g. an http URL of a remote assertion).
        case notJUMBF
    }

    /// The URI made absolute against `manifest`, the form c2pa-rs reports statuses with.
    static func absolute(_ url: String, manifest: String) -> String {
        guard url.hasPrefix(prefix) else { return url }
        let path = url.dropFirst(prefix.count)
        if path.hasPrefix("/") { return url }
        return prefix + "/c2pa/" + manifest + "/" + path
    }

    /// The manifest label an absolute URI names (`/c2pa/<label>/…`).
    static func manifestLabel(of url: String) -> String? {
        guard url.hasPrefix(prefix) else { return nil }
        let parts = url.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: true)
        guard url.dropFirst(prefix.count).hasPrefix("/"), parts.count >= 2, parts[0] == "c2pa" else { return nil }
        return String(parts[1])
    }

    static func resolve(_ url: String, in store: C2PAManifestStore, from manifest: C2PAManifestBox) -> Resolution {
        guard url.hasPrefix(prefix) else { return .notJUMBF }
        let path = url.dropFirst(prefix.count)
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var target: C2PAManifestBox
        var rest: ArraySlice<String>
        if path.hasPrefix("/") {
            guard parts.count >= 2, parts[0] == "c2pa", let named = store.manifest(parts[1]) else { return .notFound }
            target = named
            rest = parts.dropFirst(2)
        } else {
            target = manifest
            rest = parts[...]
        }
        var box = target.box
        for component in rest {
            guard let child = box.children.first(where: { $0.isSuperbox && $0.label == component }) else { return .notFound }
            box = child
        }
        return .found(box, manifest: target.label, inReferringManifest: target.label == manifest.label)
    }
}

/// A hashed URI from a claim or an assertion: `{url, hash, ? alg}`.
struct C2PAHashedURI: Sendable, Equatable {
    var url: String
    var hash: [UInt8]
    var alg: String?

    init?(_ item: CBORItem?) {
        guard let item, let url = item["url"]?.text, let hash = item["hash"]?.byteString else { return nil }
        self.url = url
        self.hash = hash
        self.alg = item["alg"]?.text
    }

    init(url: String, hash: [UInt8], alg: String?) {
        self.url = url
        self.hash = hash
        self.alg = alg
    }
}
