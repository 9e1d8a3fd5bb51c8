#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImprintBytes

/// Walks a JPEG's marker segments (ITU T.81 Annex B): SOI, the table and APPn segments,
/// each SOS followed by its entropy-coded data, up to the main image's EOI. Everything
/// after that EOI (an MPF second image, an appended archive, padding) is trailing data.
enum JPEGSegments {
    static func parse(_ b: inout ContainerBuilder) {
        let bytes = b.bytes
        guard bytes.count >= 2 else {
            b.issue("truncated", at: 0, "file ends before the SOI marker")
            return
        }
        guard bytes[0] == 0xFF, bytes[1] == JPEGMarker.soi else {
            b.issue("bad-signature", at: 0, "file does not start with the SOI marker FF D8")
            return
        }
        b.add(name: "SOI", offset: 0, length: 2, payloadOffset: 2, payloadLength: 0)
        var app = JPEGAppSegments()
        walkSegments(&b, from: 2, app: &app)
        app.reassemble(into: &b)
    }

    private static func walkSegments(_ b: inout ContainerBuilder, from start: Int, app: inout JPEGAppSegments) {
        let bytes = b.bytes
        var position = start
        var sawScan = false
        while b.hasRoom(at: position) {
            guard position < bytes.count else {
                b.issue("truncated", at: position, "file ends without an EOI marker")
                return
            }
            if bytes[position] != 0xFF {
                // Garbage between segments: libjpeg warns and skips to the next marker; so do we.
                guard let next = resynchronise(bytes, from: position) else {
                    b.issue("truncated", at: position, "no marker in the \(bytes.count - position) bytes before the end of the file, and no EOI")
                    return
                }
                b.issue("unexpected-data", at: position, "\(next - position) bytes that belong to no segment")
                position = next
            }
            // Any number of 0xFF fill bytes may precede the marker code (T.81 B.1.1.2).
            var codeIndex = position + 1
            while codeIndex < bytes.count, bytes[codeIndex] == 0xFF { codeIndex += 1 }
            guard codeIndex < bytes.count else {
                b.issue("truncated", at: position, "file ends inside a marker")
                return
            }
            let code = bytes[codeIndex]
            let markerOffset = codeIndex - 1
            if code < 0xC0 && code != JPEGMarker.tem {
                // FF 00 (stuffing) or a reserved code cannot start a segment here; a reserved
                // code's "length" would be arbitrary bytes, so resynchronise instead.
                b.issue(code == 0 ? "unexpected-data" : "unexpected-marker", at: markerOffset,
                        code == 0 ? "stuffed byte FF 00 outside entropy-coded data" : "reserved marker code 0x\(TextDecoding.hex([code]))")
                guard let next = resynchronise(bytes, from: codeIndex + 1) else {
                    b.issue("truncated", at: codeIndex + 1, "no marker after damaged data, and no EOI")
                    return
                }
                position = next
                continue
            }
            let name = JPEGMarker.name(code)
            if code == JPEGMarker.soi && sawScan {
                // A new image starts before this one ended: the main image is cut short, and
                // what follows (another JPEG) is reported as trailing data, not mixed into it.
                b.issue("truncated", at: markerOffset, "a new SOI marker before EOI: the image ends early and another begins")
                b.setTrailing(from: markerOffset)
                return
            }
            if JPEGMarker.isStandalone(code) {
                b.add(name: name, offset: markerOffset, length: 2, payloadOffset: codeIndex + 1, payloadLength: 0)
                if code == JPEGMarker.eoi {
                    b.setTrailing(from: codeIndex + 1)
                    return
                }
                b.issue("unexpected-marker", at: markerOffset, "\(name) where a marker segment was expected")
                position = codeIndex + 1
                continue
            }
            guard codeIndex + 2 < bytes.count else {
                b.issue("truncated", at: markerOffset, "file ends inside the length of \(name)")
                return
            }
            let length = Int(bytes[codeIndex + 1]) << 8 | Int(bytes[codeIndex + 2])
            guard length >= 2 else {
                b.issue("bad-length", at: markerOffset, "\(name) declares length \(length) (at least 2)")
                return
            }
            let payload = (codeIndex + 3)..<(codeIndex + 1 + length)
            guard payload.upperBound <= bytes.count else {
                b.issue("truncated", at: markerOffset,
                        "\(name) declares \(length - 2) payload bytes, only \(bytes.count - payload.lowerBound) remain")
                return
            }
            let identified = interpret(&b, code: code, segmentOffset: markerOffset, payload: payload, app: &app)
            b.add(name: name, identifiedAs: identified, offset: markerOffset, length: payload.upperBound - markerOffset,
                  payloadOffset: payload.lowerBound, payloadLength: payload.count)
            position = payload.upperBound
            if code == JPEGMarker.sos {
                sawScan = true
                var corrupt = CorruptCodes()
                let next = nextMarker(bytes, from: position, inEntropyData: true, corrupt: &corrupt)
                if let first = corrupt.first {
                    b.issue("corrupt-entropy-data", at: first,
                            "\(corrupt.count) reserved marker code(s) inside entropy-coded data, skipped as damaged data")
                }
                guard let next else {
                    b.issue("truncated", at: position, "entropy-coded data runs to the end of the file without an EOI marker")
                    return
                }
                position = next
            }
        }
        // The element cap stopped the walk; `hasRoom` has recorded why.
    }

