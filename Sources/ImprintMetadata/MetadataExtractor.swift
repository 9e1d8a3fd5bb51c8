import ImprintBytes
import ImprintImaging

/// Builds the normalised `MetadataRecord` from a parsed container: EXIF (libexif), XMP
/// (main and extended), IPTC-IIM, ICC, PNG text and JPEG comments.
public enum MetadataExtractor {
    public static func extract(_ container: ParsedContainer) -> (record: MetadataRecord, exif: ExifContents?) {
        var record = MetadataRecord()
        var exif: ExifContents?
        if let block = container.exif {
            exif = ExifReader.read(block)
            if let exif, !exif.tags.isEmpty {
                apply(exif, to: &record)
            } else {
                record.issues.append("EXIF block of \(block.count) bytes present but no tag could be read from it")
            }
            if block.count > ExifReader.maxBlock {
                record.issues.append("EXIF block of \(block.count) bytes: tags beyond the first \(ExifReader.maxBlock) bytes are not read")
            }
        }
        if let main = container.xmp {
            var packet = XMPParser.parse(main)
            if let extended = container.extendedXMP {
                let more = XMPParser.parse(extended)
                packet.properties += more.properties
                packet.errors += more.errors
            }
            apply(packet, to: &record)
        }
        if let iptc = container.iptc {
            let (datasets, issues) = IPTCReader.read(iptc, baseOffset: container.iptcOffset ?? 0)
            record.iptc = datasets
            record.issues += issues
            for dataset in datasets {
                record.raw.append(.init(group: "IPTC", name: dataset.name, value: .string(dataset.value),
                                        detail: .object(["tag": .string("\(dataset.record):\(dataset.dataset)"), "offset": .integer(dataset.offset)])))
            }
            if record.credit == nil { record.credit = datasets.first { $0.record == 2 && $0.dataset == 110 }?.value }
        }
        if let icc = container.icc {
            if let profile = ICCProfile.parse(icc) {
                record.iccDescription = profile.description
                record.raw.append(.init(group: "ICC", name: "Profile", value: profile.json, detail: container.iccOffset.map { .integer($0) }))
            } else {
                record.issues.append("ICC profile present but not parseable")
            }
        }
        let commentGroup = container.format == .gif ? "GIF:Comment" : container.format == .jpeg ? "JPEG:COM" : "\(container.format.rawValue.uppercased()):Comment"
        for comment in container.comments {
            record.comments.append(comment.text)
            record.raw.append(.init(group: commentGroup, name: "Comment", value: .string(comment.text), detail: .integer(comment.offset)))
        }
        for text in container.pngText {
            record.pngText.append(.init(keyword: text.keyword, text: text.text, chunk: text.chunk, offset: text.offset))
            record.raw.append(.init(group: "PNG:\(text.chunk)", name: text.keyword, value: .string(text.text), detail: .integer(text.offset)))
        }
        return (record, exif)
    }

    // MARK: - EXIF

    static func apply(_ exif: ExifContents, to record: inout MetadataRecord) {
        for tag in exif.tags {
            record.raw.append(.init(group: "EXIF:\(tag.ifd)", name: tag.name, value: tag.value.json,
                                    detail: .string(String(tag.tag, radix: 16, uppercase: true).leftPadded(to: 4))))
        }
        func text(_ id: UInt16, _ ifd: String? = nil) -> String? {
            guard let value = exif.tag(id, in: ifd)?.value.textValue else { return nil }
            let trimmed = value.trimmingTrailingSpaces()
            return trimmed.isEmpty ? nil : trimmed
        }
        func number(_ id: UInt16, _ ifd: String? = nil) -> Double? { exif.tag(id, in: ifd)?.value.doubles.first }
        func integer(_ id: UInt16, _ ifd: String? = nil) -> Int? {
            guard let value = exif.tag(id, in: ifd)?.value else { return nil }
            if let first = value.firstInteger { return Int(first) }
            return value.doubles.first.map { Int($0) }
        }
        record.make = text(0x010F, "IFD0")
        record.model = text(0x0110, "IFD0")
        record.software = text(0x0131, "IFD0")
        record.artist = text(0x013B, "IFD0")
        record.copyright = text(0x8298, "IFD0")
        record.imageDescription = text(0x010E, "IFD0")
        record.orientation = integer(0x0112, "IFD0")
        record.modifyDate = isoDate(text(0x0132, "IFD0"))
        record.dateTimeOriginal = isoDate(text(0x9003))
        record.createDate = isoDate(text(0x9004))
        record.offsetTime = text(0x9010)
        record.offsetTimeOriginal = text(0x9011)
        record.offsetTimeDigitized = text(0x9012)
        record.exposureTime = number(0x829A)
        record.fNumber = number(0x829D)
        record.iso = integer(0x8827)
        record.focalLength = number(0x920A)
        record.exifWidth = integer(0xA002)
        record.exifHeight = integer(0xA003)
        record.lensMake = text(0xA433)
        record.lensModel = text(0xA434)
        record.serialNumber = text(0xA431)
        record.lensSerialNumber = text(0xA435)
        record.makerNotePresent = exif.makerNotePresent
        record.thumbnailBytes = exif.thumbnail?.count
        applyGPS(exif, to: &record)
    }

