import ImprintImaging

/// The chroma subsampling of a JPEG frame, named the usual way (J:a:b).
public enum ChromaSubsampling {
    /// `4:4:4`, `4:2:2`, `4:2:0`, `4:4:0`, `4:1:1`, `greyscale`, or `HxV…` for anything else.
    public static func name(_ frame: JPEGFrame) -> String {
        let components = frame.components
        if components.count == 1 { return "greyscale" }
        guard components.count >= 3 else { return components.map { "\($0.horizontalSampling)x\($0.verticalSampling)" }.joined(separator: ",") }
        let y = components[0], cb = components[1], cr = components[2]
        guard cb.horizontalSampling == cr.horizontalSampling, cb.verticalSampling == cr.verticalSampling,
              cb.horizontalSampling > 0, cb.verticalSampling > 0,
              y.horizontalSampling % cb.horizontalSampling == 0, y.verticalSampling % cb.verticalSampling == 0 else {
            return components.map { "\($0.horizontalSampling)x\($0.verticalSampling)" }.joined(separator: ",")
        }
        switch (y.horizontalSampling / cb.horizontalSampling, y.verticalSampling / cb.verticalSampling) {
        case (1, 1): return components.count == 4 ? "4:4:4:4" : "4:4:4"
        case (2, 1): return "4:2:2"
        case (2, 2): return "4:2:0"
        case (1, 2): return "4:4:0"
        case (4, 1): return "4:1:1"
        default: return components.map { "\($0.horizontalSampling)x\($0.verticalSampling)" }.joined(separator: ",")
        }
    }
}
