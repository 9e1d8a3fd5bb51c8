import ImprintBytes

extension ParsedContainer {
    /// At most this many elements are listed in a summary (the count is always given).
    public static let summaryElementLimit = 1_000

    /// The container structure as recorded in the case and shown by `analyze --json`:
    /// every element with its offset and length, parse issues, trailing data, and the
    /// format details compression analysis needs.
    public var summaryJSON: JSONValue {
        var members: [JSONValue.Member] = [
            .init("elementCount", .integer(elements.count)),
            .init("elements", .array(elements.prefix(Self.summaryElementLimit).map(\.json))),
        ]
        if !issues.isEmpty {
            members.append(.init("issues", .array(issues.map { issue in
                .object(["code": .string(issue.code), "offset": .integer(issue.offset), "message": .string(issue.message)])
            })))
        }
        if let offset = trailingDataOffset, trailingDataLength > 0 {
            members.append(.init("trailingData", .object(["offset": .integer(offset), "length": .integer(trailingDataLength)])))
        }
        if let frame = jpegFrame {
            members.append(.init("jpeg", .object([
                .init("process", .string(frame.process)),
                .init("precision", .integer(frame.precision)),
                .init("components", .array(frame.components.map { component in
                    .object(["id": .integer(component.id),
                             "sampling": .string("\(component.horizontalSampling)x\(component.verticalSampling)"),
                             "quantizationTable": .integer(component.quantizationTable)])
                })),
                .init("quantizationTables", .array(quantizationTables.map { table in
                    .object(["id": .integer(table.id), "precision": .integer(table.precision),
                             "values": .array(table.values.map { .integer($0) })])
                })),
                .init("huffmanTables", .integer(huffmanTableCount)),
                .init("jfif", .bool(hasJFIF)), .init("adobe", .bool(hasAdobe)),
            ])))
        }
        if let bitDepth = pngBitDepth {
            members.append(.init("png", .object(["bitDepth": .integer(bitDepth), "colorType": pngColorType.map(JSONValue.integer),
                                                 "idatChunks": .integer(pngIDATCount)])))
        }
        return .object(members)
    }
}
