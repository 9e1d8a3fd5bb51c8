/// What a decode whose pixels went only to strip consumers leaves behind
/// (`ImageDecoder.decodeStrips`): the image's size and the decoder's warnings, as a
/// `Raster` would carry them.
public struct StreamedImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var sourceWidth: Int
    public var sourceHeight: Int
    /// Recoverable decoder warnings (corrupt data worked around), with the first message.
    public var warnings: Int
    public var warningMessage: String?

    public init(width: Int, height: Int, sourceWidth: Int, sourceHeight: Int, warnings: Int = 0, warningMessage: String? = nil) {
        self.width = width
        self.height = height
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.warnings = warnings
        self.warningMessage = warningMessage
    }
}
