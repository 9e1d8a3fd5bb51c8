import Foundation
import ImprintBytes
import ImprintCase
import ImprintImaging
import ImprintMetadata

/// Checks what the metadata says against itself and against the file: EXIF dimensions
/// against the stream, modification against capture time, a declared editing application,
/// and data appended after the image's logical end. Each is an indicator of processing,
/// not of fabrication: cameras, phones and benign exports produce some of them too.
public struct MetadataConsistencyAnalyzer: Analyzer {
    public let id = "metadata.consistency"
    public let version = "1.0.0"
    public let needsPixels = false

    public init() {}

    public func analyze(_ artifact: Artifact) throws -> [Finding] {
        guard artifact.format.isImage else { return [] }
        let container = artifact.container
        let metadata = artifact.metadata
        var findings: [Finding] = []
        let exifLocation: JSONValue? = container.exifOffset.map { .object(["offset": .integer($0), "element": .string("EXIF")]) }

        if let exifWidth = metadata.exifWidth, let exifHeight = metadata.exifHeight,
           let width = container.width, let height = container.height, exifWidth > 0, exifHeight > 0,
           (exifWidth, exifHeight) != (width, height) {
            let swapped = (exifWidth, exifHeight) == (height, width)
            findings.append(finding(
                "metadata.dimension-mismatch", swapped ? .weak : .moderate,
                swapped ? "EXIF says \(exifWidth) x \(exifHeight) but the image is \(width) x \(height) (the same size rotated)."
                    : "EXIF says \(exifWidth) x \(exifHeight) but the image is \(width) x \(height): the pixels were likely resized or cropped after the EXIF was written.",
                details: .object(["exifWidth": .integer(exifWidth), "exifHeight": .integer(exifHeight),
                                  "width": .integer(width), "height": .integer(height), "swapped": .bool(swapped)]),
                location: exifLocation))
        }

        if let original = metadata.dateTimeOriginal, let modified = metadata.modifyDate, original != modified {
            // Both are local times in the same EXIF format; offsets, when written, are in details.
            let later = modified > original
            findings.append(finding(
                "metadata.modified-after-capture", .weak,
                later ? "Modified \(modified), captured \(original): the file was written again after capture (an edit, or only an export or rotation)."
                    : "Modified \(modified), before its capture time \(original): the times were edited, or the clocks disagreed.",
                details: .object(["dateTimeOriginal": .string(original), "modifyDate": .string(modified),
                                  "modifiedBeforeCapture": .bool(!later),
                                  "offsetTimeOriginal": metadata.offsetTimeOriginal.map(JSONValue.string),
                                  "offsetTime": metadata.offsetTime.map(JSONValue.string)]),
                location: exifLocation))
        }

        var declared: [(field: String, value: String)] = []
        if let software = metadata.software { declared.append(("Software", software)) }
        if let tool = metadata.creatorTool { declared.append(("XMP CreatorTool", tool)) }
        for (index, step) in metadata.history.enumerated() {
            if let agent = step["softwareAgent"] { declared.append(("XMP History[\(index + 1)] softwareAgent", agent)) }
        }
        var seenProducts: Set<String> = []
        for (field, value) in declared {
            guard let rule = EditingSoftware.match(value), seenProducts.insert(rule.product).inserted else { continue }
            let what = ["retouch": "a face or body retouching app", "converter": "a conversion tool",
                        "raw-converter": "a raw converter"][rule.kind] ?? "an image editor"
            findings.append(finding(
                "metadata.editing-software", rule.kind == "retouch" ? .moderate : .weak,
                "\(field) names \(rule.product) (\(what)): the file passed through it. That says nothing about what was changed.",
                details: .object(["field": .string(field), "value": .string(value), "product": .string(rule.product),
                                  "kind": .string(rule.kind)]),
                location: field.hasPrefix("XMP") ? container.xmpOffset.map { .object(["offset": .integer($0), "element": .string("XMP")]) } : exifLocation))
        }

        if let offset = container.trailingDataOffset, container.trailingDataLength > 0 {
            let trailer = Array(artifact.bytes[offset..<min(artifact.bytes.count, offset + container.trailingDataLength)])
            let (kind, benign) = Self.identifyTrailer(trailer)
            let end = artifact.format == .png ? "IEND" : artifact.format == .jpeg ? "EOI" : "the end of the image"
            findings.append(finding(
                "metadata.trailing-data", benign ? .weak : .moderate,
                "\(container.trailingDataLength) bytes follow \(end) at offset \(offset) (\(kind)). Data after an image's end is invisible to viewers.",
                details: .object(["offset": .integer(offset), "length": .integer(container.trailingDataLength),
                                  "identifiedAs": .string(kind), "firstBytes": .string(Hex.encode(trailer.prefix(16)))]),
                location: .object(["offset": .integer(offset), "length": .integer(container.trailingDataLength),
                                   "element": .string("after \(end)")])))
        }
        return findings
    }

    /// What appended data is, from its first bytes (phones append some of these routinely).
    static func identifyTrailer(_ bytes: [UInt8]) -> (kind: String, benign: Bool) {
        func has(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + magic.count && Array(bytes[offset..<(offset + magic.count)]) == magic
        }
        if bytes.allSatisfy({ $0 == 0 }) { return ("zero padding", true) }
        if has([0xFF, 0xD8, 0xFF]) { return ("another JPEG image (preview or multi-picture)", true) }
        if has(Array("ftyp".utf8), at: 4) { return ("an MP4/QuickTime video (motion photo)", true) }
        if bytes.count >= 8, let marker = String(bytes: bytes.suffix(8).prefix(4), encoding: .ascii), marker == "SEFT" {
            return ("Samsung trailer (SEFT)", true)
        }
        if has([0x50, 0x4B, 0x03, 0x04]) { return ("a ZIP archive", false) }
        if has([0x52, 0x61, 0x72, 0x21]) { return ("a RAR archive", false) }
        if has([0x37, 0x7A, 0xBC, 0xAF]) { return ("a 7-Zip archive", false) }
        if has([0x25, 0x50, 0x44, 0x46]) { return ("a PDF document", false) }
        if has([0x89, 0x50, 0x4E, 0x47]) { return ("a PNG image", false) }
        return ("unidentified data", false)
    }

    private func finding(_ label: String, _ strength: Finding.Strength, _ summary: String, details: JSONValue,
                         location: JSONValue?) -> Finding {
        Finding(analyzer: id, analyzerVersion: version, category: .metadata, label: label, strength: strength,
                summary: summary, details: details, location: location)
    }
}
