import ImprintBytes

/// Puts the multi-segment JPEG payloads back together once every segment has been seen:
/// the ICC profile (APP2, in sequence-number order), extended XMP (APP1, placed at each
/// chunk's offset), the Photoshop IRB (APP13, concatenated) and JUMBF (APP11 packets).
/// Each check that fails becomes an issue and the best partial payload is still kept.
extension JPEGAppSegments {
    func reassemble(into b: inout ContainerBuilder) {
        assembleICC(&b)
        assembleExtendedXMP(&b)
        assemblePhotoshop(&b)
        assembleJUMBF(&b)
    }

    private func assembleICC(_ b: inout ContainerBuilder) {
        guard let first = iccParts.first else { return }
        let declared = first.count
        var bySequence: [Int: ICCPart] = [:]
        for part in iccParts {
            if part.count != declared {
                b.issue("inconsistent-segments", at: part.data.lowerBound,
                        "ICC_PROFILE segment says \(part.count) segments, the first said \(declared)")
            }
            if part.sequence < 1 || part.sequence > max(declared, 1) {
                b.issue("inconsistent-segments", at: part.data.lowerBound,
                        "ICC_PROFILE sequence number \(part.sequence) outside 1…\(declared)")
            }
            if bySequence[part.sequence] != nil {
                b.issue("inconsistent-segments", at: part.data.lowerBound,
                        "ICC_PROFILE sequence number \(part.sequence) repeated (the first is used)")
            } else {
                bySequence[part.sequence] = part
            }
        }
        let missing = declared > 0 ? (1...declared).filter { bySequence[$0] == nil } : []
        if !missing.isEmpty {
            b.issue("incomplete", at: first.data.lowerBound,
                    "ICC profile lacks segment(s) \(missing.map(String.init).joined(separator: ", ")) of \(declared)")
        }
        var gathered = GatheredBytes(limit: b.limits.maxReassembledSize)
        for sequence in bySequence.keys.sorted() {
            guard let part = bySequence[sequence] else { continue }
            if !gathered.append(b.bytes, part.data) {
                let cap = b.limits.maxReassembledSize
                b.issue("reassembly-limit", at: part.data.lowerBound,
                        "ICC profile larger than \(cap) bytes; the rest was dropped")
                break
            }
        }
        let ordered = bySequence.keys.sorted()
        b.result.icc = gathered.bytes
        b.result.iccOffset = ordered.first.flatMap { bySequence[$0]?.data.lowerBound }
    }

    private func assembleExtendedXMP(_ b: inout ContainerBuilder) {
        guard let firstPart = extendedXMPParts.first else { return }
        let declared = b.result.xmp.flatMap(Self.declaredExtendedXMPGUID)
        var guid = firstPart.guid
        if let declared {
            if extendedXMPParts.contains(where: { $0.guid == declared }) {
                guid = declared
            } else {
                b.issue("extended-xmp-mismatch", at: firstPart.segment,
                        "no extended XMP segment carries the GUID \(TextDecoding.latin1(declared)) the main XMP names; using \(TextDecoding.latin1(guid))")
            }
        } else if b.result.xmp != nil {
            b.issue("extended-xmp-mismatch", at: firstPart.segment,
                    "extended XMP present but the main XMP names no xmpNote:HasExtendedXMP GUID")
        }
        let parts = extendedXMPParts.filter { $0.guid == guid }
        for other in extendedXMPParts where other.guid != guid {
            b.issue("extended-xmp-mismatch", at: other.segment,
                    "extended XMP segment with another GUID (\(TextDecoding.latin1(other.guid))) ignored")
        }
        let fullLength = parts[0].fullLength
        guard fullLength <= b.limits.maxReassembledSize else {
            let cap = b.limits.maxReassembledSize
            b.issue("reassembly-limit", at: parts[0].segment,
                    "extended XMP declares \(fullLength) bytes, more than the limit \(cap)")
            return
        }
        var buffer = [UInt8](repeating: 0, count: fullLength)
        var placed: [Range<Int>] = []
        for part in parts {
            guard part.fullLength == fullLength else {
                b.issue("inconsistent-segments", at: part.segment,
                        "extended XMP segment declares full length \(part.fullLength), the first declared \(fullLength)")
                continue
            }
            guard let end = checkedSum(part.chunkOffset, part.data.count), end <= fullLength else {
                b.issue("bad-length", at: part.segment,
                        "extended XMP chunk at offset \(part.chunkOffset) (\(part.data.count) bytes) runs past the full length \(fullLength)")
                continue
            }
            buffer.replaceSubrange(part.chunkOffset..<end, with: b.bytes[part.data])
            placed.append(part.chunkOffset..<end)
        }
        let covered = Self.coveredCount(placed)
        if covered < fullLength {
            b.issue("incomplete", at: parts[0].segment,
                    "extended XMP has \(covered) of its \(fullLength) bytes; the gaps are zero-filled")
        }
        b.result.extendedXMP = buffer
    }

