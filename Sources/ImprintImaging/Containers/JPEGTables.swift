import ImprintBytes

/// Parsers for the JPEG table and frame segments: DQT, DHT and SOFn.
enum JPEGTables {
    /// `naturalIndex[k]` is the row-major position (row * 8 + column) of the k-th coefficient
    /// in zigzag order, the order DQT stores its values in (ITU T.81 Figure A.6). It is
    /// derived rather than typed in: the zigzag walks the anti-diagonals row + column = s,
    /// going up and to the right on even s and down and to the left on odd s.
    static let naturalIndex: [Int] = {
        var order: [Int] = []
        order.reserveCapacity(64)
        for s in 0..<15 {
            let rows = max(0, s - 7)...min(s, 7)
            let walk = s % 2 == 0 ? Array(rows.reversed()) : Array(rows)
            for row in walk { order.append(row * 8 + (s - row)) }
        }
        return order
    }()

    /// DQT: one or more tables, each `Pq|Tq` then 64 values of 8 (Pq 0) or 16 (Pq 1) bits.
    static func parseDQT(_ b: inout ContainerBuilder, payload: Range<Int>) {
        do {
            var reader = try ByteReader.over(b.bytes, from: payload.lowerBound, to: payload.upperBound)
            while !reader.isAtEnd {
                let tableOffset = reader.offset
                let pqTq = try reader.readUInt8("DQT Pq/Tq")
                let precision = Int(pqTq >> 4), id = Int(pqTq & 0x0F)
                guard precision <= 1 else {
                    b.issue("bad-table", at: tableOffset, "DQT table with precision code \(precision) (only 0 and 1 exist)")
                    return
                }
                if id > 3 { b.issue("bad-table", at: tableOffset, "DQT table id \(id) (only 0–3 exist)") }
                var natural = [UInt16](repeating: 0, count: 64)
                for k in 0..<64 {
                    let value = precision == 0 ? UInt16(try reader.readUInt8("DQT value")) : try reader.readUInt16BE("DQT value")
                    natural[naturalIndex[k]] = value
                }
                if natural.contains(0) {
                    b.issue("bad-table", at: tableOffset, "DQT table \(id) holds a zero quantisation value")
                }
                b.result.quantizationTables.append(QuantizationTable(
                    id: id, precision: precision == 0 ? 8 : 16, values: natural, offset: tableOffset))
            }
        } catch {
            b.issue(error, context: "DQT segment")
        }
    }

    /// DHT: one or more tables, each `Tc|Th`, 16 code-length counts, then that many values.
    static func parseDHT(_ b: inout ContainerBuilder, payload: Range<Int>) {
        do {
            var reader = try ByteReader.over(b.bytes, from: payload.lowerBound, to: payload.upperBound)
            while !reader.isAtEnd {
                let tableOffset = reader.offset
                let tcTh = try reader.readUInt8("DHT Tc/Th")
                if tcTh >> 4 > 1 || tcTh & 0x0F > 3 {
                    b.issue("bad-table", at: tableOffset, "DHT table class/id byte 0x\(TextDecoding.hex([tcTh]))")
                }
                let counts = try reader.readBytes(16, "DHT code-length counts")
                let total = counts.reduce(0) { $0 + Int($1) }
                if total > 256 { b.issue("bad-table", at: tableOffset, "DHT table declares \(total) codes (at most 256)") }
                let values = try reader.readBytes(total, "DHT values")
                b.result.huffmanTableCount += 1
                if b.result.huffmanTables.count < 64 {
                    b.result.huffmanTables.append(HuffmanTable(tableClass: Int(tcTh >> 4), id: Int(tcTh & 0x0F),
                                                               counts: Array(counts), values: Array(values), offset: tableOffset))
                }
            }
        } catch {
            b.issue(error, context: "DHT segment")
        }
    }

    /// SOFn: precision, height, width, then per component its id, sampling factors and
    /// quantisation table. Only the first frame header is kept (the main image's).
    static func parseSOF(_ b: inout ContainerBuilder, marker: UInt8, segmentOffset: Int, payload: Range<Int>) {
        guard b.result.jpegFrame == nil else { return }
        do {
            var reader = try ByteReader.over(b.bytes, from: payload.lowerBound, to: payload.upperBound)
            let precision = Int(try reader.readUInt8("SOF precision"))
            let height = Int(try reader.readUInt16BE("SOF height"))
            let width = Int(try reader.readUInt16BE("SOF width"))
            let count = Int(try reader.readUInt8("SOF component count"))
            var components: [JPEGFrame.Component] = []
            for _ in 0..<count {
                let id = Int(try reader.readUInt8("component id"))
                let sampling = try reader.readUInt8("component sampling")
                let table = Int(try reader.readUInt8("component table"))
                components.append(.init(id: id, horizontalSampling: Int(sampling >> 4),
                                        verticalSampling: Int(sampling & 0x0F), quantizationTable: table))
            }
            b.result.jpegFrame = JPEGFrame(marker: JPEGMarker.name(marker), process: JPEGMarker.process(ofSOF: marker),
                                           precision: precision, width: width, height: height,
                                           components: components, offset: segmentOffset)
            if width == 0 { b.issue("bad-dimensions", at: segmentOffset, "frame header declares width 0") }
            if height == 0 {
                // T.81 allows height 0 when a DNL segment after the first scan gives it.
                b.issue("bad-dimensions", at: segmentOffset, "frame header declares height 0 (to be set by DNL)")
            }
            b.result.width = width > 0 ? width : nil
            b.result.height = height > 0 ? height : nil
            if count == 0 { b.issue("bad-table", at: segmentOffset, "frame header with no components") }
        } catch {
            b.issue(error, context: "SOF segment")
        }
    }
}
