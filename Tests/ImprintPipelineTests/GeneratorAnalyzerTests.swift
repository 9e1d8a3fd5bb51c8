import Foundation
import XCTest
import ImprintBytes
import ImprintCase
import ImprintImaging
@testable import ImprintPipeline
import ImprintTestSupport

/// The generator analyzer end to end: findings on the shared corpus, silence on camera and
/// PDQ files, the stealth read through a real PNG, Digital Source Type findings, and
/// summaries that never quote a prompt.
final class GeneratorAnalyzerTests: XCTestCase {
    let analyzer = GeneratorAnalyzer()

    private func artifact(_ bytes: [UInt8], name: String = "x") -> Artifact {
        Artifact(path: Array(name.utf8), name: Array(name.utf8), bytes: bytes, format: FormatSniffer.sniff(bytes))
    }

    private func corpusFile(_ sub: String, _ name: String) throws -> [UInt8] {
        let folder = try SharedCorpus.require(sub)
        return try XCTUnwrap(FileManager.default.contents(atPath: folder + "/" + name)).map { $0 }
    }

    func testRegisteredOnce() {
        XCTAssertEqual(AnalyzerRegistry.all.filter { $0.id == "provenance.generator" }.count, 1)
        XCTAssertEqual(analyzer.version, "1.0.0")
        XCTAssertTrue(analyzer.needsPixels)
    }

    func testCorpusGeneratorsBecomeStrongProvenanceFindings() throws {
        let expected = ["automatic1111_cropped.png": "automatic1111", "automatic1111_cropped.jpg": "automatic1111",
                        "img2img_cropped.png": "comfyui", "night_evening_day_morning_cropped.png": "comfyui",
                        "fooocus1_cropped.png": "fooocus", "invokeai_dream1.png": "invokeai", "novelai1_cropped.png": "novelai"]
        for (file, generator) in expected.sorted(by: { $0.key < $1.key }) {
            let findings = try analyzer.analyze(artifact(try corpusFile("generators", file), name: file))
            let finding = try XCTUnwrap(findings.first { $0.label == "generator.\(generator)" }, file)
            XCTAssertEqual(finding.category, .provenance, file)
            XCTAssertEqual(finding.strength, .strong, file)
            XCTAssertEqual(finding.details["primary"]?.boolValue, true, file)
            XCTAssertNotNil(finding.location?["offset"]?.intValue, file)
            XCTAssertTrue(finding.summary.contains("declared metadata, trivially added or stripped"), file)
            // Prompts stay in details, never in the summary.
            for key in ["prompt", "negativePrompt"] {
                if let prompt = finding.details["fields"]?[key]?.stringValue, prompt.count > 3 {
                    XCTAssertFalse(finding.summary.contains(prompt), "\(file): \(key) in summary")
                }
            }
            XCTAssertEqual(findings.filter { $0.details["primary"]?.boolValue == true }.count, 1, file)
        }
    }

