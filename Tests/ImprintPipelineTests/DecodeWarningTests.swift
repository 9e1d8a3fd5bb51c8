import XCTest
import ImprintCase
import ImprintImaging
@testable import ImprintPipeline
import ImprintTestSupport

/// A JPEG whose compressed data is damaged but still decodes gets a `decode-warning`
/// error with the decoder's first message, and keeps its hashes; an intact one gets none.
/// Both decode paths: the one-pass streamed decode (4:2:0) and the held raster (4:4:4).
final class DecodeWarningTests: XCTestCase {
    private func observe(_ bytes: [UInt8], name: String) throws -> ObservedFile {
        let tree = try FixtureTree("decode-warning")
        defer { tree.remove() }
        try tree.write(name, bytes)
        guard case .success(let root) = DirectoryHandle.openRoot(tree.rootBytes) else {
            throw XCTSkip("cannot open the fixture root")
        }
        let entry = try XCTUnwrap(EvidenceWalker(root: root).first { _ in true })
        return FileAnalysis().observe(entry)
    }

    func testDamagedCompressedDataIsRecordedAndTheImageStillAnalysed() throws {
        let picture = DwtDctEmbedder.texturedPicture(width: 320, height: 240, seed: 3)
        for subsampling in [JPEGEncodeOptions.Subsampling.s420, .s444] {
            let jpeg = try ImageEncoder.jpeg(picture, options: .init(quality: 85, subsampling: subsampling))
            let intact = try observe(jpeg, name: "intact.jpg")
            XCTAssertFalse(intact.errors.contains { $0.stage == "decode" }, "\(subsampling): \(intact.errors)")
            XCTAssertNotNil(intact.perceptualHashes)

            // Cut the file in the middle of its scan: libjpeg fills the rest and warns.
            let cut = Array(jpeg.prefix(jpeg.count * 2 / 3))
            let damaged = try observe(cut, name: "damaged.jpg")
            let warning = try XCTUnwrap(damaged.errors.first { $0.code == "decode-warning" }, "\(subsampling): \(damaged.errors)")
            XCTAssertEqual(warning.stage, "decode")
            XCTAssertTrue(warning.message.contains("worked around"), warning.message)
            XCTAssertTrue(warning.message.contains("first:"), "the decoder's message is kept: \(warning.message)")
            XCTAssertEqual(damaged.errors.filter { $0.code == "decode-warning" }.count, 1, "recorded once")
            XCTAssertNotNil(damaged.perceptualHashes, "\(subsampling): the image decoded, so it is hashed")
        }
    }

    /// The warnings come from whichever decode ran: a 4:2:0 JPEG with a wrong restart
    /// marker in its scan is decoded in one streamed pass (never held), a 4:4:4 one held.
    func testWarningsOfTheStreamedAndTheHeldDecode() throws {
        let picture = DwtDctEmbedder.texturedPicture(width: 320, height: 240, seed: 3)
        for (subsampling, streamed) in [(JPEGEncodeOptions.Subsampling.s420, true), (.s444, false)] {
            var jpeg = try ImageEncoder.jpeg(picture, options: .init(quality: 85, subsampling: subsampling))
            // A restart marker where none belongs, half-way through the entropy-coded data:
            // libjpeg resynchronises and warns.
            let middle = jpeg.count / 2
            jpeg[middle] = 0xFF
            jpeg[middle + 1] = 0xD5
            let artifact = Artifact(path: Array("p.jpg".utf8), name: Array("p.jpg".utf8), bytes: jpeg, format: .jpeg)
            artifact.streamSmooth(key: "k") { AreaReductionCollector(width: $0, height: $1, scaleDenominator: 4, luma: true) }
            artifact.holdsSharedRaster = false
            XCTAssertNoThrow(try artifact.decodeShared(), "\(subsampling)")
            XCTAssertEqual(artifact.streamedImage != nil, streamed, "\(subsampling)")
            let warnings = try XCTUnwrap(artifact.sharedDecodeWarnings, "\(subsampling)")
            XCTAssertGreaterThan(warnings.count, 0, "\(subsampling)")
            XCTAssertNotNil(warnings.message, "\(subsampling)")
            XCTAssertTrue(FileAnalysis.warningMessage(warnings).contains(warnings.message ?? "?"))
        }
    }
}
