import ImprintBytes

/// Photoshop image resource blocks (the payload of JPEG APP13 "Photoshop 3.0" and of
/// TIFF tag 34377): a sequence of resources, each a 4-byte signature, a 2-byte id, a
/// Pascal-string name padded to an even length, a 4-byte size and the data padded to even.
enum PhotoshopIRB {
    struct Resource {
        var id: Int
        /// Positions within the walked buffer.
        var offset: Int
        var data: Range<Int>
    }

    /// Signatures seen in the wild: Photoshop's own and those of other Adobe/Kodak writers.
    static let signatures: [[UInt8]] = ["8BIM", "PHUT", "DCSR", "AgHg", "MeSa"].map { Array($0.utf8) }
    static let iptcResource = 0x0404

    /// Walks the resources of `bytes`. Problems are returned as (position, message) pairs;
    /// the walk stops at the first one since what follows cannot be located reliably.
    static func walk(_ bytes: [UInt8]) -> (resources: [Resource], problems: [(Int, String)]) {
        var reader = ByteReader(bytes)
        var resources: [Resource] = []
        var problems: [(Int, String)] = []
        while !reader.isAtEnd {
            let start = reader.offset
            // Writers pad the block with zeros; only that may follow the last resource.
            if bytes[start...].allSatisfy({ $0 == 0 }) { break }
            do {
                let signature = Array(try reader.readBytes(4, "resource signature"))
                guard signatures.contains(signature) else {
                    problems.append((start, "unknown image resource signature \(TextDecoding.fourCC(signature))"))
                    break
                }
                let id = Int(try reader.readUInt16BE("resource id"))
                let nameLength = Int(try reader.readUInt8("resource name length"))
                // The length byte and the name together are padded to an even size.
                try reader.skip(nameLength + (nameLength % 2 == 0 ? 1 : 0), "resource name")
                let size = Int(try reader.readUInt32BE("resource size"))
                let dataStart = reader.offset
                try reader.skip(size, "resource data")
                if size % 2 == 1, !reader.isAtEnd { try reader.skip(1, "resource padding") }
                resources.append(Resource(id: id, offset: start, data: dataStart..<(dataStart + size)))
            } catch {
                problems.append((start, "image resource: \(error.description)"))
                break
            }
        }
        return (resources, problems)
    }
}
