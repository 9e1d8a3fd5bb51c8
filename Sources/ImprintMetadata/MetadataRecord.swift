import ImprintBytes

/// What a file says about itself, normalised: the fields that matter in court, with
/// ExifTool-compatible values (numbers as numbers, times as `YYYY-MM-DDTHH:MM:SS`, GPS as
/// signed decimal degrees), plus the full raw tag list. Documented in docs/analyze-json.md.
public struct MetadataRecord: Sendable {
    public var make: String?
    public var model: String?
    public var software: String?
    public var lensMake: String?
    public var lensModel: String?
    public var serialNumber: String?
    public var lensSerialNumber: String?
    public var artist: String?
    public var copyright: String?
    public var imageDescription: String?

    public var dateTimeOriginal: String?
    public var offsetTimeOriginal: String?
    public var createDate: String?
    public var offsetTimeDigitized: String?
    public var modifyDate: String?
    public var offsetTime: String?

    public var gpsLatitude: Double?
    public var gpsLongitude: Double?
    public var gpsAltitude: Double?
    public var gpsDateTime: String?

    public var orientation: Int?
    public var exposureTime: Double?
    public var fNumber: Double?
    public var iso: Int?
    public var focalLength: Double?
    public var exifWidth: Int?
    public var exifHeight: Int?

    public var thumbnailBytes: Int?
    public var makerNotePresent = false

    public var creatorTool: String?
    public var history: [[String: String]] = []
    public var documentID: String?
    public var instanceID: String?
    public var originalDocumentID: String?
    public var digitalSourceType: String?
    public var credit: String?
    public var provenance: String?
    public var hasExtendedXMP = false

    public var iccDescription: String?
    public var comments: [String] = []
    public var pngText: [PNGTextEntry] = []
    public var iptc: [IPTCDataset] = []

    /// Every tag found, by group.
    public var raw: [RawTag] = []
    /// Problems reading metadata (never fatal).
    public var issues: [String] = []

    public init() {}

    public struct PNGTextEntry: Sendable, Equatable {
        public var keyword: String
        public var text: String
        public var chunk: String
        public var offset: Int
    }

    public struct RawTag: Sendable, Equatable {
        /// `EXIF:IFD0`, `EXIF:GPS`, `XMP`, `IPTC`, `PNG:tEXt`, `JPEG:COM`, `ICC`.
        public var group: String
        public var name: String
        public var value: JSONValue
        /// Namespace URI (XMP), tag number (EXIF), byte offset (PNG/IPTC/COM) where known.
        public var detail: JSONValue?
    }

    /// Whether the file carried any metadata at all.
    public var isEmpty: Bool { raw.isEmpty }

    public var json: JSONValue {
        func string(_ s: String?) -> JSONValue? { s.map(JSONValue.string) }
        func double(_ d: Double?) -> JSONValue? { d.map(JSONValue.double) }
        func int(_ i: Int?) -> JSONValue? { i.map(JSONValue.integer) }
        return .object([
            "make": string(make), "model": string(model), "software": string(software),
            "lensMake": string(lensMake), "lensModel": string(lensModel),
            "serialNumber": string(serialNumber), "lensSerialNumber": string(lensSerialNumber),
            "artist": string(artist), "copyright": string(copyright), "imageDescription": string(imageDescription),
            "dateTimeOriginal": string(dateTimeOriginal), "offsetTimeOriginal": string(offsetTimeOriginal),
            "createDate": string(createDate), "offsetTimeDigitized": string(offsetTimeDigitized),
            "modifyDate": string(modifyDate), "offsetTime": string(offsetTime),
            "gpsLatitude": double(gpsLatitude), "gpsLongitude": double(gpsLongitude),
            "gpsAltitude": double(gpsAltitude), "gpsDateTime": string(gpsDateTime),
            "orientation": int(orientation), "exposureTime": double(exposureTime), "fNumber": double(fNumber),
            "iso": int(iso), "focalLength": double(focalLength), "exifWidth": int(exifWidth), "exifHeight": int(exifHeight),
            "thumbnailBytes": int(thumbnailBytes), "makerNote": makerNotePresent ? .bool(true) : nil,
            "creatorTool": string(creatorTool),
            "history": history.isEmpty ? nil : .array(history.map { item in
                .object(item.keys.sorted().map { JSONValue.Member($0, .string(item[$0] ?? "")) })
            }),
            "documentId": string(documentID), "instanceId": string(instanceID),
            "originalDocumentId": string(originalDocumentID), "digitalSourceType": string(digitalSourceType),
            "credit": string(credit), "provenance": string(provenance),
            "hasExtendedXmp": hasExtendedXMP ? .bool(true) : nil,
            "iccDescription": string(iccDescription),
            "comments": comments.isEmpty ? nil : .array(comments.map(JSONValue.string)),
            "pngText": pngText.isEmpty ? nil : .array(pngText.map { entry in
                .object(["keyword": .string(entry.keyword), "text": .string(entry.text), "chunk": .string(entry.chunk),
                         "offset": .integer(entry.offset)])
            }),
            "iptc": iptc.isEmpty ? nil : .array(iptc.map(\.json)),
            "issues": issues.isEmpty ? nil : .array(issues.map(JSONValue.string)),
            "raw": .array(raw.map { tag in
                .object(["group": .string(tag.group), "name": .string(tag.name), "value": tag.value, "detail": tag.detail])
            }),
        ])
    }
}
