/// Recognises APPn payloads by their signatures and collects the pieces of metadata that
/// span several segments (ICC, extended XMP, Photoshop IRB, JUMBF) for reassembly once the
/// whole file has been walked.
struct JPEGAppSegments {
    static let jfif = Array("JFIF\0".utf8)
    static let jfxx = Array("JFXX\0".utf8)
    static let exif = Array("Exif\0\0".utf8)
    static let xmp = Array("http://ns.adobe.com/xap/1.0/\0".utf8)
    static let extendedXMP = Array("http://ns.adobe.com/xmp/extension/\0".utf8)
    static let icc = Array("ICC_PROFILE\0".utf8)
    static let mpf = Array("MPF\0".utf8)
    static let fpxr = Array("FPXR\0".utf8)
    static let jumbf: [UInt8] = [0x4A, 0x50]  // "JP", the JPEG XT / JUMBF common identifier
    static let ducky = Array("Ducky".utf8)
    static let photoshop = Array("Photoshop 3.0\0".utf8)
    static let adobe = Array("Adobe".utf8)

    struct ICCPart { var sequence: Int; var count: Int; var data: Range<Int> }
    struct ExtendedXMPPart { var guid: [UInt8]; var fullLength: Int; var chunkOffset: Int; var data: Range<Int>; var segment: Int }
    struct JUMBFPart { var instance: Int; var sequence: Int; var box: Range<Int>; var segment: Int }

    var iccParts: [ICCPart] = []
    var extendedXMPParts: [ExtendedXMPPart] = []
    var photoshopRanges: [Range<Int>] = []
    var jumbfParts: [JUMBFPart] = []

    /// Identifies an APPn payload, records what a single segment can tell, and keeps the
    /// multi-segment pieces. Returns the `identifiedAs` label (nil when unrecognised).
    mutating func identify(_ b: inout ContainerBuilder, marker: UInt8, segmentOffset: Int, payload: Range<Int>) -> String? {
        let bytes = b.bytes
        let start = payload.lowerBound
        func has(_ signature: [UInt8]) -> Bool {
            signature.count <= payload.count && bytes.matches(signature, at: start)
        }
        switch marker - JPEGMarker.app0 {
        case 0:
            if has(Self.jfif) { b.result.hasJFIF = true; return "JFIF" }
            if has(Self.jfxx) { return "JFXX" }
        case 1:
            if has(Self.exif) {
                let data = (start + Self.exif.count)..<payload.upperBound
                if b.result.exif == nil {
                    b.result.exif = Array(bytes[data])
                    b.result.exifOffset = data.lowerBound
                    if !(bytes.matches([0x49, 0x49, 0x2A, 0x00], at: data.lowerBound)
                        || bytes.matches([0x4D, 0x4D, 0x00, 0x2A], at: data.lowerBound)) {
                        b.issue("bad-exif-header", at: data.lowerBound, "EXIF block does not start with a TIFF header")
                    }
                } else {
                    b.issue("duplicate-metadata", at: segmentOffset, "a second EXIF APP1 segment (the first is used)")
                }
                return "EXIF"
            }
            if has(Self.xmp) {
                let data = (start + Self.xmp.count)..<payload.upperBound
                if b.result.xmp == nil {
                    b.result.xmp = Array(bytes[data])
                    b.result.xmpOffset = data.lowerBound
                } else {
                    b.issue("duplicate-metadata", at: segmentOffset, "a second XMP APP1 segment (the first is used)")
                }
                return "XMP"
            }
            if has(Self.extendedXMP) {
                collectExtendedXMP(&b, segmentOffset: segmentOffset, from: start + Self.extendedXMP.count, to: payload.upperBound)
                return "ExtendedXMP"
            }
        case 2:
            if has(Self.icc) {
                let header = start + Self.icc.count
                if header + 2 <= payload.upperBound {
                    iccParts.append(ICCPart(sequence: Int(bytes[header]), count: Int(bytes[header + 1]),
                                            data: (header + 2)..<payload.upperBound))
                } else {
                    b.issue("truncated", at: segmentOffset, "ICC_PROFILE segment too short for its sequence numbers")
                }
                return "ICC"
            }
            if has(Self.mpf) { return "MPF" }
            if has(Self.fpxr) { return "FPXR" }
        case 11:
            if has(Self.jumbf) {
                collectJUMBF(&b, segmentOffset: segmentOffset, payload: payload)
                return "JUMBF"
            }
        case 12:
            if has(Self.ducky) { return "Ducky" }
        case 13:
            if has(Self.photoshop) {
                photoshopRanges.append((start + Self.photoshop.count)..<payload.upperBound)
                return "PhotoshopIRB"
            }
        case 14:
            if has(Self.adobe) { b.result.hasAdobe = true; return "Adobe" }
        default:
            break
        }
        return nil
    }

    /// Extended XMP chunk: 32-byte GUID (hex of the MD5 of the full packet), 4-byte full
    /// length, 4-byte offset of this chunk in the full packet, then the chunk's bytes.
    private mutating func collectExtendedXMP(_ b: inout ContainerBuilder, segmentOffset: Int, from start: Int, to end: Int) {
        guard end - start >= 40 else {
            b.issue("truncated", at: segmentOffset, "extended XMP segment too short for its GUID, length and offset")
            return
        }
        let bytes = b.bytes
        let guid = Array(bytes[start..<(start + 32)])
        let fullLength = Int(UInt32(bytes[start + 32]) << 24 | UInt32(bytes[start + 33]) << 16
                             | UInt32(bytes[start + 34]) << 8 | UInt32(bytes[start + 35]))
        let chunkOffset = Int(UInt32(bytes[start + 36]) << 24 | UInt32(bytes[start + 37]) << 16
                              | UInt32(bytes[start + 38]) << 8 | UInt32(bytes[start + 39]))
        extendedXMPParts.append(ExtendedXMPPart(guid: guid, fullLength: fullLength, chunkOffset: chunkOffset,
                                                data: (start + 40)..<end, segment: segmentOffset))
    }

    /// JUMBF in APP11 (ISO/IEC 19566-5): "JP", 2-byte box instance, 4-byte packet sequence
    /// number, then the box (LBox, TBox, optional XLBox, payload), its header repeated in
    /// every packet.
    private mutating func collectJUMBF(_ b: inout ContainerBuilder, segmentOffset: Int, payload: Range<Int>) {
        let bytes = b.bytes
        let start = payload.lowerBound
        guard payload.count >= 16 else {
            b.issue("truncated", at: segmentOffset, "APP11 JUMBF packet too short for its headers")
            return
        }
        let instance = Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])
        let sequence = Int(UInt32(bytes[start + 4]) << 24 | UInt32(bytes[start + 5]) << 16
                           | UInt32(bytes[start + 6]) << 8 | UInt32(bytes[start + 7]))
        jumbfParts.append(JUMBFPart(instance: instance, sequence: sequence,
                                    box: (start + 8)..<payload.upperBound, segment: segmentOffset))
    }
}
