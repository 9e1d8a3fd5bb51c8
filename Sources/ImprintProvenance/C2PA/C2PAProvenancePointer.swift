/// XMP `dcterms:provenance` (spec §6, "Pointers"): where the file says its manifest is.
enum C2PAProvenancePointer: Equatable {
    /// `self#jumbf=/c2pa/<label>/…`: a store embedded in this file.
    case embedded(url: String, manifest: String?)
    /// `http(s)://…`: a remote manifest (never fetched).
    case remote(String)
    /// Some other value (kept for the report).
    case other(String)

    init?(_ value: String?) {
        guard let value else { return nil }
        let trimmed = value.trimmingASCIIWhitespace
        guard !trimmed.isEmpty else { return nil }
        let lower = trimmed.lowercased()
        if trimmed.hasPrefix(C2PAURI.prefix) {
            self = .embedded(url: trimmed, manifest: C2PAURI.manifestLabel(of: trimmed))
        } else if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
            self = .remote(trimmed)
        } else {
            self = .other(trimmed)
        }
    }

    var text: String {
        switch self {
        case .embedded(let url, _): return url
        case .remote(let url), .other(let url): return url
        }
    }
}

private extension String {
    var trimmingASCIIWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
