import CExif
import Foundation
import ImprintBytes

/// One EXIF tag as stored, with its value decoded from the raw bytes (so numbers are
/// exact, not libexif's localised display text).
public struct ExifTag: Sendable, Equatable {
    /// `IFD0`, `IFD1`, `EXIF`, `GPS`, `Interop`.
    public var ifd: String
    public var tag: UInt16
    public var name: String
    public var format: String
    public var components: Int
    public var value: ExifValue

    public var json: JSONValue {
        .object([.init("ifd", .string(ifd)), .init("tag", .string(String(format: "0x%04X", tag))),
                 .init("name", .string(name)), .init("format", .string(format)), .init("value", value.json)])
    }
}

public enum ExifValue: Sendable, Equatable {
    case text(String)
    case integers([Int64])
    /// Rationals as numerator/denominator pairs.
    case rationals([ExifRational])
    case reals([Double])
    /// UNDEFINED or BYTE data that is not text (kept short in JSON).
    case bytes([UInt8])

    public var json: JSONValue {
        switch self {
        case .text(let s): return .string(s)
        case .integers(let values): return values.count == 1 ? .int(values[0]) : .array(values.map(JSONValue.int))
        case .rationals(let values):
            let doubles = values.map { $0.doubleValue.map(JSONValue.double) ?? .null }
            return doubles.count == 1 ? doubles[0] : .array(doubles)
        case .reals(let values): return values.count == 1 ? .double(values[0]) : .array(values.map(JSONValue.double))
        case .bytes(let bytes):
            return .object(["bytes": .integer(bytes.count), "hex": .string(Hex.encode(bytes.prefix(64)))])
        }
    }

    public var firstInteger: Int64? {
        if case .integers(let values) = self { return values.first }
        return nil
    }

    public var doubles: [Double] {
        switch self {
        case .rationals(let values): return values.compactMap(\.doubleValue)
        case .reals(let values): return values
        case .integers(let values): return values.map(Double.init)
        default: return []
        }
    }

    public var textValue: String? {
        if case .text(let s) = self { return s }
        return nil
    }
}

public struct ExifRational: Sendable, Equatable {
    public var numerator: Int64
    public var denominator: Int64
    public var doubleValue: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }
}

/// What libexif found in an EXIF block.
public struct ExifContents: Sendable {
    public var tags: [ExifTag]
    public var byteOrder: String
    /// The IFD1 thumbnail (a JPEG), if present.
    public var thumbnail: [UInt8]?
    public var makerNotePresent: Bool
    /// Whether libexif recognised and parsed the maker note.
    public var makerNoteParsed: Bool

    public func tag(_ tag: UInt16, in ifd: String? = nil) -> ExifTag? {
        tags.first { $0.tag == tag && (ifd == nil || $0.ifd == ifd) }
    }
}

/// EXIF through libexif, configured to report what is stored: no "repairs" to the
/// specification (libexif would otherwise add or change tags), unknown tags kept, maker
/// note left untouched.
public enum ExifReader {
    /// libexif's loader reads at most 64 KiB of an EXIF block (the APP1 limit).
    public static let maxBlock = 0xFFFE

    static let ifdNames = ["IFD0", "IFD1", "EXIF", "GPS", "Interop"]