    /// Reads what one segment says; returns the APPn identification.
    private static func interpret(_ b: inout ContainerBuilder, code: UInt8, segmentOffset: Int, payload: Range<Int>,
                                  app: inout JPEGAppSegments) -> String? {
        switch code {
        case JPEGMarker.dqt:
            JPEGTables.parseDQT(&b, payload: payload)
        case JPEGMarker.dht:
            JPEGTables.parseDHT(&b, payload: payload)
        case _ where JPEGMarker.isSOF(code):
            JPEGTables.parseSOF(&b, marker: code, segmentOffset: segmentOffset, payload: payload)
        case _ where JPEGMarker.isAPP(code):
            return app.identify(&b, marker: code, segmentOffset: segmentOffset, payload: payload)
        case 0xDD where b.result.restartInterval == nil && payload.count >= 2:  // DRI
            b.result.restartInterval = Int(b.bytes[payload.lowerBound]) << 8 | Int(b.bytes[payload.lowerBound + 1])
        case JPEGMarker.com:
            var text = b.bytes[payload]
            // Many writers NUL-terminate the comment; the terminator is not part of it.
            while text.last == 0 { text = text.dropLast() }
            b.result.comments.append((offset: segmentOffset, text: TextDecoding.utf8OrLatin1(text)))
        default:
            break
        }
        return nil
    }

    /// The offset of the next 0xFF that starts a marker, from `start`. In entropy-coded
    /// data a 0xFF followed by 0x00 is a stuffed data byte and RST0–7 belong to the scan,
    /// so neither ends it; a run of 0xFF is fill before the marker code.
    static func nextMarker(_ bytes: [UInt8], from start: Int, inEntropyData: Bool) -> Int? {
        var ignored = CorruptCodes()
        return nextMarker(bytes, from: start, inEntropyData: inEntropyData, corrupt: &ignored)
    }

    /// After damage, the next marker that can start a segment: like the end of a scan, this
    /// passes over stuffing, RSTn and reserved codes, so a long damaged stretch costs one
    /// issue rather than one per stray 0xFF.
    static func resynchronise(_ bytes: [UInt8], from start: Int) -> Int? {
        nextMarker(bytes, from: start, inEntropyData: true)
    }

    /// Marker codes below 0xC0 (other than TEM) are reserved and never follow a scan; one in
    /// entropy-coded data is a damaged byte, not the end of the scan. Treating it as a
    /// marker would send the walk into the image data and report thousands of bogus segments.
    struct CorruptCodes {
        var count = 0
        var first: Int?
    }

    static func nextMarker(_ bytes: [UInt8], from start: Int, inEntropyData: Bool, corrupt: inout CorruptCodes) -> Int? {
        var position = max(start, 0)
        while position < bytes.count {
            guard let ff = firstFF(bytes, from: position) else { return nil }
            let next = ff + 1
            guard next < bytes.count else { return nil }
            let code = bytes[next]
            if code == 0xFF {
                position = next
            } else if code == 0x00 || (inEntropyData && JPEGMarker.isRST(code)) {
                position = next + 1
            } else if inEntropyData && code < 0xC0 {
                corrupt.count += 1
                if corrupt.first == nil { corrupt.first = ff }
                position = next + 1
            } else {
                return ff
            }
        }
        return nil
    }

    /// The index of the first 0xFF at or after `start` (< bytes.count), by memchr: the
    /// scan over a 5 MB photograph's entropy-coded data is one of the larger per-file
    /// costs of parsing, and a generic element-by-element search is several times slower.
    private static func firstFF(_ bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress, start < buffer.count,
                  let hit = memchr(base + start, 0xFF, buffer.count - start) else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
        }
    }
}
