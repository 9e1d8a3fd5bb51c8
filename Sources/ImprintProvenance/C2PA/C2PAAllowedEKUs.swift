/// The extended key usages a claim signer may carry (spec §5), from the C2PA list or
/// from a c2pa-rs style config file: one dotted OID per line, `//` comment lines.
public struct C2PAAllowedEKUs: Sendable, Equatable {
    public static let emailProtection = "1.3.6.1.5.5.7.3.4"
    public static let documentSigning = "1.3.6.1.5.5.7.3.36"
    public static let microsoftC2PA = "1.3.6.1.4.1.311.76.59.1.9"
    public static let c2paClaimSigning = "1.3.6.1.4.1.62558.2.1"
    public static let timeStamping = "1.3.6.1.5.5.7.3.8"
    public static let ocspSigning = "1.3.6.1.5.5.7.3.9"
    public static let anyExtendedKeyUsage = "2.5.29.37.0"

    public var oids: [String]

    public init(oids: [String]) { self.oids = oids }

    /// The signer EKUs C2PA's certificate profile names.
    public static let `default` = C2PAAllowedEKUs(oids: [emailProtection, documentSigning, microsoftC2PA, c2paClaimSigning])

    /// Parses the config format; lines that are neither comments nor dotted OIDs are
    /// returned as errors rather than silently dropped.
    public init(config: String) throws(ConfigError) {
        var oids: [String] = []
        for (number, raw) in config.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("//") || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ".")
            guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else {
                throw ConfigError(line: number + 1, text: String(line))
            }
            if !oids.contains(String(line)) { oids.append(String(line)) }
        }
        self.oids = oids
    }

    public struct ConfigError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var text: String
        public var description: String { "allowed EKU list, line \(line): '\(text)' is not a dotted OID" }
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return s
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
