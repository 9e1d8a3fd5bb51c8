import ImprintBytes
import ImprintCase
import ImprintImaging

/// Compares what a file's name claims with what its magic bytes say. Images renamed to
/// look like something else (or the reverse) are a classic way to hide material from a
/// casual look, and a forensic inventory must not trust extensions.
public struct ExtensionMismatchAnalyzer: Analyzer {
    public let id = "integrity.extension"
    public let version = "1.0.0"
    public let needsPixels = false

    public init() {}

    /// Every extension that conventionally names one of the sniffed image formats.
    static let imageExtensions: [String: Set<ImageFormat>] = {
        var table: [String: Set<ImageFormat>] = [:]
        for format in ImageFormat.allCases {
            for ext in format.conventionalExtensions { table[ext, default: []].insert(format) }
        }
        return table
    }()

    public func analyze(_ artifact: Artifact) throws -> [Finding] {
        let format = artifact.format
        if format == .empty { return [] }
        let ext = artifact.fileExtension
        let claimed = ext.flatMap { Self.imageExtensions[$0] }
        let location: JSONValue = .object(["offset": .int(0), "length": .integer(min(artifact.bytes.count, 16)),
                                           "element": .string("magic bytes")])
        let details: (String) -> JSONValue = { relation in
            .object(["extension": ext.map(JSONValue.string) ?? .null,
                     "formatsForExtension": .array((claimed ?? []).map(\.rawValue).sorted().map(JSONValue.string)),
                     "sniffedFormat": .string(format.rawValue),
                     "relation": .string(relation)])
        }
        let shownExtension = ext.map { ".\($0)" } ?? "no extension"
        switch (claimed, format.isImage) {
        case (let claimed?, true) where !claimed.contains(format):
            return [finding(.moderate, "The name says \(shownExtension) but the content is \(format.rawValue.uppercased()) (magic bytes at offset 0).",
                            details("image-as-other-image"), location)]
        case (nil, true):
            return [finding(.moderate, "The content is a \(format.rawValue.uppercased()) image but the name has \(shownExtension); images under non-image names are a way of hiding them.",
                            details("image-under-non-image-name"), location)]
        case (.some, false):
            return [finding(.weak, "The name says \(shownExtension) but the content is not an image format imprint recognises (damaged, or something else renamed).",
                            details("non-image-under-image-name"), location)]
        default:
            return []
        }
    }

    private func finding(_ strength: Finding.Strength, _ summary: String, _ details: JSONValue, _ location: JSONValue) -> Finding {
        Finding(analyzer: id, analyzerVersion: version, category: .integrity, label: "integrity.extension-mismatch",
                strength: strength, summary: summary, details: details, location: location)
    }
}
