import ImprintMetadata

enum MetadataRecordFixture {
    /// A record with every tag a camera original is expected to carry.
    static func camera() -> MetadataRecord {
        var record = MetadataRecord()
        record.make = "Canon"
        record.model = "Canon EOS 40D"
        record.dateTimeOriginal = "2008:05:30 15:56:01"
        record.createDate = "2008:05:30 15:56:01"
        record.exposureTime = 1.0 / 160
        record.fNumber = 7.1
        record.iso = 100
        record.focalLength = 135
        record.makerNotePresent = true
        record.thumbnailBytes = 5000
        return record
    }
}
