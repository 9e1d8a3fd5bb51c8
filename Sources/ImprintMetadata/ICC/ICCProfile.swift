import ImprintBytes

/// The few facts of an ICC profile that matter for provenance: its description (which
/// often names the device or the software that made it), class, colour space, version.
public struct ICCProfile: Sendable, Equatable {
    public var description: String?
    public var version: String
    public var deviceClass: String
    public var colorSpace: String
    public var creator: String
    public var size: Int

    public var json: JSONValue {
        .object(["description": description.map(JSONValue.string), "version": .string(version),
                 "deviceClass": .string(deviceClass), "colorSpace": .string(colorSpace),
                 "creator": .string(creator), "size": .integer(size)])
    }

    /// Parses the 128-byte header and the `desc` tag (`desc` type in v2, `mluc` in v4).
    public static func parse(_ bytes: [UInt8]) -> ICCProfile? {
        var reader = ByteReader(bytes)
        guard let size = try? reader.readUInt32BE(), size >= 132, bytes.count >= 132 else { return nil }
        func signature(_ offset: Int) -> String {
            String(decoding: bytes[offset..<(offset + 4)].map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
                .trimmingTrailingSpaces()
        }
        guard bytes[36..<40].elementsEqual(Array("acsp".utf8)) else { return nil }
        let version = "\(bytes[8]).\(bytes[9] >> 4).\(bytes[9] & 0x0F)"
        var profile = ICCProfile(description: nil, version: version, deviceClass: signature(12), colorSpace: signature(16),
                                 creator: signature(80), size: Int(size))
        var tags = ByteReader(bytes)
        guard (try? tags.skip(128)) != nil, let count = try? tags.readUInt32BE(), count < 1000 else { return profile }
        for _ in 0..<count {
            guard let tag = try? tags.readBytes(4), let offset = try? tags.readUInt32BE(),
                  let length = try? tags.readUInt32BE() else { break }
            guard Array(tag) == Array("desc".utf8) else { continue }
            profile.description = description(bytes, offset: Int(offset), length: Int(length))
            break
        }
        return profile
    }

    private static func description(_ bytes: [UInt8], offset: Int, length: Int) -> String? {
        guard offset >= 0, length >= 12, offset <= bytes.count, length <= bytes.count - offset else { return nil }
        let element = Array(bytes[offset..<(offset + length)])
        var reader = ByteReader(element)
        guard let type = try? reader.readBytes(4), (try? reader.skip(4)) != nil else { return nil }
        if Array(type) == Array("desc".utf8) {
            guard let count = try? reader.readUInt32BE(), let text = try? reader.readBytes(Int(count)) else { return nil }
            return String(decoding: text.prefix { $0 != 0 }, as: UTF8.self)
        }
        if Array(type) == Array("mluc".utf8) {
            guard let records = try? reader.readUInt32BE(), records > 0, (try? reader.readUInt32BE()) != nil,
                  (try? reader.skip(4)) != nil, let textLength = try? reader.readUInt32BE(),
                  let textOffset = try? reader.readUInt32BE() else { return nil }
            let start = Int(textOffset), count = Int(textLength)
            guard start >= 0, count >= 0, start <= element.count, count <= element.count - start else { return nil }
            var units: [UInt16] = []
            var index = start
            while index + 1 < start + count {
                units.append(UInt16(element[index]) << 8 | UInt16(element[index + 1]))
                index += 2
            }
            return String(decoding: units, as: UTF16.self).trimmingCharacters(in: [0])
        }
        return nil
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }

    func trimmingCharacters(in scalars: Set<UInt32>) -> String {
        String(String.UnicodeScalarView(unicodeScalars.filter { !scalars.contains($0.value) }))
    }
}