    public static func read(_ tiff: [UInt8]) -> ExifContents? {
        guard tiff.count >= 8 else { return nil }
        guard let data = exif_data_new() else { return nil }
        defer { exif_data_unref(data) }
        exif_data_unset_option(data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION)
        exif_data_unset_option(data, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS)
        exif_data_set_option(data, EXIF_DATA_OPTION_DONT_CHANGE_MAKER_NOTE)
        // libexif expects the APP1 payload, which starts with "Exif\0\0".
        let block = Array("Exif".utf8) + [0, 0] + tiff
        block.withUnsafeBufferPointer { exif_data_load_data(data, $0.baseAddress, UInt32($0.count)) }
        let order = exif_data_get_byte_order(data)
        var tags: [ExifTag] = []
        var makerNote = false
        withUnsafePointer(to: &data.pointee.ifd) { pointer in
            pointer.withMemoryRebound(to: UnsafeMutablePointer<ExifContent>?.self, capacity: Int(EXIF_IFD_COUNT.rawValue)) { ifds in
                for index in 0..<min(Int(EXIF_IFD_COUNT.rawValue), ifdNames.count) {
                    guard let content = ifds[index], let entries = content.pointee.entries else { continue }
                    for entryIndex in 0..<Int(content.pointee.count) {
                        guard let entry = entries[entryIndex] else { continue }
                        if entry.pointee.tag.rawValue == 0x927C { makerNote = true }
                        tags.append(decode(entry.pointee, ifd: ExifIfd(rawValue: UInt32(index)), ifdName: ifdNames[index], order: order))
                    }
                }
            }
        }
        var thumbnail: [UInt8]?
        if let pointer = data.pointee.data, data.pointee.size > 0 {
            thumbnail = Array(UnsafeBufferPointer(start: pointer, count: Int(data.pointee.size)))
        }
        return ExifContents(tags: tags, byteOrder: order == EXIF_BYTE_ORDER_INTEL ? "little-endian" : "big-endian",
                            thumbnail: thumbnail, makerNotePresent: makerNote,
                            makerNoteParsed: exif_data_get_mnote_data(data) != nil)
    }

    private static func decode(_ entry: ExifEntry, ifd: ExifIfd, ifdName: String, order: ExifByteOrder) -> ExifTag {
        let tag = entry.tag
        let name = exif_tag_get_name_in_ifd(tag, ifd).map { String(cString: $0) } ?? String(format: "Tag0x%04X", tag.rawValue)
        let formatName = exif_format_get_name(entry.format).map { String(cString: $0) } ?? "unknown"
        let raw: [UInt8] = entry.data.map { Array(UnsafeBufferPointer(start: $0, count: Int(entry.size))) } ?? []
        let components = Int(entry.components)
        let value = decodeValue(raw, format: entry.format.rawValue, components: components,
                                littleEndian: order == EXIF_BYTE_ORDER_INTEL)
        return ExifTag(ifd: ifdName, tag: UInt16(truncatingIfNeeded: tag.rawValue), name: name, format: formatName,
                       components: components, value: value)
    }

    /// Decodes a value by its TIFF type, bounds-checked against the bytes actually present.
    static func decodeValue(_ raw: [UInt8], format: UInt32, components: Int, littleEndian: Bool) -> ExifValue {
        func integer(_ offset: Int, _ width: Int, signed: Bool) -> Int64? {
            guard offset >= 0, offset + width <= raw.count else { return nil }
            var value: UInt64 = 0
            for i in 0..<width {
                let byte = UInt64(raw[offset + (littleEndian ? width - 1 - i : i)])
                value = value << 8 | byte
            }
            if signed {
                let shift = UInt64(64 - width * 8)
                return Int64(bitPattern: value << shift) >> Int64(shift)
            }
            return Int64(bitPattern: value)
        }
        let count = max(0, components)
        switch format {
        case 2:  // ASCII: up to the first NUL, trailing spaces kept as ExifTool does not trim them
            let text = raw.prefix { $0 != 0 }
            return .text(String(decoding: text, as: UTF8.self))
        case 1, 6:  // BYTE, SBYTE
            return .integers((0..<min(count, raw.count)).compactMap { integer($0, 1, signed: format == 6) })
        case 3, 8:
            return .integers((0..<min(count, raw.count / 2)).compactMap { integer($0 * 2, 2, signed: format == 8) })
        case 4, 9:
            return .integers((0..<min(count, raw.count / 4)).compactMap { integer($0 * 4, 4, signed: format == 9) })
        case 5, 10:
            return .rationals((0..<min(count, raw.count / 8)).compactMap { index in
                guard let n = integer(index * 8, 4, signed: format == 10), let d = integer(index * 8 + 4, 4, signed: format == 10) else { return nil }
                return ExifRational(numerator: n, denominator: d)
            })
        case 11:
            return .reals((0..<min(count, raw.count / 4)).compactMap { index in
                integer(index * 4, 4, signed: false).map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) }
            })
        case 12:
            return .reals((0..<min(count, raw.count / 8)).compactMap { index in
                integer(index * 8, 8, signed: false).map { Double(bitPattern: UInt64(bitPattern: $0)) }
            })
        default:  // UNDEFINED
            return .bytes(raw)
        }
    }
}
