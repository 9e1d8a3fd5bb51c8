import ImprintBytes

/// The IFD walk of `TIFFStructure`: a work list of IFD offsets, each visited once (a
/// loop of IFD pointers is a classic hostile file), at most `maxIFDs` of them.
struct TIFFWalker {
    struct Entry {
        var tag: Int
        var type: Int
        var count: UInt64
        /// Absolute range of the value bytes (inline in the entry or at its offset).
        var value: Range<Int>?
        var entryOffset: Int
    }

    var reader: TIFFReader
    private var visited: Set<Int> = []
    private var queue: [(offset: UInt64, name: String, from: Int)] = []
    private var queueFullReported = false

    init(reader: TIFFReader) { self.reader = reader }

    mutating func walk(_ b: inout ContainerBuilder, firstIFD: UInt64) {
        queue = [(firstIFD, "IFD0", 0)]
        var ifdCount = 0
        var index = 0
        while index < queue.count, b.hasRoom(at: Int(clamping: queue[index].offset)) {
            let (rawOffset, name, from) = queue[index]
            index += 1
            guard rawOffset < UInt64(b.bytes.count) else {
                b.issue("bad-offset", at: from, "\(name) offset \(rawOffset) lies beyond the end of the file")
                continue
            }
            let offset = Int(rawOffset)
            guard visited.insert(offset).inserted else {
                b.issue("ifd-loop", at: from, "\(name) points back to the IFD at \(offset), already read")
                continue
            }
            ifdCount += 1
            guard ifdCount <= b.limits.maxIFDs else {
                let cap = b.limits.maxIFDs
                b.issue("too-many-ifds", at: offset, "more than \(cap) IFDs; the rest were not read")
                return
            }
            readIFD(&b, at: offset, name: name)
        }
    }

    private mutating func readIFD(_ b: inout ContainerBuilder, at offset: Int, name: String) {
        do {
            var r = try reader.at(offset)
            let declared = try reader.countField(&r)
            let available = UInt64(r.remaining / reader.entrySize)
            var count = Int(min(declared, available, UInt64(b.limits.maxIFDEntries)))
            if declared > available {
                b.issue("truncated", at: offset, "\(name) declares \(declared) entries, only \(available) fit in the file")
            } else if declared > UInt64(b.limits.maxIFDEntries) {
                let cap = b.limits.maxIFDEntries
                b.issue("too-many-entries", at: offset, "\(name) declares \(declared) entries; only the first \(cap) were read")
            }
            count = max(0, count)
            var entries: [Entry] = []
            for _ in 0..<count { entries.append(try readEntry(&r)) }
            let entriesEnd = r.offset
            var next: UInt64 = 0
            var end = entriesEnd
            // The next-IFD offset follows all declared entries, read or not.
            if declared <= available {
                var tail = try reader.at(offset + reader.countSize + Int(declared) * reader.entrySize)
                if tail.remaining >= reader.offsetSize {
                    next = try reader.offsetField(&tail)
                    end = tail.offset
                } else {
                    b.issue("truncated", at: tail.offset, "\(name) ends before its next-IFD offset")
                }
            }
            b.add(name: name, identifiedAs: nil, offset: offset, length: max(end, entriesEnd) - offset,
                  payloadOffset: offset + reader.countSize, payloadLength: entriesEnd - offset - reader.countSize)
            for entry in entries { interpret(&b, entry, in: name) }
            if next != 0 {
                if let index = name.hasPrefix("IFD") ? Int(name.dropFirst(3)) : nil {
                    enqueue(&b, next, "IFD\(index + 1)", from: offset)
                } else {
                    enqueue(&b, next, name + ".next", from: offset)
                }
            }
        } catch {
            b.issue(error, context: "\(name)")
        }
    }

    /// Adds an IFD to the work list. No more than `maxIFDs` IFDs are ever read, so the list
    /// is capped too (a few SubIFD tags could otherwise queue millions of pointers).
    @discardableResult
    private mutating func enqueue(_ b: inout ContainerBuilder, _ offset: UInt64, _ name: String, from: Int) -> Bool {
        guard queue.count < 2 * max(1, b.limits.maxIFDs) else {
            if !queueFullReported {
                queueFullReported = true
                let cap = b.limits.maxIFDs
                b.issue("too-many-ifds", at: from, "more IFD pointers than the \(cap)-IFD limit allows; the rest were not followed")
            }
            return false
        }
        queue.append((offset, name, from))
        return true
    }

