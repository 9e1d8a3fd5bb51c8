/// Image sizes that generators emit natively (SYNTHETIC-DETECTION §3). Weak: cameras also
/// produce 1024×768 and similar, and any platform resize removes the cue.
public struct GeneratorDimensions: Sendable, Equatable {
    public struct KnownSize: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var generators: String
    }

    /// Sizes named in published benchmark sets (GenImage) and generator defaults; square
    /// sizes match in either orientation.
    public static let knownSizes: [KnownSize] = [
        .init(width: 128, height: 128, generators: "BigGAN (GenImage)"),
        .init(width: 256, height: 256, generators: "ADM, GLIDE, VQDM (GenImage)"),
        .init(width: 512, height: 512, generators: "Stable Diffusion 1.x, Wukong (GenImage)"),
        .init(width: 768, height: 768, generators: "Stable Diffusion 2.x default"),
        .init(width: 1024, height: 1024, generators: "SDXL default, Midjourney v5 (GenImage)"),
    ]

    public var width: Int
    public var height: Int
    /// Both sides multiples of 64 (latent diffusion works on 8× down-sampled latents in 8-blocks).
    public var multipleOf64: Bool
    public var knownSize: KnownSize?

    public var aspect: Double { height > 0 ? Double(width) / Double(height) : 0 }

    public static func assess(width: Int, height: Int) -> GeneratorDimensions {
        GeneratorDimensions(width: width, height: height,
                            multipleOf64: width > 0 && height > 0 && width % 64 == 0 && height % 64 == 0,
                            knownSize: knownSizes.first { $0.width == width && $0.height == height })
    }
}
