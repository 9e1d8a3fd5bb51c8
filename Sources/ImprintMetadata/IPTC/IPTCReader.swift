import ImprintBytes

/// One IPTC-IIM dataset (record:dataset), e.g. 2:80 By-line.
public struct IPTCDataset: Sendable, Equatable {
    public var record: Int
    public var dataset: Int
    public var name: String
    public var value: String
    public var offset: Int

    public var json: JSONValue {
        .object(["tag": .string("\(record):\(dataset)"), "name": .string(name), "value": .string(value)])
    }
}

/// IPTC-IIM (the legacy "IPTC" block of Photoshop's APP13): 0x1C, record, dataset,
/// a 2-byte length (or an extended length), then the data.
public enum IPTCReader {
    /// Dataset names for the application record (record 2) and envelope (record 1), from
    /// the IPTC-IIM specification 4.2; unknown datasets are kept with a numeric name.
    static let names: [Int: String] = [
        100: "ModelVersion", 190: "CodedCharacterSet",
        200: "RecordVersion", 203: "ObjectTypeReference", 204: "ObjectAttributeReference", 205: "ObjectName",
        207: "EditStatus", 210: "Urgency", 212: "SubjectReference", 215: "Category", 220: "SupplementalCategories",
        222: "FixtureIdentifier", 225: "Keywords", 226: "ContentLocationCode", 227: "ContentLocationName",
        230: "ReleaseDate", 235: "ReleaseTime", 237: "ExpirationDate", 238: "ExpirationTime",
        240: "SpecialInstructions", 242: "ActionAdvised", 245: "ReferenceService", 247: "ReferenceDate",
        250: "ReferenceNumber", 255: "DateCreated", 260: "TimeCreated", 262: "DigitalCreationDate",
        263: "DigitalCreationTime", 265: "OriginatingProgram", 270: "ProgramVersion", 275: "ObjectCycle",
        280: "By-line", 285: "By-lineTitle", 290: "City", 292: "Sub-location", 295: "Province-State",
        300: "Country-PrimaryLocationCode", 301: "Country-PrimaryLocationName", 303: "OriginalTransmissionReference",
        305: "Headline", 310: "Credit", 315: "Source", 316: "CopyrightNotice", 318: "Contact",
        320: "Caption-Abstract", 322: "LocalCaption", 325: "Writer-Editor",
        330: "RasterizedCaption", 331: "ImageType", 332: "ImageOrientation", 335: "LanguageIdentifier",
    ]

    public static func read(_ bytes: [UInt8], baseOffset: Int = 0, maxDatasets: Int = 10_000) -> (datasets: [IPTCDataset], issues: [String]) {
        var reader = ByteReader(bytes)
        var datasets: [IPTCDataset] = []
        var issues: [String] = []
        var utf8 = false
        while !reader.isAtEnd {
            let start = reader.offset
            guard let marker = try? reader.readUInt8(), marker == 0x1C else {
                // Padding after the last dataset is common; anything else is noted.
                if bytes[start...].contains(where: { $0 != 0 }) {
                    issues.append("unexpected byte 0x\(Hex.encode([bytes[start]])) at IPTC offset \(start); rest ignored")
                }
                break
            }
            do {
                let record = Int(try reader.readUInt8("IPTC record"))
                let dataset = Int(try reader.readUInt8("IPTC dataset"))
                var length = Int(try reader.readUInt16BE("IPTC length"))
                if length & 0x8000 != 0 {
                    // Extended dataset: the low 15 bits give the size of the length field.
                    let lengthBytes = length & 0x7FFF
                    guard lengthBytes <= 4 else { throw ByteReaderError.invalidLength(lengthBytes, at: reader.offset, what: "IPTC extended length") }
                    length = 0
                    for _ in 0..<lengthBytes { length = length << 8 | Int(try reader.readUInt8()) }
                }
                let data = try reader.readBytes(length, "IPTC dataset \(record):\(dataset)")
                if record == 1 && dataset == 90 {
                    utf8 = Array(data) == [0x1B, 0x25, 0x47]  // ESC % G: UTF-8
                }
                // Envelope and record-version datasets are binary numbers, not text.
                let binary: Set<Int> = [100, 120, 122, 200, 210, 212]
                let value: String
                if binary.contains(record * 100 + dataset) {
                    value = String(data.reduce(0) { $0 << 8 | Int($1) })
                } else {
                    value = utf8 ? String(decoding: data, as: UTF8.self) : decodeLegacy(Array(data))
                }
                datasets.append(IPTCDataset(record: record, dataset: dataset,
                                            name: names[record * 100 + dataset] ?? "IPTC\(record):\(dataset)",
                                            value: value, offset: baseOffset + start))
                if datasets.count >= maxDatasets {
                    issues.append("more than \(maxDatasets) IPTC datasets; the rest is ignored")
                    break
                }
            } catch {
                issues.append("IPTC: \(error)")
                break
            }
        }
        return (datasets, issues)
    }

    /// Without a declared character set, valid UTF-8 is taken as UTF-8, else ISO-8859-1.
    static func decodeLegacy(_ data: [UInt8]) -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        return String(data.map { Character(Unicode.Scalar($0)) })
    }
}