    static func applyGPS(_ exif: ExifContents, to record: inout MetadataRecord) {
        func degrees(_ id: UInt16) -> Double? {
            let parts = exif.tag(id, in: "GPS")?.value.doubles ?? []
            guard !parts.isEmpty else { return nil }
            return parts[0] + (parts.count > 1 ? parts[1] / 60 : 0) + (parts.count > 2 ? parts[2] / 3600 : 0)
        }
        func reference(_ id: UInt16) -> String? { exif.tag(id, in: "GPS")?.value.textValue?.uppercased() }
        if let latitude = degrees(0x0002) {
            record.gpsLatitude = reference(0x0001) == "S" ? -latitude : latitude
        }
        if let longitude = degrees(0x0004) {
            record.gpsLongitude = reference(0x0003) == "W" ? -longitude : longitude
        }
        if let altitude = exif.tag(0x0006, in: "GPS")?.value.doubles.first {
            let below = exif.tag(0x0005, in: "GPS")?.value.firstInteger == 1
            record.gpsAltitude = below ? -altitude : altitude
        }
        if let date = exif.tag(0x001D, in: "GPS")?.value.textValue,
           let time = exif.tag(0x0007, in: "GPS")?.value.doubles, time.count == 3 {
            let seconds = Int(time[2])
            record.gpsDateTime = date.replacingColons() + "T" + [Int(time[0]), Int(time[1]), seconds]
                .map { String($0).leftPadded(to: 2, with: "0") }.joined(separator: ":") + "Z"
        }
    }

    /// EXIF `YYYY:MM:DD HH:MM:SS` → `YYYY-MM-DDTHH:MM:SS`; nil for blank or malformed values
    /// (the raw value stays in the tag list).
    static func isoDate(_ value: String?) -> String? {
        guard let value else { return nil }
        let characters = Array(value)
        guard characters.count >= 19, characters[4] == ":", characters[7] == ":", characters[10] == " " || characters[10] == "T",
              characters[13] == ":", characters[16] == ":" else { return nil }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        guard digits.allSatisfy({ characters[$0].isASCII && characters[$0].isNumber }) else { return nil }
        let date = String(characters[0..<10]).replacingColons()
        return date + "T" + String(characters[11..<19])
    }

    // MARK: - XMP

    static func apply(_ packet: XMPPacket, to record: inout MetadataRecord) {
        for property in packet.properties {
            record.raw.append(.init(group: "XMP", name: property.path, value: .string(property.value),
                                    detail: .object(["namespace": .string(property.namespace), "lang": property.language.map(JSONValue.string)])))
        }
        record.issues += packet.errors
        typealias NS = XMPNamespace
        record.creatorTool = packet.value(NS.xmp, "CreatorTool")
        record.history = packet.structs(NS.xmpMM, "History")
        record.documentID = packet.value(NS.xmpMM, "DocumentID")
        record.instanceID = packet.value(NS.xmpMM, "InstanceID")
        record.originalDocumentID = packet.value(NS.xmpMM, "OriginalDocumentID")
        record.digitalSourceType = packet.value(NS.iptc4xmpExt, "DigitalSourceType")
        record.credit = packet.value(NS.photoshop, "Credit") ?? record.credit
        record.provenance = packet.value(NS.dcterms, "provenance")
        record.hasExtendedXMP = packet.value(NS.xmpNote, "HasExtendedXMP") != nil
        // XMP-only files (no EXIF) still say who made them.
        record.make = record.make ?? packet.value(NS.tiff, "Make")
        record.model = record.model ?? packet.value(NS.tiff, "Model")
        record.software = record.software ?? packet.value(NS.tiff, "Software")
        record.dateTimeOriginal = record.dateTimeOriginal ?? packet.value(NS.exif, "DateTimeOriginal").flatMap(xmpDate)
    }

    /// XMP dates are ISO 8601 (`YYYY-MM-DDThh:mm[:ss[.s]][TZD]`); normalised to
    /// `YYYY-MM-DDTHH:MM:SS` (seconds 00 when absent); nil for a date without a time or
    /// anything malformed.
    static func xmpDate(_ value: String) -> String? {
        let c = Array(value)
        func digits(_ range: Range<Int>) -> Bool { range.upperBound <= c.count && range.allSatisfy { c[$0].isASCII && c[$0].isNumber } }
        guard c.count >= 16, digits(0..<4), c[4] == "-", digits(5..<7), c[7] == "-", digits(8..<10), c[10] == "T",
              digits(11..<13), c[13] == ":", digits(14..<16) else { return nil }
        let seconds = c.count >= 19 && c[16] == ":" && digits(17..<19) ? String(c[17..<19]) : "00"
        return String(c[0..<16]) + ":" + seconds
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }

    func replacingColons() -> String { String(map { $0 == ":" ? "-" : $0 }) }
}
