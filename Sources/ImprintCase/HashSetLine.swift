import ImprintBytes

/// The layout a hash list is read as (docs/specs/HASH-SETS.md §2–§6): text lists, NIST
/// NSRL RDSv3 (SQLite) and Project VIC VICS (OData JSON).
public enum HashSetFormat: String, Sendable, CaseIterable {
    case auto, md5, sha1, sha256, pdq, nsrl, vics

    /// The set kind a format implies when `--kind` is not given: NSRL lists known
    /// software files; every other list is taken as notable.
    public var defaultKind: HashSetKind { self == .nsrl ? .known : .notable }
}

/// What a match against a set means (HASH-SETS.md §1, §10).
public enum HashSetKind: String, Sendable, CaseIterable {
    /// Known files (e.g. NSRL): a match lowers priority, never clears a file.
    case known
    /// Files of interest (e.g. a VICS category list, a StopNCII/NCII list).
    case notable
    /// Neither: a reference list kept for comparison.
    case reference
}

/// One entry read from a hash list: the algorithm, the binary value, and for PDQ the quality.
public struct HashSetEntry: Sendable, Equatable {
    public var algorithm: String
    public var value: [UInt8]
    public var quality: Int?
    public var meta: String?
    /// A VICS entry's raw `Category` (text), or nil.
    public var category: String? = nil

    public init(algorithm: String, value: [UInt8], quality: Int? = nil, meta: String? = nil, category: String? = nil) {
        self.algorithm = algorithm
        self.value = value
        self.quality = quality
        self.meta = meta
        self.category = category
    }
}

/// What one line of a hash list holds.
public enum HashSetLine: Sendable, Equatable {
    case skip
    case entry(HashSetEntry)
    case invalid(String)

    /// Longest line considered; longer lines are reported invalid, never parsed.
    public static let maxLineBytes = 16 * 1024

    /// Parses one line (without its line terminator; a trailing CR is tolerated).
    public static func parse(_ raw: String, format: HashSetFormat) -> HashSetLine {
        let line = raw.trimmingWhitespace()
        if line.isEmpty || line.hasPrefix("#") { return .skip }
        if line.utf8.count > maxLineBytes { return .invalid("line too long") }
        switch format {
        case .pdq:
            return parsePDQ(line)
        case .nsrl, .vics:
            return .invalid("\(format.rawValue) is not a line format")
        case .md5, .sha1, .sha256, .auto:
            // Bare `<hex>` or GNU `<hex>␠␠<name>` / `<hex>␠*<name>`.
            let hexEnd = line.firstIndex { $0 == " " || $0 == "\t" } ?? line.endIndex
            let hex = String(line[..<hexEnd])
            var rest = line[hexEnd...].trimmingWhitespace()
            if rest.hasPrefix("*") { rest.removeFirst() }
            guard let value = Hex.decode(hex), !value.isEmpty else { return .invalid("not hex") }
            let algorithm: String
            switch (format, value.count) {
            case (.md5, 16), (.auto, 16): algorithm = "md5"
            case (.sha1, 20), (.auto, 20): algorithm = "sha1"
            case (.sha256, 32): algorithm = "sha256"
            case (.auto, 32): return .invalid("64 hex characters are ambiguous (sha256 or pdq); use --format sha256|pdq")
            default: return .invalid("wrong length (\(hex.count) hex characters) for \(format.rawValue)")
            }
            return .entry(HashSetEntry(algorithm: algorithm, value: value, quality: nil,
                                       meta: rest.isEmpty ? nil : rest))
        }
    }

    /// PDQ: `hash=…,quality=…,k=v…` or positional `hash[,quality][,meta]` (spec §4).
    static func parsePDQ(_ line: String) -> HashSetLine {
        let fields = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
            .map { $0.trimmingWhitespace() }
        var hex = fields[0]
        var quality: Int?
        var meta: String?
        if hex.hasPrefix("hash=") {
            hex.removeFirst(5)
            var rest: [String] = []
            for pair in line.split(separator: ",").dropFirst() {
                let kv = pair.trimmingWhitespace()
                if kv.hasPrefix("quality=") {
                    guard let q = Int(kv.dropFirst(8)), (0...100).contains(q) else { return .invalid("bad quality") }
                    quality = q
                } else {
                    rest.append(kv)
                }
            }
            meta = rest.isEmpty ? nil : rest.joined(separator: ",")
        } else {
            var remaining = Array(fields.dropFirst())
            if let first = remaining.first, let q = Int(first), (0...100).contains(q), first.allSatisfy(\.isASCII) {
                quality = q
                remaining.removeFirst()
            }
            let joined = remaining.joined(separator: ",")
            meta = joined.isEmpty ? nil : joined
        }
        guard hex.utf8.count == 64, let value = Hex.decode(hex) else { return .invalid("not a 64-hex PDQ hash") }
        return .entry(HashSetEntry(algorithm: "pdq", value: value, quality: quality, meta: meta))
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" || $0 == "\u{FEFF}" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
