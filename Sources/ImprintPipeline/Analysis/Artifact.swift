import ImprintBytes
import ImprintImaging

/// One file's bytes and everything derived from them, shared by all analyzers of that
/// file: read once, sniffed once, (from the imaging layer on) parsed and decoded once.
/// An artifact lives inside one analysis task and is never shared across tasks.
public final class Artifact {
    /// Path relative to the evidence root (or as given to `imprint analyze`).
    public let path: [UInt8]
    /// The final path component.
    public let name: [UInt8]
    public let bytes: [UInt8]
    public let format: ImageFormat

    public init(path: [UInt8], name: [UInt8], bytes: [UInt8], format: ImageFormat) {
        self.path = path
        self.name = name
        self.bytes = bytes
        self.format = format
    }

    /// The lowercase extension of the file name without the dot, or nil.
    public var fileExtension: String? {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > name.startIndex, dot < name.index(before: name.endIndex) else {
            return nil
        }
        return String(decoding: name[(dot + 1)...], as: UTF8.self).lowercased()
    }
}
