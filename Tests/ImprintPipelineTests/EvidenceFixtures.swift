import ImprintTestSupport

/// The evidence tree most pipeline tests ingest: nested folders, a link loop, a link out
/// of the root, an empty file, a name that is not UTF-8, a name with a newline, a FIFO,
/// disguised images and a file larger than the in-memory limit the tests set.
enum EvidenceFixtures {
    static let nonUTF8Name: [UInt8] = Array("DCIM/".utf8) + [0x66, 0xFF, 0xFE] + Array(".jpg".utf8)
    static let largeFileSize: Int64 = 3 << 20

    /// Regular files the tree holds (for counts).
    static let regularFiles = 9

    static func make() throws -> FixtureTree {
        let tree = try FixtureTree("evidence")
        try tree.write("DCIM/100/IMG_0001.jpg", MagicBytes.jpeg)
        try tree.write("DCIM/100/IMG_0002.png", MagicBytes.png)
        try tree.write("DCIM/100/deep/er/still/photo.gif", MagicBytes.gif)
        try tree.write("notes/empty.txt", [])
        try tree.write("notes/holiday.txt", MagicBytes.jpeg)          // an image under a text name
        try tree.write("notes/line\nbreak.webp", MagicBytes.webp)
        try tree.write("renamed.jpg", MagicBytes.png)                 // a PNG named .jpg
        try tree.write(nonUTF8Name, MagicBytes.jpeg)
        try tree.sparse("big/archive.bin", size: largeFileSize)
        try tree.mkdir("loops")
        try tree.symlink("loops/a", to: "b")
        try tree.symlink("loops/b", to: "a")
        try tree.symlink("loops/up", to: "..")
        try tree.symlink("outside", to: "/etc")
        try tree.fifo("notes/pipe")
        return tree
    }
}