    func testNoGeneratorFindingOnCameraOrPDQFiles() throws {
        var checked = 0
        for sub in ["camera", "pdq"] {
            let folder = try SharedCorpus.require(sub)
            let enumerator = FileManager.default.enumerator(atPath: folder)
            while let relative = enumerator?.nextObject() as? String {
                let lower = relative.lowercased()
                guard lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") || lower.hasSuffix(".png"),
                      let data = FileManager.default.contents(atPath: folder + "/" + relative) else { continue }
                let findings = try analyzer.analyze(artifact([UInt8](data), name: relative))
                let bad = findings.filter { $0.label.hasPrefix("generator.") || $0.label == "metadata.ai-declared" }
                XCTAssertEqual(bad.map(\.label), [], "\(sub)/\(relative)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 80)
    }

    // MARK: Stealth through the analyzer

    /// `magic | bitLength u32 BE | payload` into alpha LSBs, column-major, MSB first.
    private func stealthPNG(payload: String) throws -> [UInt8] {
        let width = 48, height = 48
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for index in 0..<(width * height) { pixels[index * 4] = UInt8(index & 0xFF); pixels[index * 4 + 3] = 255 }
        let body = Array(payload.utf8)
        let bits = UInt32(body.count * 8)
        let stream = Array("stealth_pnginfo".utf8) + [UInt8(bits >> 24), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)] + body
        for index in 0..<(stream.count * 8) {
            let bit = (stream[index / 8] >> (7 - UInt8(index % 8))) & 1
            let x = index / height, y = index % height
            pixels[(y * width + x) * 4 + 3] = 254 | bit
        }
        return try ImageEncoder.png(Raster(width: width, height: height, layout: .rgba, pixels: pixels))
    }

    func testStealthPayloadInARealPNG() throws {
        let text = "a secret prompt\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 11, Size: 48x48"
        let bytes = try stealthPNG(payload: text)
        let art = artifact(bytes, name: "s.png")
        XCTAssertTrue(GeneratorAnalyzer.readsStealth(art.container))
        let findings = try analyzer.analyze(art)
        let finding = try XCTUnwrap(findings.first { $0.label == "generator.automatic1111" })
        XCTAssertEqual(finding.details["fields"]?["seed"]?.stringValue, "11")
        XCTAssertEqual(finding.location?["element"]?.stringValue, "pixels")
        XCTAssertFalse(finding.summary.contains("secret"))
        XCTAssertEqual(art.decodeErrors, [])
    }

    func testOnlyTruecolourAndAlphaPNGsAreDecoded() throws {
        let jpeg = try ImageEncoder.jpeg(MetadataAnalyzerTests.picture(width: 16, height: 16), quality: 80)
        XCTAssertFalse(GeneratorAnalyzer.readsStealth(artifact(jpeg).container))
        let grey = try ImageEncoder.png(Raster(width: 4, height: 4, layout: .rgb, pixels: [UInt8](repeating: 9, count: 48)))
        XCTAssertTrue(GeneratorAnalyzer.readsStealth(artifact(grey).container))
        XCTAssertFalse(GeneratorAnalyzer.readsStealth(artifact(grey).container, withoutAlpha: false), "RGB-mode read can be turned off")
        var palette = grey
        palette[8 + 8 + 9] = 3   // IHDR colour type → palette (the CRC no longer matches; only the header is read)
        XCTAssertFalse(GeneratorAnalyzer.readsStealth(artifact(palette).container))
    }

    // MARK: Digital Source Type findings

    private func jpegWithXMP(_ body: String) throws -> [UInt8] {
        let xml = """
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" \
        xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">\(body)</rdf:Description></rdf:RDF></x:xmpmeta>
        """
        let encoded = try ImageEncoder.jpeg(MetadataAnalyzerTests.picture(width: 16, height: 16), quality: 80)
        return JPEGFixture.inserting([JPEGFixture.xmpSegment(xml)], into: encoded)
    }

    func testAIDeclaredAndOtherSourceTypes() throws {
        let google = try analyzer.analyze(artifact(try jpegWithXMP("""
            <Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>
            <photoshop:Credit>Made with Google AI</photoshop:Credit>
            """)))
        XCTAssertEqual(Set(google.map(\.label)), ["generator.google", "metadata.ai-declared"])
        let declared = try XCTUnwrap(google.first { $0.label == "metadata.ai-declared" })
        XCTAssertEqual(declared.category, .provenance)
        XCTAssertEqual(declared.strength, .moderate)
        XCTAssertEqual(declared.details["claim"]?.stringValue, "AI-generated")
        XCTAssertEqual(google.first { $0.label == "generator.google" }?.strength, .moderate, "medium confidence")

        let composite = try analyzer.analyze(artifact(try jpegWithXMP(
            "<Iptc4xmpExt:DigitalSourceType>compositeWithTrainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>")))
        XCTAssertEqual(composite.map(\.label), ["metadata.ai-declared"])
        XCTAssertEqual(composite.first?.details["claim"]?.stringValue, "AI-modified")

        let capture = try analyzer.analyze(artifact(try jpegWithXMP(
            "<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/computationalCapture</Iptc4xmpExt:DigitalSourceType>")))
        XCTAssertEqual(capture.map(\.label), ["metadata.digital-source-type"])
        XCTAssertEqual(capture.first?.strength, .info)
        XCTAssertTrue(capture.first?.summary.contains("not AI") == true)
    }

    func testNonImagesAndPlainFilesGiveNothing() throws {
        XCTAssertEqual(try analyzer.analyze(artifact(Array("hello".utf8))), [])
        let plain = try ImageEncoder.png(Raster(width: 8, height: 8, layout: .rgba, pixels: [UInt8](repeating: 200, count: 256)))
        XCTAssertEqual(try analyzer.analyze(artifact(plain)), [])
    }
}
