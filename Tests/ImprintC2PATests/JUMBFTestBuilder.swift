import Foundation

/// Builds JUMBF boxes and JPEG APP11 packets for hand-made hostile inputs.
enum JUMBFTestBuilder {
    static func u32(_ v: Int) -> [UInt8] { [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func u16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func u64(_ v: Int) -> [UInt8] { u32(v >> 32) + u32(v & 0xFFFF_FFFF) }

    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] { u32(payload.count + 8) + Array(type.utf8) + payload }

    static func uuid(_ fourCC: String) -> [UInt8] {
        Array(fourCC.utf8) + [0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
    }

    static func description(_ fourCC: String, label: String) -> [UInt8] {
        box("jumd", uuid(fourCC) + [0x03] + Array(label.utf8) + [0])
    }

    static func superbox(_ fourCC: String, label: String, _ children: [[UInt8]]) -> [UInt8] {
        box("jumb", description(fourCC, label: label) + children.flatMap { $0 })
    }

    /// A JPEG (SOI, the given segments, a tiny frame-less body, EOI).
    static func jpeg(segments: [[UInt8]]) -> [UInt8] {
        [0xFF, 0xD8] + segments.flatMap { $0 } + [0xFF, 0xD9]
    }

    /// One APP11 packet: `FF EB | Le | "JP" | En | Z | data` where `data` is the box bytes
    /// this packet carries (the caller repeats the box header for continuation packets).
    static func app11(instance: Int, sequence: Int, _ data: [UInt8]) -> [UInt8] {
        let content = Array("JP".utf8) + u16(instance) + u32(sequence) + data
        return [0xFF, 0xEB] + u16(content.count + 2) + content
    }

    /// Splits a store into APP11 packets the way the spec describes: packet 1 carries the
    /// box from its header, later ones repeat the header (8 bytes, or 16 with XLBox).
    static func packets(_ store: [UInt8], instance: Int = 0x0211, chunk: Int, xlBox: Bool = false) -> [[UInt8]] {
        let header = xlBox ? 16 : 8
        let head = Array(store[0..<header])
        var out: [[UInt8]] = []
        var position = 0
        var sequence = 1
        while position < store.count {
            let end = min(store.count, position + chunk)
            let data = sequence == 1 ? Array(store[position..<end]) : head + Array(store[position..<end])
            out.append(app11(instance: instance, sequence: sequence, data))
            position = end
            sequence += 1
        }
        return out
    }

    /// The store of a single-packet JPEG like C.jpg (APP11 at `offset`).
    static func storeOfSinglePacketJPEG(_ bytes: [UInt8], at offset: Int) -> [UInt8] {
        let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        return Array(bytes[(offset + 4 + 8)..<(offset + 2 + length)])
    }

    /// Rewrites a store's top-level header to use an XLBox (LBox = 1).
    static func withXLBox(_ store: [UInt8]) -> [UInt8] {
        let payload = Array(store[8...])
        return u32(1) + Array("jumb".utf8) + u64(payload.count + 16) + payload
    }
}

/// A small deterministic generator (SplitMix64): the same mutations on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