    private func readEntry(_ r: inout ByteReader) throws(ByteReaderError) -> Entry {
        let entryOffset = r.offset
        let tag = Int(try reader.u16(&r))
        let type = Int(try reader.u16(&r))
        let count = reader.big ? try reader.u64(&r) : UInt64(try reader.u32(&r))
        let fieldOffset = r.offset
        let field = try reader.offsetField(&r)
        let typeSize = TIFFReader.typeSize(type)
        var value: Range<Int>?
        let (size, overflow) = count.multipliedReportingOverflow(by: UInt64(typeSize))
        if typeSize > 0, !overflow {
            if size <= UInt64(reader.offsetSize) {
                value = fieldOffset..<(fieldOffset + Int(size))
            } else if field < UInt64(reader.bytes.count), size <= UInt64(reader.bytes.count) - field {
                value = Int(field)..<(Int(field) + Int(size))
            }
        }
        return Entry(tag: tag, type: type, count: count, value: value, entryOffset: entryOffset)
    }

    private mutating func interpret(_ b: inout ContainerBuilder, _ entry: Entry, in ifd: String) {
        if ifd == "IFD0", entry.tag == 256 || entry.tag == 257, let number = firstInteger(entry) {
            if entry.tag == 256 { b.result.width = number } else { b.result.height = number }
        }
        if let childName = TIFFStructure.pointerTags[entry.tag] {
            enqueuePointers(&b, entry, childName: childName, parent: ifd)
            return
        }
        guard let label = TIFFStructure.payloadTags[entry.tag] else { return }
        guard let value = entry.value else {
            b.issue("bad-offset", at: entry.entryOffset, "\(ifd) tag \(entry.tag) (\(label)) value lies outside the file")
            return
        }
        b.add(name: "tag \(entry.tag)", identifiedAs: label, offset: value.lowerBound, length: value.count,
              payloadOffset: value.lowerBound, payloadLength: value.count)
        let data = Array(b.bytes[value])
        switch entry.tag {
        case 700 where b.result.xmp == nil:
            b.result.xmp = data
            b.result.xmpOffset = value.lowerBound
        case 33723 where b.result.iptc == nil:
            b.result.iptc = data
            b.result.iptcOffset = value.lowerBound
        case 34377 where b.result.iptc == nil:
            let walk = PhotoshopIRB.walk(data)
            for (position, message) in walk.problems { b.issue("bad-irb", at: value.lowerBound + position, message) }
            if let iptc = walk.resources.first(where: { $0.id == PhotoshopIRB.iptcResource }) {
                b.result.iptc = Array(data[iptc.data])
                b.result.iptcOffset = value.lowerBound + iptc.data.lowerBound
            }
        case 34675 where b.result.icc == nil:
            b.result.icc = data
            b.result.iccOffset = value.lowerBound
        case 52545 where b.result.jumbf == nil:
            b.result.jumbf = data
            b.result.jumbfOffset = value.lowerBound
        default:
            break
        }
    }

    /// IFD pointers are LONG/IFD (4 bytes) or LONG8/IFD8 (8 bytes); SubIFDs may hold several.
    private mutating func enqueuePointers(_ b: inout ContainerBuilder, _ entry: Entry, childName: String, parent: String) {
        guard let value = entry.value, [4, 13, 16, 18].contains(entry.type) else {
            b.issue("bad-offset", at: entry.entryOffset, "\(parent) pointer tag \(entry.tag) has type \(entry.type) or lies outside the file")
            return
        }
        let width = TIFFReader.typeSize(entry.type)
        let prefix = parent == "IFD0" ? "" : parent + "/"
        let many = entry.count > 1
        var index = 0
        var position = value.lowerBound
        while position + width <= value.upperBound, index < b.limits.maxIFDs {
            guard var r = try? reader.at(position),
                  let pointer = width == 8 ? try? reader.u64(&r) : (try? reader.u32(&r)).map(UInt64.init) else { break }
            guard enqueue(&b, pointer, prefix + childName + (many || entry.tag == 330 ? "\(index)" : ""), from: entry.entryOffset) else { return }
            index += 1
            position += width
        }
    }

    private func firstInteger(_ entry: Entry) -> Int? {
        guard let value = entry.value, var r = try? reader.at(value.lowerBound) else { return nil }
        switch entry.type {
        case 3: return (try? reader.u16(&r)).map(Int.init)
        case 4: return (try? reader.u32(&r)).map(Int.init)
        default: return nil
        }
    }
}
