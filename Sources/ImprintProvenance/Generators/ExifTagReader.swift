/// A raw walk of IFD0 and the Exif IFD of a TIFF-structured EXIF block. The generator rules
/// need what libexif does not give: each value's byte offset in the file, the block's byte
/// order (for UserComment), and values beyond libexif's 64 KiB window (ComfyUI writes whole
/// workflows into Make and Model). Every offset and count is checked against the block.
enum ExifTagReader {
    struct Entry: Sendable {
        var directory: ExifDirectory
        var tag: UInt16
        var type: UInt16
        var value: ArraySlice<UInt8>
        /// Absolute offset of the value bytes in the file.
        var offset: Int
    }

    struct Contents: Sendable {
        var littleEndian: Bool
        var entries: [Entry]
    }

    static let maxEntriesPerIFD = 1_024
    static let exifIFDPointer: UInt16 = 0x8769

    /// TIFF field type sizes (TIFF 6.0 §2, plus type 13 IFD).
    static func size(ofType type: UInt16) -> Int? {
        switch type {
        case 1, 2, 6, 7: return 1
        case 3, 8: return 2
        case 4, 9, 11, 13: return 4
        case 5, 10, 12: return 8
        default: return nil
        }
    }

    static func read(_ tiff: [UInt8], baseOffset: Int) -> Contents? {
        guard tiff.count >= 8 else { return nil }
        let little: Bool
        if tiff[0] == 0x49, tiff[1] == 0x49, tiff[2] == 0x2A, tiff[3] == 0 { little = true }
        else if tiff[0] == 0x4D, tiff[1] == 0x4D, tiff[2] == 0, tiff[3] == 0x2A { little = false }
        else { return nil }
        func u16(_ at: Int) -> UInt16? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return little ? UInt16(tiff[at]) | UInt16(tiff[at + 1]) << 8 : UInt16(tiff[at]) << 8 | UInt16(tiff[at + 1])
        }
        func u32(_ at: Int) -> UInt32? {
            guard at >= 0, at + 4 <= tiff.count else { return nil }
            let b = (0..<4).map { UInt32(tiff[at + $0]) }
            return little ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
        }
        var entries: [Entry] = []
        var visited: Set<Int> = []
        func walk(_ ifdOffset: Int, _ directory: ExifDirectory) -> Int? {
            guard visited.insert(ifdOffset).inserted, let declared = u16(ifdOffset) else { return nil }
            var exifPointer: Int?
            for index in 0..<min(Int(declared), maxEntriesPerIFD) {
                let entry = ifdOffset + 2 + index * 12
                guard let tag = u16(entry), let type = u16(entry + 2), let count = u32(entry + 4) else { break }
                if tag == exifIFDPointer, directory == .ifd0, let pointer = u32(entry + 8) {
                    exifPointer = Int(pointer)
                    continue
                }
                guard let unit = size(ofType: type) else { continue }
                let (total, overflow) = Int(count).multipliedReportingOverflow(by: unit)
                guard !overflow, total <= tiff.count else { continue }
                let start: Int
                if total <= 4 { start = entry + 8 } else {
                    guard let pointer = u32(entry + 8) else { continue }
                    start = Int(pointer)
                }
                guard start >= 0, start + total <= tiff.count else { continue }
                entries.append(Entry(directory: directory, tag: tag, type: type, value: tiff[start..<(start + total)],
                                     offset: baseOffset + start))
            }
            return exifPointer
        }
        guard let first = u32(4) else { return nil }
        if let exifIFD = walk(Int(first), .ifd0) { _ = walk(exifIFD, .exif) }
        return Contents(littleEndian: little, entries: entries)
    }

    /// Names of the tags the rules read, for carrier descriptions.
    static let names: [UInt16: String] = [
        0x010A: "FillOrder", 0x010B: "Tag0x010B", 0x010C: "Tag0x010C", 0x010D: "DocumentName",
        0x010E: "ImageDescription", 0x010F: "Make", 0x0110: "Model", 0x0131: "Software", 0x013B: "Artist",
        0x8298: "Copyright", 0x9286: "UserComment", 0x927C: "MakerNote",
    ]
}
