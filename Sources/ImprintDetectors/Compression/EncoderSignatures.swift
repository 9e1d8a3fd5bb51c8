import ImprintImaging

/// Rules that name the software that wrote a JPEG from traces it leaves in the file's
/// structure (comment text, APPn segments), as data in the style of ExifTool's tables.
/// They say who *wrote* the file last, never whether the picture is real.
public struct EncoderSignature: Sendable, Equatable {
    public enum Trace: Sendable, Equatable {
        /// A COM segment starting with the text.
        case commentPrefix(String)
        /// A COM segment containing the text.
        case commentContains(String)
        /// An APPn segment identified as this (`Ducky`, `Adobe`, `PhotoshopIRB`, …).
        case appSegment(String)
        /// All of these traces together.
        case all([Trace])
    }

    public var software: String
    public var trace: Trace
    public var note: String
}

public enum EncoderSignatures {
    public static let rules: [EncoderSignature] = [
        .init(software: "GD library (e.g. PHP)", trace: .commentPrefix("CREATOR: gd-jpeg"),
              note: "server-side re-encode; the comment states the IJG quality"),
        .init(software: "GIMP", trace: .commentPrefix("Created with GIMP"), note: "default comment of GIMP's JPEG export"),
        .init(software: "FFmpeg (libavcodec)", trace: .commentPrefix("Lavc"), note: "frame grab or transcode"),
        .init(software: "LEADTOOLS", trace: .commentContains("LEAD Technologies"), note: "imaging toolkit"),
        .init(software: "Intel JPEG Library", trace: .commentContains("Intel(R) JPEG Library"), note: "imaging toolkit"),
        .init(software: "JPEGmini", trace: .commentContains("JPEGmini"), note: "recompression service"),
        .init(software: "Adobe Photoshop", trace: .all([.appSegment("Adobe"), .appSegment("PhotoshopIRB")]),
              note: "APP14 Adobe with an APP13 Photoshop resource block"),
        .init(software: "Adobe Save for Web", trace: .appSegment("Ducky"), note: "APP12 Ducky quality block"),
    ]

    /// The rules that hold for this container, in table order.
    public static func match(_ container: ParsedContainer) -> [EncoderSignature] {
        rules.filter { holds($0.trace, container) }
    }

    static func holds(_ trace: EncoderSignature.Trace, _ container: ParsedContainer) -> Bool {
        switch trace {
        case .commentPrefix(let prefix): return container.comments.contains { $0.text.hasPrefix(prefix) }
        case .commentContains(let text): return container.comments.contains { $0.text.contains(text) }
        case .appSegment(let name): return container.elements.contains { $0.name.hasPrefix("APP") && $0.identifiedAs == name }
        case .all(let traces): return traces.allSatisfy { holds($0, container) }
        }
    }
}
