/// The entry point of the container parsers: one pass over a file's bytes, by format.
///
/// It never throws and never traps: whatever is wrong with the file becomes a
/// `ContainerIssue`, and everything read before (and, where the format allows, after)
/// the problem is still returned.
public enum ContainerParser {
    public static func parse(_ bytes: [UInt8], format: ImageFormat, limits: ContainerLimits = ContainerLimits()) -> ParsedContainer {
        var builder = ContainerBuilder(bytes: bytes, format: format, limits: limits)
        switch format {
        case .jpeg: JPEGSegments.parse(&builder)
        case .png: PNGChunks.parse(&builder)
        case .webp: RIFFChunks.parse(&builder)
        case .heif, .avif: BMFFBoxes.parse(&builder)
        case .tiff: TIFFStructure.parse(&builder)
        case .gif: GIFBlocks.parse(&builder)
        case .bmp: BMPHeader.parse(&builder)
        case .other, .empty: break
        }
        return builder.result
    }
}
