import XCTest
import ImprintImaging
@testable import ImprintMetadata
import ImprintTestSupport

final class ExifAndNormalisationTests: XCTestCase {
    static func cameraExif(thumbnail: [UInt8]? = nil) -> [UInt8] {
        var builder = ExifBuilder()
        builder.ifd0 = [(0x010F, .ascii("Canon")), (0x0110, .ascii("Canon EOS 40D")), (0x0112, .short([6])),
                        (0x0131, .ascii("GIMP 2.4.5")), (0x0132, .ascii("2008:07:31 10:38:11")),
                        (0x8298, .ascii("(c) Example"))]
        builder.exif = [(0x829A, .rational([(1, 160)])), (0x829D, .rational([(71, 10)])), (0x8827, .short([100])),
                        (0x9003, .ascii("2008:05:30 15:56:01")), (0x9011, .ascii("+02:00")),
                        (0x920A, .rational([(135, 1)])), (0xA002, .long([100])), (0xA003, .long([68])),
                        (0xA431, .ascii("0820500998")), (0xA434, .ascii("EF70-200mm f/4L"))]
        builder.gps = [(0x0001, .ascii("S")), (0x0002, .rational([(33, 1), (51, 1), (2163, 100)])),
                       (0x0003, .ascii("W")), (0x0004, .rational([(151, 1), (12, 1), (3105, 100)])),
                       (0x0005, .byte([1])), (0x0006, .rational([(125, 10)]))]
        builder.thumbnail = thumbnail
        return builder.build()
    }

    func testLibexifReadsEveryTagWithExactValues() throws {
        let contents = try XCTUnwrap(ExifReader.read(Self.cameraExif()))
        XCTAssertEqual(contents.byteOrder, "little-endian")
        XCTAssertEqual(contents.tag(0x010F)?.value, .text("Canon"))
        XCTAssertEqual(contents.tag(0x010F)?.ifd, "IFD0")
        XCTAssertEqual(contents.tag(0x829A)?.value, .rationals([ExifRational(numerator: 1, denominator: 160)]))
        XCTAssertEqual(contents.tag(0x829A)?.ifd, "EXIF")
        XCTAssertEqual(contents.tag(0x0002, in: "GPS")?.value.doubles, [33, 51, 21.63])
        XCTAssertEqual(contents.tag(0x9003)?.name, "DateTimeOriginal")
        XCTAssertNil(contents.thumbnail)
    }

    func testNormalisedRecordMatchesExifToolConventions() throws {
        var container = ParsedContainer(format: .jpeg)
        container.exif = Self.cameraExif()
        let record = MetadataExtractor.extract(container).record
        XCTAssertEqual(record.make, "Canon")
        XCTAssertEqual(record.model, "Canon EOS 40D")
        XCTAssertEqual(record.software, "GIMP 2.4.5")
        XCTAssertEqual(record.orientation, 6)
        XCTAssertEqual(record.dateTimeOriginal, "2008-05-30T15:56:01")
        XCTAssertEqual(record.offsetTimeOriginal, "+02:00")
        XCTAssertEqual(record.modifyDate, "2008-07-31T10:38:11")
        XCTAssertEqual(record.exposureTime, 0.00625)
        XCTAssertEqual(record.fNumber, 7.1)
        XCTAssertEqual(record.iso, 100)
        XCTAssertEqual(record.focalLength, 135)
        XCTAssertEqual(record.exifWidth, 100)
        XCTAssertEqual(record.exifHeight, 68)
        XCTAssertEqual(record.serialNumber, "0820500998")
        XCTAssertEqual(record.lensModel, "EF70-200mm f/4L")
        XCTAssertEqual(try XCTUnwrap(record.gpsLatitude), -(33 + 51.0 / 60 + 21.63 / 3600), accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(record.gpsLongitude), -(151 + 12.0 / 60 + 31.05 / 3600), accuracy: 1e-9)
        XCTAssertEqual(record.gpsAltitude, -12.5, "altitude reference 1 means below sea level")
        XCTAssertTrue(record.raw.contains { $0.group == "EXIF:GPS" && $0.name == "GPSLatitudeRef" })
        guard case .object(let members) = record.json else { return XCTFail("record JSON is an object") }
        XCTAssertTrue(members.contains { $0.key == "raw" })
    }

    func testThumbnailIsExtracted() throws {
        let thumbnail = try ImageEncoder.jpeg(Raster(width: 16, height: 12, layout: .luma,
                                                     pixels: [UInt8](repeating: 90, count: 192)), quality: 80)
        let contents = try XCTUnwrap(ExifReader.read(Self.cameraExif(thumbnail: thumbnail)))
        XCTAssertEqual(contents.thumbnail, thumbnail)
    }

    func testXMPDatesAreNormalised() {
        XCTAssertEqual(MetadataExtractor.xmpDate("2008-07-31T10:38:11+02:00"), "2008-07-31T10:38:11")
        XCTAssertEqual(MetadataExtractor.xmpDate("2008-07-31T10:38+02:00"), "2008-07-31T10:38:00")
        XCTAssertEqual(MetadataExtractor.xmpDate("2008-07-31T10:38:11.25Z"), "2008-07-31T10:38:11")
        XCTAssertNil(MetadataExtractor.xmpDate("2008-07-31"))
        XCTAssertNil(MetadataExtractor.xmpDate("yesterday at ten"))
    }

    func testMalformedDatesAndHostileBlocksDoNotTrap() {
        XCTAssertNil(MetadataExtractor.isoDate("    :  :     :  :  "))
        XCTAssertNil(MetadataExtractor.isoDate("2008:05:30"))
        XCTAssertEqual(MetadataExtractor.isoDate("2008:05:30 15:56:01\u{0}"), "2008-05-30T15:56:01")
        var tiff = Self.cameraExif()
        // Lie about every offset and count: libexif must refuse gracefully.
        for index in stride(from: 10, to: tiff.count, by: 12) { tiff[index] = 0xFF }
        _ = ExifReader.read(tiff)
        _ = ExifReader.read([0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertNil(ExifReader.read([1, 2, 3]))
        // Values shorter than their declared component count decode to what is there.
        XCTAssertEqual(ExifReader.decodeValue([1, 0], format: 4, components: 3, littleEndian: true), .integers([]))
        XCTAssertEqual(ExifReader.decodeValue([0, 0, 0, 1, 0, 0, 0, 0], format: 5, components: 1, littleEndian: false),
                       .rationals([ExifRational(numerator: 1, denominator: 0)]))
    }
}
