import Foundation
import XCTest
import ImprintImaging
import ImprintProvenance
import ImprintTestSupport

/// Conformance against the shared corpus: every row of generators/expected.csv is found
/// where the CSV says, and no camera or PDQ reference file yields a generator hit or an AI
/// declaration.
final class GeneratorCorpusTests: XCTestCase {
    struct Row {
        var file: String
        var generator: String
        var location: String
    }

    static func rows(_ folder: String) throws -> [Row] {
        let text = try String(contentsOfFile: folder + "/expected.csv", encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let parts = line.split(separator: ",", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { return nil }
            return Row(file: parts[0], generator: parts[1], location: parts[2])
        }
    }

    /// The carrier names a `where` cell mentions: quoted keywords, plus UserComment,
    /// `Software=` and `Comment` for the NovelAI row.
    static func expectedCarriers(_ location: String) -> [String] {
        var names = location.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        if location.contains("UserComment") { names.append("UserComment") }
        if location.contains("Software=") { names.append("\"Software\"") }
        if location.contains("Comment JSON") { names.append("\"Comment\"") }
        return names
    }

    func testExpectedCSVIsFullyMatched() throws {
        let folder = try SharedCorpus.require("generators")
        let rows = try Self.rows(folder)
        XCTAssertEqual(rows.count, 7, "expected.csv rows")
        var table = ["file | expected | found (primary) | rules | carriers | match"]
        for row in rows {
            let bytes = try XCTUnwrap(FileManager.default.contents(atPath: folder + "/" + row.file)).map { $0 }
            let scan = GF.scan(bytes)
            let primary = scan.hits.first?.generator
            let mine = scan.hits.filter { $0.generator == row.generator }
            // The carriers a rule read: its own, and those its companion fields came from.
            let carriers = mine.flatMap { hit in
                [hit.carrier] + (hit.fields["alsoReadFrom"]?.arrayValue ?? []).compactMap { $0["carrier"]?.stringValue }
            }
            let wanted = Self.expectedCarriers(row.location)
            let missing = wanted.filter { name in !carriers.contains { $0.contains(name) } }
            let ok = primary == row.generator && !mine.isEmpty && missing.isEmpty
            table.append("\(row.file) | \(row.generator) | \(primary ?? "-") | \(mine.map(\.rule).joined(separator: " ")) | "
                         + "\(carriers.joined(separator: "; ")) | \(ok ? "yes" : "NO, missing \(missing)")")
            XCTAssertEqual(primary, row.generator, row.file)
            XCTAssertTrue(missing.isEmpty, "\(row.file): carriers \(missing) not among \(carriers)")
            XCTAssertTrue(mine.allSatisfy { $0.offset != nil }, "\(row.file): every hit has a byte offset")
        }
        print(table.joined(separator: "\n"))
    }

    func testCorpusFieldsAreExtracted() throws {
        let folder = try SharedCorpus.require("generators")
        func scan(_ name: String) throws -> GF.Scan {
            GF.scan(try XCTUnwrap(FileManager.default.contents(atPath: folder + "/" + name)).map { $0 })
        }
        for name in ["automatic1111_cropped.png", "automatic1111_cropped.jpg"] {
            let hit = try XCTUnwrap(try scan(name).hit("automatic1111"), name)
            XCTAssertEqual(hit.fields["prompt"]?.stringValue, "photo of a duck", name)
            XCTAssertEqual(hit.fields["negativePrompt"]?.stringValue, "monochrome", name)
            XCTAssertEqual(hit.fields["seed"]?.stringValue, "235284042", name)
            XCTAssertEqual(hit.fields["steps"]?.stringValue, "15", name)
            XCTAssertEqual(hit.fields["sampler"]?.stringValue, "UniPC", name)
            XCTAssertEqual(hit.fields["modelHash"]?.stringValue, "c0d1994c73", name)
            XCTAssertEqual(hit.fields["model"]?.stringValue, "realistic_realisticVisionV20_v20", name)
            XCTAssertEqual(hit.fields["size"]?.stringValue, "512x400", name)
            XCTAssertEqual(hit.confidence, .high)
        }
        let jpeg = try XCTUnwrap(try scan("automatic1111_cropped.jpg").hit("automatic1111"))
        XCTAssertEqual(jpeg.fields["decoding"]?["charset"]?.stringValue, "UNICODE")
        XCTAssertEqual(jpeg.fields["decoding"]?["byteOrder"]?.stringValue, "big-endian")

        let comfy = try scan("img2img_cropped.png")
        let prompt = try XCTUnwrap(comfy.hits.first { $0.rule == "comfyui.png-prompt" })
        XCTAssertEqual(prompt.fields["seed"]?.intValue, 280823642470253)
        XCTAssertEqual(prompt.fields["steps"]?.intValue, 20)
        XCTAssertEqual(prompt.fields["model"]?.stringValue, "v1-5-pruned-emaonly.ckpt")
        XCTAssertEqual(prompt.fields["negativePrompt"]?.stringValue, "watermark, text\n")
        XCTAssertEqual(prompt.fields["nodeTypes"]?["KSampler"]?.intValue, 1)
        XCTAssertEqual(prompt.fields["nodeTypes"]?["CLIPTextEncode"]?.intValue, 2)
        let workflow = try XCTUnwrap(comfy.hits.first { $0.rule == "comfyui.png-workflow" })
        XCTAssertEqual(workflow.fields["nodeTypes"]?["LoadImage"]?.intValue, 1)

        let multi = try XCTUnwrap(try scan("night_evening_day_morning_cropped.png").hits.first { $0.rule == "comfyui.png-prompt" })
        XCTAssertEqual(multi.fields["size"]?.stringValue, "704x1280")
        XCTAssertEqual(multi.fields["samplers"]?.arrayValue?.count, 2)
        XCTAssertTrue(multi.fields["prompt"]?.stringValue?.contains("morning sky") == true, "texts behind ConditioningCombine chains")

        let fooocus = try XCTUnwrap(try scan("fooocus1_cropped.png").hit("fooocus"))
        XCTAssertEqual(fooocus.fields["scheme"]?.stringValue, "fooocus")
        XCTAssertEqual(fooocus.fields["prompt"]?.stringValue, "a smiling goldfish")
        XCTAssertEqual(fooocus.fields["model"]?.stringValue, "juggernautXL_v8Rundiffusion")
        XCTAssertEqual(fooocus.fields["modelHash"]?.stringValue, "aeb7e9e689")
        XCTAssertEqual(fooocus.fields["version"]?.stringValue, "Fooocus v2.4.3")
        XCTAssertEqual(fooocus.confidence, .high)

        let invoke = try XCTUnwrap(try scan("invokeai_dream1.png").hit("invokeai"))
        XCTAssertEqual(invoke.rule, "invokeai.dream")
        XCTAssertEqual(invoke.fields["steps"]?.stringValue, "50")
        XCTAssertEqual(invoke.fields["seed"]?.stringValue, "2980747362")
        XCTAssertEqual(invoke.fields["size"]?.stringValue, "512x768")
        XCTAssertEqual(invoke.fields["sampler"]?.stringValue, "k_lms")
        XCTAssertEqual(invoke.fields["negativePrompt"]?.stringValue, "rendering, glowing eyes, skinny")
        XCTAssertEqual(invoke.fields["flags"]?["-U"]?.stringValue, "4 0.95")

        let novel = try XCTUnwrap(try scan("novelai1_cropped.png").hit("novelai"))
        XCTAssertEqual(novel.fields["steps"]?.intValue, 50)
        XCTAssertEqual(novel.fields["seed"]?.intValue, 2253955223)
        XCTAssertEqual(novel.fields["sampler"]?.stringValue, "k_euler_ancestral")
        XCTAssertEqual(novel.fields["model"]?.stringValue, "Stable Diffusion 1D44365E")
        XCTAssertEqual(novel.confidence, .high)
    }

    /// Real camera JPEGs and PDQ reference images: no generator rule and no AI declaration fires.
    func testCameraAndPDQFilesGiveNoGeneratorHit() throws {
        var checked = 0
        for sub in ["camera", "pdq"] {
            let folder = try SharedCorpus.require(sub)
            let enumerator = FileManager.default.enumerator(atPath: folder)
            while let relative = enumerator?.nextObject() as? String {
                let lower = relative.lowercased()
                guard lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") || lower.hasSuffix(".png") else { continue }
                guard let data = FileManager.default.contents(atPath: folder + "/" + relative) else { continue }
                let bytes = [UInt8](data)
                let scan = GF.scan(bytes)
                XCTAssertEqual(scan.hits.map(\.rule), [], "\(sub)/\(relative)")
                XCTAssertFalse(scan.declarations.contains(where: \.declaresAI), "\(sub)/\(relative)")
                if FormatSniffer.sniff(bytes) == .png, let raster = try? ImageDecoder().decode(bytes, format: .png) {
                    XCTAssertEqual(StealthPNGInfo.read(raster), [], "\(sub)/\(relative) stealth")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 80)
    }
}
