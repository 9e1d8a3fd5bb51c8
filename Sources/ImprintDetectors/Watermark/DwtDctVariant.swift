/// How an image was fed to the dwtDct embedder, which the decoder must mirror
/// (SD-WATERMARK.md §2.1).
public enum DwtDctChannelOrder: String, Sendable, CaseIterable {
    /// BGR pixels given to the BGR routine: CompVis SD 1.x/2.x and Stability's sgm.
    case bgr
    /// RGB pixels given to the BGR routine unchanged: diffusers' SDXL pipelines.
    case rgbAsBgr = "rgb_as_bgr"
}

/// Which quantisation lattice the embedder worked on.
public enum DwtDctLattice: String, Sendable, CaseIterable {
    /// uint8 YUV (delta 128, rounded): the CompVis path.
    case uint8
    /// float32 YUV (delta 0.5, unrounded): sgm and diffusers.
    case float
}

/// One way of decoding: order, lattice and the lattice offset (in Haar LL units, 0..<36)
/// that saving a float pipeline's output as 8-bit pixels, or a JPEG re-save, shifts
/// the coefficients by.
public struct DwtDctVariant: Sendable, Equatable, Hashable {
    public var order: DwtDctChannelOrder
    public var lattice: DwtDctLattice
    public var offset: Int

    public init(order: DwtDctChannelOrder, lattice: DwtDctLattice, offset: Int) {
        self.order = order
        self.lattice = lattice
        self.offset = offset
    }

    /// The decoder the reference library runs (invisible-watermark with BGR input, uint8).
    public var isCanonical: Bool { order == .bgr && lattice == .uint8 && offset == 0 }

    /// The lattice offsets searched: every whole LL unit of the 36-unit quantisation step.
    public static let offsets = 0..<36

    /// How many variants are tried per payload, the multiplicity the false-alarm
    /// probability is corrected for.
    public static var searchSize: Int {
        DwtDctChannelOrder.allCases.count * DwtDctLattice.allCases.count * offsets.count
    }
}
