// ImprintSimilarity: perceptual hashes (docs/specs/PDQ-AND-PERCEPTUAL-HASHES.md).
//
//   PDQ (256 bits + 8 dihedral variants) ... PDQ.swift, PDQHash.swift, PDQDihedral.swift,
//                                            PDQLuma.swift, JaroszFilter.swift,
//                                            PDQTransform.swift, TorbenMedian.swift
//   imagehash pHash / dHash / aHash ........ ImageHashes.swift, ImageHash64.swift,
//                                            PillowResample.swift (Pillow L + LANCZOS)
//   the per-image record ................... PerceptualHashes.swift
//
// The Hamming index, clustering and hash-set import/export arrive with their own issue.

/// Versions of the hash algorithms, recorded with every hash so that hashes made by a
/// different recipe are never silently compared.
public enum PerceptualHashAlgorithms {
    /// PDQ as Meta's C++ core computes it (float32, Jarosz tent, Torben median).
    public static let pdq = "pdq/1"
    /// pHash/dHash/aHash bit-compatible with Python imagehash 4.3.2 on Pillow's L + LANCZOS.
    public static let imagehash = "imagehash/4.3.2"
}
