import ImprintBytes

/// DeepFaceLab's DFLJPG face data: a JPEG APP15 segment holding a pickled dict (protocol 3
/// or 4) with the face's alignment (GENERATOR-METADATA.md §4). Read by the bounded opcode
/// walker; never unpickled. When the walk fails, the key strings are scanned for instead.
enum DeepFaceLabFaceData {
    static let keys = ["face_type", "landmarks", "eyebrows_expand_mod", "source_filename", "source_rect",
                       "source_landmarks", "image_to_face_mat", "seg_ie_polys", "xseg_mask"]
    /// Keys whose presence is reported as a flag.
    static let presenceKeys: [(key: String, name: String)] = [
        ("landmarks", "landmarks"), ("source_landmarks", "sourceLandmarks"), ("xseg_mask", "xsegMask"),
        ("seg_ie_polys", "segIEPolys"), ("image_to_face_mat", "imageToFaceMatrix"), ("source_rect", "sourceRect"),
    ]
    static let minimumKeys = 2

    /// Fields from the opcode walk, or nil when the walk fails or the dict is not DFL's.
    static func walked(_ bytes: [UInt8]) -> [JSONValue.Member]? {
        guard bytes.count >= 2, bytes[0] == 0x80, bytes[1] == 0x03 || bytes[1] == 0x04 else { return nil }
        guard let result = try? PickleWalker.walk(bytes) else { return nil }
        defer { PickleWalker.release(result) }
        guard case .dict(let box) = result.value else { return nil }
        var entries: [(String, PickleWalker.Value)] = []
        for (key, value) in zip(box.keys, box.items) {
            if let name = key.stringValue { entries.append((name, value)) }
        }
        let names = entries.map(\.0)
        guard Set(names).intersection(keys).count >= minimumKeys else { return nil }
        var out: [JSONValue.Member] = [.init("method", .string("pickle opcode walk (nothing executed)"))]
        if let version = result.protocolVersion { out.append(.init("pickleProtocol", .integer(version))) }
        out.append(.init("keys", .array(names.prefix(64).map { FieldBounds.string($0) })))
        if let faceType = entries.first(where: { $0.0 == "face_type" })?.1 {
            out.append(.init("faceType", describe(faceType)))
        }
        if let source = entries.first(where: { $0.0 == "source_filename" })?.1 {
            out.append(.init("sourceFilename", describe(source)))
        }
        for (key, name) in presenceKeys {
            guard let value = entries.first(where: { $0.0 == key })?.1 else { continue }
            if case .none = value { out.append(.init(name, .bool(false))) } else { out.append(.init(name, .bool(true))) }
        }
        if !result.globals.isEmpty {
            out.append(.init("codeReferences", .array(result.globals.prefix(32).map { FieldBounds.string($0) })))
        }
        out.append(.init("opcodes", .integer(result.opcodes)))
        return out
    }

    /// Fields from a scan for the key strings (the fallback), or nil with too few keys.
    static func scanned(_ bytes: [UInt8]) -> [JSONValue.Member]? {
        let found = keys.filter { bytes.firstRange(of: Array($0.utf8)) != nil }
        guard found.count >= minimumKeys else { return nil }
        var out: [JSONValue.Member] = [.init("method", .string("scan for key strings (the opcode walk failed)")),
                                       .init("keys", .array(found.map(JSONValue.string)))]
        if let reason = walkFailure(bytes) { out.append(.init("walkError", .string(reason))) }
        // A string right after the key, if the next opcode is a (short) unicode string.
        for (key, name) in [("source_filename", "sourceFilename"), ("face_type", "faceType")] {
            if let value = stringAfter(key, in: bytes) { out.append(.init(name, FieldBounds.string(value))) }
        }
        return out
    }

    private static func walkFailure(_ bytes: [UInt8]) -> String? {
        do {
            let result = try PickleWalker.walk(bytes)
            PickleWalker.release(result)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    private static func stringAfter(_ key: String, in bytes: [UInt8]) -> String? {
        guard let range = bytes.firstRange(of: Array(key.utf8)) else { return nil }
        var pos = range.upperBound
        // Skip memo opcodes (BINPUT n, MEMOIZE) between the key and its value.
        while pos < bytes.count {
            if bytes[pos] == 0x94 { pos += 1 } else if bytes[pos] == 0x71 { pos += 2 } else { break }
        }
        guard pos + 2 <= bytes.count else { return nil }
        if bytes[pos] == 0x8C {
            let length = Int(bytes[pos + 1])
            guard pos + 2 + length <= bytes.count else { return nil }
            return TextDecodingLite.utf8OrLatin1(bytes[(pos + 2)..<(pos + 2 + length)])
        }
        if bytes[pos] == 0x58, pos + 5 <= bytes.count {
            let length = Int(bytes[pos + 1]) | Int(bytes[pos + 2]) << 8 | Int(bytes[pos + 3]) << 16 | Int(bytes[pos + 4]) << 24
            guard length >= 0, length <= 4096, pos + 5 + length <= bytes.count else { return nil }
            return TextDecodingLite.utf8OrLatin1(bytes[(pos + 5)..<(pos + 5 + length)])
        }
        return nil
    }

    private static func describe(_ value: PickleWalker.Value) -> JSONValue {
        switch value {
        case .string(let s): return FieldBounds.string(s)
        case .int(let i): return .int(i)
        case .float(let d): return d.isFinite ? .double(d) : .string(String(d))
        case .bool(let b): return .bool(b)
        case .none: return .null
        case .opaque(let name): return .string("<\(name)>")
        case .bytes(let count, _): return .string("<\(count) bytes>")
        default: return .string("<structure>")
        }
    }
}
