import ImprintBytes
import ImprintImaging

/// The perceptual hashes imprint records for one decoded image: PDQ (with its quality
/// and 8 dihedral variants) and `imagehash`-compatible pHash and dHash (plus aHash, which
/// costs one more small resize). All from the shared full-resolution decode, stored pixel
/// order (EXIF orientation not applied), alpha dropped without compositing.
public struct PerceptualHashes: Sendable, Equatable {
    /// PDQ, 64 lowercase hex characters (w15…w0); all zeros when the image is too small.
    public var pdq: String
    public var pdqQuality: Int
    /// `imagehash.phash`, 16 lowercase hex characters.
    public var phash: String
    /// `imagehash.dhash`, 16 lowercase hex characters.
    public var dhash: String
    /// `imagehash.average_hash`, 16 lowercase hex characters (not part of `json`).
    public var ahash: String
    /// The PDQ hashes of the 8 dihedral views, derived from one DCT, in
    /// `PDQDihedral.allCases` order (original first).
    public var pdqDihedral: [PDQHash]

    public init(pdq: String, pdqQuality: Int, phash: String, dhash: String, ahash: String, pdqDihedral: [PDQHash] = []) {
        self.pdq = pdq
        self.pdqQuality = pdqQuality
        self.phash = phash
        self.dhash = dhash
        self.ahash = ahash
        self.pdqDihedral = pdqDihedral
    }

    public static func compute(_ raster: Raster) -> PerceptualHashes {
        let grey = PillowImaging.grey(raster)
        return PerceptualHashes(
            pdq: PDQ.hash(raster), phash: ImageHashes.pHash(grey: grey), dhash: ImageHashes.dHash(grey: grey),
            ahash: ImageHashes.averageHash(grey: grey))
    }

    /// From PDQ's result and the three hashes, however they were made (`compute` or
    /// `PerceptualHashStream`).
    init(pdq: PDQResult, phash: ImageHash64, dhash: ImageHash64, ahash: ImageHash64) {
        self.init(pdq: pdq.hash.hex, pdqQuality: pdq.quality, phash: phash.hex, dhash: dhash.hex, ahash: ahash.hex,
                  pdqDihedral: pdq.dihedralHashes.map(\.hash))
    }

    /// The PDQ pipeline descriptor (spec §12) of hashes made by `compute` from
    /// `ImageDecoder`'s full-resolution decode, e.g.
    /// `pdq/1;decode=libjpeg-turbo-2.1.5,islow,fancy;prescale=none;orient=stored;alpha=drop`.
    public static var pdqDescriptor: String {
        PDQPrescale.none.descriptor(libjpegTurboVersion: ImageDecoder.libraryVersions["libjpeg-turbo"] ?? "unknown")
    }

    public var pdqHash: PDQHash? { PDQHash(hex: pdq) }
    public var pHash: ImageHash64? { ImageHash64(hex: phash) }
    public var dHash: ImageHash64? { ImageHash64(hex: dhash) }

    /// The `hashes` object of `analyze --json`: keys exactly `pdq`, `pdqQuality`, `phash`,
    /// `dhash`, in that order.
    public var json: JSONValue {
        .object([
            .init("pdq", .string(pdq)),
            .init("pdqQuality", .integer(pdqQuality)),
            .init("phash", .string(phash)),
            .init("dhash", .string(dhash)),
        ])
    }
}
