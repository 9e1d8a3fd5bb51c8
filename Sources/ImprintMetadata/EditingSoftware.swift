import Foundation

/// Applications whose name in Software, CreatorTool or an XMP history entry says the file
/// went through them. Rules as data: a case-insensitive pattern, the product, and what
/// kind of tool it is (a face retouching app says something different from a converter).
public struct EditingSoftwareRule: Sendable {
    public var pattern: String
    public var product: String
    /// `editor` (general image editor), `raw-converter`, `retouch` (face/body retouching
    /// apps), `converter` (batch conversion tools and libraries).
    public var kind: String
}

public enum EditingSoftware {
    public static let rules: [EditingSoftwareRule] = [
        // Specific names first: "Adobe Photoshop Lightroom" and "Adobe Photoshop Camera Raw"
        // must not be taken for Photoshop.
        .init(pattern: "lightroom", product: "Adobe Lightroom", kind: "raw-converter"),
        .init(pattern: "camera raw", product: "Adobe Camera Raw", kind: "raw-converter"),
        .init(pattern: "photoshop", product: "Adobe Photoshop", kind: "editor"),
        .init(pattern: "gimp", product: "GIMP", kind: "editor"),
        .init(pattern: "affinity photo", product: "Affinity Photo", kind: "editor"),
        .init(pattern: "pixelmator", product: "Pixelmator", kind: "editor"),
        .init(pattern: "paint.net", product: "Paint.NET", kind: "editor"),
        .init(pattern: "paintshop", product: "Corel PaintShop", kind: "editor"),
        .init(pattern: "corel", product: "Corel", kind: "editor"),
        .init(pattern: "photopea", product: "Photopea", kind: "editor"),
        .init(pattern: "krita", product: "Krita", kind: "editor"),
        .init(pattern: "luminar", product: "Luminar", kind: "editor"),
        .init(pattern: "photoscape", product: "PhotoScape", kind: "editor"),
        .init(pattern: "acdsee", product: "ACDSee", kind: "editor"),
        .init(pattern: "photodirector", product: "PhotoDirector", kind: "editor"),
        .init(pattern: "fotor", product: "Fotor", kind: "editor"),
        .init(pattern: "pixlr", product: "Pixlr", kind: "editor"),
        .init(pattern: "canva", product: "Canva", kind: "editor"),
        .init(pattern: "picsart", product: "Picsart", kind: "editor"),
        .init(pattern: "snapseed", product: "Snapseed", kind: "editor"),
        .init(pattern: "polarr", product: "Polarr", kind: "editor"),
        .init(pattern: "befunky", product: "BeFunky", kind: "editor"),
        .init(pattern: "capture one", product: "Capture One", kind: "raw-converter"),
        .init(pattern: "digital photo professional", product: "Canon Digital Photo Professional", kind: "raw-converter"),
        .init(pattern: "darktable", product: "darktable", kind: "raw-converter"),
        .init(pattern: "rawtherapee", product: "RawTherapee", kind: "raw-converter"),
        .init(pattern: "dxo", product: "DxO", kind: "raw-converter"),
        .init(pattern: "facetune", product: "Facetune", kind: "retouch"),
        .init(pattern: "faceapp", product: "FaceApp", kind: "retouch"),
        .init(pattern: "meitu", product: "Meitu", kind: "retouch"),
        .init(pattern: "airbrush", product: "AirBrush", kind: "retouch"),
        .init(pattern: "bodytune", product: "BodyTune", kind: "retouch"),
        .init(pattern: "perfect365", product: "Perfect365", kind: "retouch"),
        .init(pattern: "youcam", product: "YouCam", kind: "retouch"),
        .init(pattern: "remini", product: "Remini", kind: "retouch"),
        .init(pattern: "lensa", product: "Lensa", kind: "retouch"),
        .init(pattern: "imagemagick", product: "ImageMagick", kind: "converter"),
        .init(pattern: "graphicsmagick", product: "GraphicsMagick", kind: "converter"),
        .init(pattern: "xnview", product: "XnView", kind: "converter"),
        .init(pattern: "irfanview", product: "IrfanView", kind: "converter"),
    ]

    /// The first rule whose pattern occurs in `text` as a whole word run (so "Canvas" does
    /// not match "canva" and "Gimpel" does not match "gimp").
    public static func match(_ text: String) -> EditingSoftwareRule? {
        let lowered = text.lowercased()
        return rules.first { rule in
            var searchRange = lowered.startIndex..<lowered.endIndex
            while let found = lowered.range(of: rule.pattern, range: searchRange) {
                let before = found.lowerBound == lowered.startIndex ? nil : lowered[lowered.index(before: found.lowerBound)]
                let after = found.upperBound == lowered.endIndex ? nil : lowered[found.upperBound]
                let isBoundary: (Character?) -> Bool = { character in
                    guard let character else { return true }
                    return !(character.isLetter)
                }
                if isBoundary(before) && isBoundary(after) { return true }
                searchRange = found.upperBound..<lowered.endIndex
            }
            return false
        }
    }
}
