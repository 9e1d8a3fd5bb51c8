import ImprintMetadata

/// How much of what a camera writes is present (SYNTHETIC-DETECTION §2). A weak cue:
/// platforms and messengers strip EXIF, and most libraries drop it on re-save.
public struct ExifCompleteness: Sendable, Equatable {
    /// The tags a camera original is expected to carry, in report order.
    public static let expectedTags = ["Make", "Model", "DateTimeOriginal", "CreateDate", "ExposureTime", "FNumber",
                                      "ISO", "FocalLength", "MakerNote", "IFD1 thumbnail"]

    public var present: [String]
    public var missing: [String]

    public var fraction: Double { Double(present.count) / Double(Self.expectedTags.count) }

    public static func assess(_ metadata: MetadataRecord) -> ExifCompleteness {
        let flags: [Bool] = [
            metadata.make != nil, metadata.model != nil, metadata.dateTimeOriginal != nil, metadata.createDate != nil,
            metadata.exposureTime != nil, metadata.fNumber != nil, metadata.iso != nil, metadata.focalLength != nil,
            metadata.makerNotePresent, (metadata.thumbnailBytes ?? 0) > 0,
        ]
        var present: [String] = [], missing: [String] = []
        for (name, flag) in zip(expectedTags, flags) {
            if flag { present.append(name) } else { missing.append(name) }
        }
        return ExifCompleteness(present: present, missing: missing)
    }
}
