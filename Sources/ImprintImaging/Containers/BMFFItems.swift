import ImprintBytes

/// Turns what the `meta` box declared into results: the primary image's size and ICC
/// profile from its properties, and the bytes of the Exif and XMP items from their extents.
extension BMFFMeta {
    mutating func resolve(_ b: inout ContainerBuilder) {
        resolveProperties(&b)
        if let exifID = infoOrder.first(where: { infos[$0]?.type == "Exif" }) {
            extractExif(&b, item: exifID)
        }
        if let xmpID = infoOrder.first(where: { infos[$0]?.type == "mime" && infos[$0]?.contentType == "application/rdf+xml" }) {
            extractXMP(&b, item: xmpID)
        }
    }

    /// The properties of the primary item, or — when the file names no primary item or
    /// associates none — the properties in `ipco` order, as a best guess.
    private func primaryProperties() -> [Property] {
        if let primary, let indices = associations[primary] {
            return indices.compactMap { $0 >= 1 && $0 <= properties.count ? properties[$0 - 1] : nil }
        }
        return properties
    }

    private func resolveProperties(_ b: inout ContainerBuilder) {
        let candidates = primaryProperties()
        if let ispe = candidates.first(where: { $0.type == "ispe" }) {
            do {
                var reader = try ByteReader.over(b.bytes, from: ispe.payload.lowerBound, to: ispe.payload.upperBound)
                try reader.skip(4, "ispe version and flags")
                b.result.width = Int(try reader.readUInt32BE("ispe width"))
                b.result.height = Int(try reader.readUInt32BE("ispe height"))
            } catch {
                b.issue(error, context: "ispe property")
            }
        }
        // colr with colour type 'prof' (restricted) or 'rICC' carries an ICC profile.
        for colr in candidates where colr.type == "colr" && colr.payload.count > 4 && b.result.icc == nil {
            let kind = TextDecoding.fourCC(b.bytes[colr.payload.lowerBound..<(colr.payload.lowerBound + 4)])
            if kind == "prof" || kind == "rICC" {
                let start = colr.payload.lowerBound + 4
                b.result.icc = Array(b.bytes[start..<colr.payload.upperBound])
                b.result.iccOffset = start
            }
        }
    }

    /// The Exif item starts with a 4-byte big-endian offset from the end of that field to
    /// the TIFF header (ISO/IEC 23008-12 Annex A.2.1); what precedes the header is skipped.
    private func extractExif(_ b: inout ContainerBuilder, item: Int) {
        guard let data = itemBytes(&b, item: item) else { return }
        guard data.bytes.count >= 4 else {
            b.issue("truncated", at: data.sourceOffset(of: 0) ?? 0, "Exif item \(item) shorter than its header offset")
            return
        }
        let skip = Int(UInt32(data.bytes[0]) << 24 | UInt32(data.bytes[1]) << 16 | UInt32(data.bytes[2]) << 8 | UInt32(data.bytes[3]))
        guard let start = checkedSum(4, skip), start < data.bytes.count else {
            b.issue("bad-length", at: data.sourceOffset(of: 0) ?? 0, "Exif item \(item) header offset \(skip) points past its \(data.bytes.count) bytes")
            return
        }
        addItemElement(&b, item: item, identifiedAs: "EXIF", data: data)
        guard b.result.exif == nil else { return }
        b.result.exif = Array(data.bytes[start...])
        b.result.exifOffset = data.sourceOffset(of: start)
    }

    private func extractXMP(_ b: inout ContainerBuilder, item: Int) {
        guard let data = itemBytes(&b, item: item) else { return }
        addItemElement(&b, item: item, identifiedAs: "XMP", data: data)
        guard b.result.xmp == nil else { return }
        b.result.xmp = data.bytes
        b.result.xmpOffset = data.sourceOffset(of: 0)
    }

    /// Items are not boxes, but recording where their bytes are lets findings point at them.
    /// An item in several extents gets one element per extent, since they need not be adjacent.
    private func addItemElement(_ b: inout ContainerBuilder, item: Int, identifiedAs: String, data: GatheredBytes) {
        let ranges = data.sourceRanges
        for (index, range) in ranges.enumerated() {
            let name = ranges.count == 1 ? "item \(item)" : "item \(item) extent \(index + 1)"
            b.add(name: name, identifiedAs: identifiedAs, offset: range.lowerBound, length: range.count,
                  payloadOffset: range.lowerBound, payloadLength: range.count)
        }
    }

    /// Gathers an item's extents. Construction method 0 (file offsets) and 1 (offsets into
    /// `idat`) are read; method 2 (data from other items) and external data references are not.
    private func itemBytes(_ b: inout ContainerBuilder, item: Int) -> GatheredBytes? {
        let at = infos[item]?.offset ?? 0
        guard let location = locations[item] else {
            b.issue("missing-item", at: at, "item \(item) has no iloc entry")
            return nil
        }
        guard location.dataReferenceIndex == 0 else {
            b.issue("unsupported", at: location.offset, "item \(item) is stored outside the file (data reference \(location.dataReferenceIndex))")
            return nil
        }
        let source: Range<Int>
        switch location.constructionMethod {
        case 0:
            source = 0..<b.bytes.count
        case 1:
            guard let idat else {
                b.issue("missing-item", at: location.offset, "item \(item) is in idat, but the meta box has none")
                return nil
            }
            source = idat
        default:
            b.issue("unsupported", at: location.offset, "item \(item) uses construction method \(location.constructionMethod), not read")
            return nil
        }
        var gathered = GatheredBytes(limit: b.limits.maxReassembledSize)
        for extent in location.extents {
            guard extent.offset <= UInt64(Int.max - 1), extent.length <= UInt64(Int.max - 1),
                  location.baseOffset <= UInt64(Int.max - 1),
                  let relative = checkedSum(Int(location.baseOffset), Int(extent.offset)),
                  let start = checkedSum(source.lowerBound, relative), start <= source.upperBound else {
                b.issue("bad-offset", at: location.offset, "item \(item) extent starts outside its data")
                return nil
            }
            // Length 0 means "to the end of the source".
            let length = extent.length == 0 ? source.upperBound - start : Int(extent.length)
            guard let end = checkedSum(start, length), end <= source.upperBound else {
                b.issue("truncated", at: location.offset, "item \(item) extent of \(length) bytes at \(start) runs past the end of its data")
                return nil
            }
            if !gathered.append(b.bytes, start..<end) {
                let cap = b.limits.maxReassembledSize
                b.issue("reassembly-limit", at: location.offset, "item \(item) is larger than \(cap) bytes")
                return nil
            }
        }
        return gathered
    }
}