    private func assemblePhotoshop(_ b: inout ContainerBuilder) {
        guard let first = photoshopRanges.first else { return }
        var gathered = GatheredBytes(limit: b.limits.maxReassembledSize)
        for range in photoshopRanges where !gathered.append(b.bytes, range) {
            let cap = b.limits.maxReassembledSize
            b.issue("reassembly-limit", at: range.lowerBound,
                    "Photoshop resources larger than \(cap) bytes; the rest was dropped")
            break
        }
        let walk = PhotoshopIRB.walk(gathered.bytes)
        for (position, message) in walk.problems {
            b.issue("bad-irb", at: gathered.sourceOffset(of: position) ?? first.lowerBound, message)
        }
        if let iptc = walk.resources.first(where: { $0.id == PhotoshopIRB.iptcResource }) {
            b.result.iptc = Array(gathered.bytes[iptc.data])
            b.result.iptcOffset = gathered.sourceOffset(of: iptc.data.lowerBound)
        }
    }

    private func assembleJUMBF(_ b: inout ContainerBuilder) {
        guard let firstPart = jumbfParts.first else { return }
        // Several box instances may exist; the C2PA manifest store (label "c2pa") is the
        // one provenance needs, so it is preferred, else the first instance in the file.
        // Grouped once, in order of first appearance (a file may hold thousands of packets).
        var groups: [Int: [JUMBFPart]] = [:]
        var order: [Int] = []
        for part in jumbfParts {
            if groups[part.instance] == nil { order.append(part.instance) }
            groups[part.instance, default: []].append(part)
        }
        let c2pa = order.first { instance in
            guard let head = groups[instance]?.min(by: { $0.sequence < $1.sequence }) else { return false }
            let window = b.bytes[head.box.lowerBound..<min(head.box.upperBound, head.box.lowerBound + 80)]
            return Self.contains(Array(window), Array("c2pa\0".utf8))
        }
        let chosen = c2pa ?? firstPart.instance
        var parts = groups[chosen] ?? []
        parts.sort { $0.sequence < $1.sequence }
        guard let head = parts.first else { return }
        do {
            var reader = try ByteReader.over(b.bytes, from: head.box.lowerBound, to: head.box.upperBound)
            let lBox = try reader.readUInt32BE("JUMBF LBox")
            _ = try reader.readUInt32BE("JUMBF TBox")
            let headerLength = lBox == 1 ? 16 : 8
            let declared: UInt64? = lBox == 1 ? try reader.readUInt64BE("JUMBF XLBox") : (lBox == 0 ? nil : UInt64(lBox))
            var gathered = GatheredBytes(limit: b.limits.maxReassembledSize)
            var previous: Int?
            for part in parts {
                if let previous {
                    if part.sequence == previous {
                        b.issue("inconsistent-segments", at: part.segment, "JUMBF packet sequence number \(part.sequence) repeated (skipped)")
                        continue
                    }
                    if part.sequence != previous + 1 {
                        b.issue("incomplete", at: part.segment, "JUMBF packets \(previous + 1)…\(part.sequence - 1) are missing")
                    }
                }
                previous = part.sequence
                // Continuation packets repeat the box header; only the first keeps it.
                let range = part.sequence == head.sequence ? part.box
                    : min(part.box.lowerBound + headerLength, part.box.upperBound)..<part.box.upperBound
                if !gathered.append(b.bytes, range) {
                    let cap = b.limits.maxReassembledSize
                    b.issue("reassembly-limit", at: part.segment,
                            "JUMBF box larger than \(cap) bytes; the rest was dropped")
                    break
                }
            }
            if let declared, declared != UInt64(gathered.bytes.count) {
                b.issue("incomplete", at: head.segment,
                        "JUMBF box declares \(declared) bytes, its packets hold \(gathered.bytes.count)")
            }
            b.result.jumbf = gathered.bytes
            b.result.jumbfOffset = head.box.lowerBound
        } catch {
            b.issue(error, context: "APP11 JUMBF box header")
        }
    }

    /// The GUID in `xmpNote:HasExtendedXMP`, as attribute (`="…"`) or element (`>…<`).
    static func declaredExtendedXMPGUID(_ xmp: [UInt8]) -> [UInt8]? {
        let key = Array("HasExtendedXMP".utf8)
        guard let found = firstIndex(of: key, in: xmp) else { return nil }
        var position = found + key.count
        // Skip `="`, `='` or `>` and any blanks before the value.
        var skipped = 0
        while position < xmp.count, skipped < 8, [0x3D, 0x22, 0x27, 0x3E, 0x20, 0x0A, 0x0D, 0x09].contains(xmp[position]) {
            position += 1
            skipped += 1
        }
        guard position + 32 <= xmp.count else { return nil }
        let guid = Array(xmp[position..<(position + 32)])
        let isHex = guid.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
        return isHex ? guid : nil
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack.matches(needle, at: start) { return start }
        }
        return nil
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool { firstIndex(of: needle, in: haystack) != nil }

    /// How many positions the (possibly overlapping) ranges cover together.
    static func coveredCount(_ ranges: [Range<Int>]) -> Int {
        var total = 0
        var reach = Int.min
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let start = max(range.lowerBound, reach)
            if range.upperBound > start { total += range.upperBound - start }
            reach = max(reach, range.upperBound)
        }
        return total
    }
}
