import XCTest
import ImprintBytes
import ImprintCase
import ImprintImaging
@testable import ImprintPipeline
import ImprintTestSupport

final class MetadataAnalyzerTests: XCTestCase {
    /// A textured test picture: a diagonal gradient with a bright square.
    static func picture(width: Int, height: Int, squareAt corner: Int = 0) -> Raster {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                var value = (x * 200 / width + y * 55 / height)
                let inSquare = corner == 0 ? (x < width / 3 && y < height / 3) : (x > 2 * width / 3 && y > 2 * height / 3)
                if inSquare { value = 250 }
                pixels.append(UInt8(min(value, 255)))
            }
        }
        return Raster(width: width, height: height, layout: .luma, pixels: pixels)
    }

    private func jpeg(exif builder: ExifBuilder, image: Raster, trailing: [UInt8] = []) throws -> Artifact {
        let body = try ImageEncoder.jpeg(image, quality: 90)
        let bytes = JPEGFixture.inserting([JPEGFixture.exifSegment(builder.build())], into: body) + trailing
        return Artifact(path: Array("a.jpg".utf8), name: Array("a.jpg".utf8), bytes: bytes, format: .jpeg)
    }

    func testConsistentCameraFileGivesNoFinding() throws {
        let image = Self.picture(width: 320, height: 240)
        var builder = ExifBuilder()
        builder.ifd0 = [(0x010F, .ascii("Nikon")), (0x0132, .ascii("2020:01:01 10:00:00"))]
        builder.exif = [(0x9003, .ascii("2020:01:01 10:00:00")), (0xA002, .long([320])), (0xA003, .long([240]))]
        builder.thumbnail = try ImageEncoder.jpeg(Self.picture(width: 160, height: 120), quality: 80)
        let artifact = try jpeg(exif: builder, image: image)
        XCTAssertEqual(try MetadataConsistencyAnalyzer().analyze(artifact), [])
        XCTAssertEqual(try ThumbnailConsistencyAnalyzer().analyze(artifact), [])
    }

    func testEditedFileShowsEveryIndicator() throws {
        let image = Self.picture(width: 320, height: 240)
        var builder = ExifBuilder()
        builder.ifd0 = [(0x0131, .ascii("Adobe Photoshop 25.0 (Windows)")), (0x0132, .ascii("2021:05:05 09:00:00"))]
        builder.exif = [(0x9003, .ascii("2020:01:01 10:00:00")), (0xA002, .long([4000])), (0xA003, .long([3000]))]
        // The thumbnail shows another picture (the square in the other corner, mirrored gradient).
        builder.thumbnail = try ImageEncoder.jpeg(Raster(width: 160, height: 120, layout: .luma,
                                                         pixels: Self.picture(width: 160, height: 120, squareAt: 1).pixels.reversed()),
                                                  quality: 80)
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 7, count: 60)
        let artifact = try jpeg(exif: builder, image: image, trailing: zip)
        let findings = try MetadataConsistencyAnalyzer().analyze(artifact)
        let labels = Dictionary(uniqueKeysWithValues: findings.map { ($0.label, $0) })
        XCTAssertEqual(Set(labels.keys), ["metadata.dimension-mismatch", "metadata.modified-after-capture",
                                          "metadata.editing-software", "metadata.trailing-data"])
        XCTAssertEqual(labels["metadata.dimension-mismatch"]?.details["exifWidth"]?.intValue, 4000)
        XCTAssertEqual(labels["metadata.editing-software"]?.details["product"]?.stringValue, "Adobe Photoshop")
        let trailing = try XCTUnwrap(labels["metadata.trailing-data"])
        XCTAssertEqual(trailing.details["identifiedAs"]?.stringValue, "a ZIP archive")
        XCTAssertEqual(trailing.strength, .moderate)
        XCTAssertEqual(trailing.location?["offset"]?.intValue, Int64(artifact.bytes.count - zip.count))

        let thumbnail = try ThumbnailConsistencyAnalyzer().analyze(artifact)
        XCTAssertEqual(thumbnail.map(\.label), ["metadata.thumbnail-mismatch"])
        XCTAssertLessThan(try XCTUnwrap(thumbnail.first?.details["correlation"]?.doubleValue), 0.75)
    }

    func testCroppedImageIsReportedByShape() throws {
        // The image is a crop of the scene the thumbnail shows.
        let scene = Self.picture(width: 320, height: 240)
        var cropped: [UInt8] = []
        for y in 0..<240 { cropped += scene.pixels[(y * 320)..<(y * 320 + 200)] }
        var builder = ExifBuilder()
        builder.thumbnail = try ImageEncoder.jpeg(Self.picture(width: 160, height: 120), quality: 85)
        let artifact = try jpeg(exif: builder, image: Raster(width: 200, height: 240, layout: .luma, pixels: cropped))
        let findings = try ThumbnailConsistencyAnalyzer().analyze(artifact)
        XCTAssertEqual(findings.map(\.label), ["metadata.thumbnail-mismatch"])
    }

    func testModificationBeforeCaptureIsWordedAsSuch() throws {
        var builder = ExifBuilder()
        builder.ifd0 = [(0x0132, .ascii("2019:01:01 00:00:00"))]
        builder.exif = [(0x9003, .ascii("2020:01:01 10:00:00"))]
        let artifact = try jpeg(exif: builder, image: Self.picture(width: 32, height: 24))
        let finding = try XCTUnwrap(try MetadataConsistencyAnalyzer().analyze(artifact).first { $0.label == "metadata.modified-after-capture" })
        XCTAssertEqual(finding.details["modifiedBeforeCapture"], .bool(true))
        XCTAssertTrue(finding.summary.contains("before its capture time"))
    }

    func testBenignTrailersAreWeak() {
        XCTAssertEqual(MetadataConsistencyAnalyzer.identifyTrailer([0xFF, 0xD8, 0xFF, 0xE1]).benign, true)
        XCTAssertEqual(MetadataConsistencyAnalyzer.identifyTrailer([0, 0, 0, 0x18] + Array("ftypmp42".utf8)).benign, true)
        XCTAssertEqual(MetadataConsistencyAnalyzer.identifyTrailer([0, 0, 0]).kind, "zero padding")
        XCTAssertEqual(MetadataConsistencyAnalyzer.identifyTrailer(Array("%PDF-1.7".utf8)).benign, false)
    }

    func testEditingSoftwareRulesMatchWholeWords() {
        XCTAssertEqual(EditingSoftwareProbe.match("GIMP 2.10.34")?.product, "GIMP")
        XCTAssertEqual(EditingSoftwareProbe.match("Facetune2 iOS")?.kind, "retouch", "a version number glued to the name still matches")
        XCTAssertEqual(EditingSoftwareProbe.match("Facetune 2")?.kind, "retouch")
        XCTAssertNil(EditingSoftwareProbe.match("Canvas Firmware 1.0"))
        XCTAssertEqual(EditingSoftwareProbe.match("Adobe Photoshop Lightroom Classic 12.0 (Windows)")?.product, "Adobe Lightroom")
        XCTAssertEqual(EditingSoftwareProbe.match("Adobe Photoshop Camera Raw 15.0")?.product, "Adobe Camera Raw")
        XCTAssertNil(EditingSoftwareProbe.match("Ver.1.00"))
    }
}

import ImprintMetadata
typealias EditingSoftwareProbe = EditingSoftware
