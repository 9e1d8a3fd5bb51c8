import XCTest
import ImprintBytes
import ImprintImaging
import ImprintProvenance
import ImprintTestSupport

/// Files made byte by byte for the generators the corpus has no sample of, following
/// GENERATOR-METADATA.md; each checks the rule, the carrier, the offset and the fields.
final class GeneratorFixtureTests: XCTestCase {
    // MARK: AUTOMATIC1111 UserComment in both byte orders

    func testA1111UnicodeUserCommentBigEndianUnderMM() throws {
        let value = Array("UNICODE\0".utf8) + GF.utf16(GF.a1111Text, bigEndian: true)
        let bytes = try GF.jpeg([GF.exifAPP1(GF.bigEndianUserComment(value))])
        let hit = try XCTUnwrap(GF.scan(bytes).hit("automatic1111"))
        XCTAssertEqual(hit.rule, "a1111.usercomment")
        XCTAssertEqual(hit.fields["prompt"]?.stringValue, "photo of a duck")
        XCTAssertEqual(hit.fields["decoding"]?["byteOrder"]?.stringValue, "big-endian")
        XCTAssertEqual(hit.fields["decoding"]?["byteOrderReason"]?.stringValue, "TIFF header")
        // The offset is the UserComment value's first byte in the file.
        let offset = try XCTUnwrap(hit.offset)
        XCTAssertEqual(Array(bytes[offset..<(offset + 8)]), Array("UNICODE\0".utf8))
    }

    func testA1111UnicodeUserCommentLittleEndianUnderII() throws {
        var exif = ExifBuilder()
        exif.exif = [(0x9286, .undefined(Array("UNICODE\0".utf8) + GF.utf16(GF.a1111Text + "\0", bigEndian: false)))]
        let hit = try XCTUnwrap(GF.scan(try GF.jpeg([GF.exifAPP1(exif.build())])).hit("automatic1111"))
        XCTAssertEqual(hit.fields["seed"]?.stringValue, "235284042")
        XCTAssertEqual(hit.fields["model"]?.stringValue, "realistic_realisticVisionV20_v20", "trailing NULs stripped")
        XCTAssertEqual(hit.fields["decoding"]?["byteOrder"]?.stringValue, "little-endian")
    }

    func testUserCommentFallsBackWhenTheHeaderOrderIsWrong() throws {
        // Big-endian UTF-16 (piexif's habit) inside a little-endian TIFF block.
        var exif = ExifBuilder()
        exif.exif = [(0x9286, .undefined(Array("UNICODE\0".utf8) + GF.utf16(GF.a1111Text, bigEndian: true)))]
        let hit = try XCTUnwrap(GF.scan(try GF.jpeg([GF.exifAPP1(exif.build())])).hit("automatic1111"))
        XCTAssertEqual(hit.fields["prompt"]?.stringValue, "photo of a duck")
        XCTAssertEqual(hit.fields["decoding"]?["byteOrder"]?.stringValue, "big-endian")
        XCTAssertTrue(hit.fields["decoding"]?["byteOrderReason"]?.stringValue?.hasPrefix("fallback") == true)
    }

    func testUserCommentWithBOMAndNonLatinPrompt() throws {
        let text = "猫の写真, 夜\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512"
        var exif = ExifBuilder()
        exif.exif = [(0x9286, .undefined(Array("UNICODE\0".utf8) + [0xFE, 0xFF] + GF.utf16(text, bigEndian: true)))]
        let hit = try XCTUnwrap(GF.scan(try GF.jpeg([GF.exifAPP1(exif.build())])).hit("automatic1111"))
        XCTAssertEqual(hit.fields["prompt"]?.stringValue, "猫の写真, 夜")
        XCTAssertEqual(hit.fields["decoding"]?["byteOrderReason"]?.stringValue, "BOM")
    }

    // MARK: ComfyUI WebP EXIF trick

    func testComfyUIWebPMakeModelTrick() throws {
        let prompt = #"{"3": {"class_type": "KSampler", "inputs": {"seed": 7, "steps": 12, "cfg": 6.5, "sampler_name": "euler", "#
            + #""scheduler": "normal", "denoise": 1.0, "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0]}}, "#
            + #""4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sdxl.safetensors"}}, "#
            + #""6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a lighthouse", "clip": ["4", 1]}}, "#
            + #""7": {"class_type": "CLIPTextEncode", "inputs": {"text": "fog", "clip": ["4", 1]}}}"#
        let workflow = #"{"last_node_id": 7, "last_link_id": 3, "nodes": [{"id": 3, "type": "KSampler"}, {"id": 6, "type": "CLIPTextEncode"}], "links": []}"#
        var exif = ExifBuilder()
        exif.ifd0 = [(0x010F, .ascii("workflow:" + workflow)), (0x0110, .ascii("prompt:" + prompt)),
                     (0x010E, .ascii("extra:{\"note\": 1}"))]
        let scan = GF.scan(GF.webp(chunks: [("EXIF", exif.build())]))
        XCTAssertEqual(scan.container.format, .webp)
        let rules = Set(scan.hits.filter { $0.generator == "comfyui" }.map(\.rule))
        XCTAssertEqual(rules, ["comfyui.exif-model-prompt", "comfyui.exif-make-workflow", "comfyui.exif-extra"])
        let hit = try XCTUnwrap(scan.hits.first { $0.rule == "comfyui.exif-model-prompt" })
        XCTAssertEqual(hit.fields["prompt"]?.stringValue, "a lighthouse")
        XCTAssertEqual(hit.fields["negativePrompt"]?.stringValue, "fog")
        XCTAssertEqual(hit.fields["model"]?.stringValue, "sdxl.safetensors")
        XCTAssertEqual(hit.carrier, "EXIF IFD0 Model (0x0110)")
        XCTAssertEqual(scan.hits.first?.generator, "comfyui")
    }

    // MARK: InvokeAI ≥ 3 and 2.x

    func testInvokeAI3MetadataAndGraph() throws {
        let metadata = #"{"generation_mode": "sdxl_txt2img", "positive_prompt": "a red fox", "negative_prompt": "", "width": 1024, "#
            + #""height": 1024, "seed": 99, "rand_device": "cpu", "cfg_scale": 7.5, "steps": 30, "scheduler": "euler", "#
            + #""model": {"model_name": "sdxl-base", "base_model": "sdxl"}}"#
        let graph = #"{"id": "g", "nodes": {"a": {"type": "main_model_loader"}, "b": {"type": "denoise_latents"}}, "edges": []}"#
        let scan = GF.scan(try GF.png(chunks: [GF.tEXt("invokeai_metadata", metadata), GF.tEXt("invokeai_graph", graph)]))
        let hit = try XCTUnwrap(scan.hit("invokeai"))
        XCTAssertEqual(hit.rule, "invokeai.metadata")
        XCTAssertEqual(hit.fields["prompt"]?.stringValue, "a red fox")
        XCTAssertEqual(hit.fields["model"]?.stringValue, "sdxl-base")
        XCTAssertEqual(hit.fields["graph"]?["nodeTypes"]?["denoise_latents"]?.intValue, 1)
        XCTAssertFalse(scan.hits.contains { $0.rule == "invokeai.graph" }, "the graph is part of the metadata hit")
    }

    func testInvokeAI2SDMetadata() throws {
        let sd = #"{"model": "stable diffusion", "model_weights": "stable-diffusion-1.5", "model_hash": "cc6cb27103", "#
            + #""app_id": "invoke-ai/InvokeAI", "app_version": "2.3.0", "image": {"prompt": [{"prompt": "a castle", "weight": 1.0}], "#
            + #""steps": 30, "cfg_scale": 7.5, "seed": 123, "width": 512, "height": 512, "sampler": "k_euler"}}"#
        let scan = GF.scan(try GF.png(chunks: [GF.tEXt("sd-metadata", sd), GF.tEXt("Dream", "\"a castle\" -s 30 -S 123 -W 512 -H 512 -C 7.5 -A k_euler")]))
        let hits = scan.hits.filter { $0.generator == "invokeai" }
        XCTAssertEqual(hits.first?.rule, "invokeai.sd-metadata")
        XCTAssertEqual(hits.first?.fields["version"]?.stringValue, "2.3.0")
        XCTAssertEqual(hits.first?.fields["model"]?.stringValue, "stable-diffusion-1.5")
        XCTAssertTrue(hits.contains { $0.rule == "invokeai.dream" })
    }

    // MARK: Easy Diffusion, SwarmUI, Draw Things, Fooocus JPEG, Replicate

    func testEasyDiffusionPNGKeysAndJPEGUserComment() throws {
        let png = GF.scan(try GF.png(chunks: [
            GF.tEXt("prompt", "a windmill"), GF.tEXt("negative_prompt", "blurry"), GF.tEXt("seed", "42"),
            GF.tEXt("use_stable_diffusion_model", "sd-v1-4"), GF.tEXt("sampler_name", "euler_a"),
            GF.tEXt("num_inference_steps", "25"), GF.tEXt("guidance_scale", "7.5"),
        ]))
        let hit = try XCTUnwrap(png.hit("easydiffusion"))
        XCTAssertEqual(hit.fields["prompt"]?.stringValue, "a windmill")
        XCTAssertEqual(hit.fields["model"]?.stringValue, "sd-v1-4")
        XCTAssertNil(png.hit("comfyui"), "a plain-text prompt key is not a ComfyUI graph")

        var exif = ExifBuilder()
        exif.exif = [(0x9286, .undefined(Array("ASCII\0\0\0".utf8) + Array(
            #"{"prompt": "a windmill", "seed": 42, "use_stable_diffusion_model": "sd-v1-4", "num_inference_steps": 25, "guidance_scale": 7.5}"#.utf8)))]
        let jpeg = GF.scan(try GF.jpeg([GF.exifAPP1(exif.build())]))
        XCTAssertEqual(jpeg.hits.first?.generator, "easydiffusion")
        XCTAssertNil(jpeg.hit("automatic1111"))
    }

    func testSwarmUIParametersJSON() throws {
        let json = #"{"sui_image_params": {"prompt": "a glacier", "negativeprompt": "people", "model": "OfficialStableDiffusion/sd_xl_base_1.0", "seed": 5, "steps": 20, "cfgscale": 7, "width": 1024, "height": 1024, "swarm_version": "0.6.1"}}"#
        let hit = try XCTUnwrap(GF.scan(try GF.png(chunks: [GF.tEXt("parameters", json)])).hits.first)
        XCTAssertEqual(hit.generator, "swarmui")
        XCTAssertEqual(hit.fields["negativePrompt"]?.stringValue, "people")
        XCTAssertEqual(hit.fields["version"]?.stringValue, "0.6.1")
    }

    func testDrawThingsXMPUserComment() throws {
        let json = #"{"c": "a koi pond", "uc": "text", "size": "768x768", "seed": 3, "steps": 8, "scale": 4.5, "sampler": "DPM++ 2M Karras", "model": "sd_xl_base_1.0_f16.ckpt"}"#
        let xmp = """
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
        <xmp:CreatorTool>Draw Things</xmp:CreatorTool>
        <exif:UserComment><rdf:Alt><rdf:li xml:lang="x-default">\(json.replacingXMLEntities())</rdf:li></rdf:Alt></exif:UserComment>
        </rdf:Description></rdf:RDF></x:xmpmeta>
        """
        let scan = GF.scan(try GF.png(chunks: [GF.iTXt("XML:com.adobe.xmp", xmp)]))
        let hit = try XCTUnwrap(scan.hits.first { $0.rule == "drawthings.xmp-usercomment" })
        XCTAssertEqual(hit.fields["prompt"]?.stringValue, "a koi pond")
        XCTAssertEqual(hit.fields["size"]?.stringValue, "768x768")
        XCTAssertEqual(hit.fields["creatorTool"]?.stringValue, "Draw Things")
        XCTAssertEqual(hit.confidence, .medium)
    }

    func testFooocusJPEGSoftwareUserCommentMakerNote() throws {
        var exif = ExifBuilder()
        exif.ifd0 = [(0x0131, .ascii("Fooocus v2.4.3"))]
        exif.exif = [(0x9286, .undefined(Array("ASCII\0\0\0".utf8) + Array(
            #"{"prompt": "a teapot", "negative_prompt": "", "base_model": "juggernautXL", "seed": "1", "steps": 30, "sampler": "dpmpp_2m", "version": "Fooocus v2.4.3"}"#.utf8))),
                     (0x927C, .undefined(Array("fooocus".utf8)))]
        let scan = GF.scan(try GF.jpeg([GF.exifAPP1(exif.build())]))
        XCTAssertEqual(Set(scan.generators), ["fooocus"])
        let hit = try XCTUnwrap(scan.hits.first)
        XCTAssertEqual(hit.rule, "fooocus.exif")
        XCTAssertEqual(hit.fields["prompt"]?.stringValue, "a teapot")
        XCTAssertEqual(hit.fields["scheme"]?.stringValue, "fooocus")
        XCTAssertEqual(hit.confidence, .high)
    }

    func testReplicateMediaProvenanceJSONAnywhere() throws {
        let json = #"{"provider": "Replicate", "model": "stability-ai/sdxl", "input": {"prompt": "a lantern", "seed": 4}}"#
        let hit = try XCTUnwrap(GF.scan(try GF.jpeg([(0xFE, Array(json.utf8))])).hit("replicate"))
        XCTAssertEqual(hit.fields["model"]?.stringValue, "stability-ai/sdxl")
        XCTAssertEqual(hit.fields["prompt"]?.stringValue, "a lantern")
        XCTAssertEqual(hit.confidence, .low)
    }

    // MARK: Midjourney, Google, Meta, GB 45438

    static func xmp(_ body: String, namespaces: String) -> String {
        """
        <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" \(namespaces)>\(body)
        </rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>
        """
    }

    func testMidjourneyPNGWithNonStandardPrefix() throws {
        let job = "0f5a4c2e-1234-4abc-9def-0123456789ab"
        // Midjourney files have been seen with `iptcExt:`; the namespace URI decides.
        let xmp = Self.xmp("""
            <iptcExt:DigImageGUID>\(job)</iptcExt:DigImageGUID>
            <iptcExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</iptcExt:DigitalSourceType>
            """, namespaces: #"xmlns:iptcExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/""#)
        let bytes = try GF.png(chunks: [
            GF.tEXt("Description", "cat wizard --ar 3:2 --v 6 --seed 987 Job ID: \(job)"), GF.tEXt("Author", "123456789012345678"),
            GF.tEXt("Creation Time", "2024-05-01T10:00:00Z"), GF.iTXt("XML:com.adobe.xmp", xmp),
        ])
        let scan = GF.scan(bytes)
        let hits = scan.hits.filter { $0.generator == "midjourney" }
        XCTAssertEqual(hits.map(\.rule), ["midjourney.png-description", "midjourney.xmp-guid"])
        let hit = try XCTUnwrap(hits.first)
        XCTAssertEqual(hit.fields["prompt"]?.stringValue, "cat wizard")
        XCTAssertEqual(hit.fields["jobId"]?.stringValue, job)
        XCTAssertEqual(hit.fields["aspectRatio"]?.stringValue, "3:2")
        XCTAssertEqual(hit.fields["version"]?.stringValue, "6")
        XCTAssertEqual(hit.fields["seed"]?.stringValue, "987")
        XCTAssertEqual(hit.fields["author"]?.stringValue, "123456789012345678")
        XCTAssertEqual(hit.fields["digImageGUID"]?.stringValue, job)
        XCTAssertEqual(hit.confidence, .medium)
        XCTAssertEqual(scan.declarations.map(\.term), ["trainedAlgorithmicMedia"])
        XCTAssertTrue(scan.declarations[0].declaresAI)
    }

    func testMidjourneyFlagsOnlyScoresLow() throws {
        let hit = try XCTUnwrap(GF.scan(try GF.png(chunks: [GF.tEXt("Description", "a fox --ar 16:9 --v 5.2")])).hit("midjourney"))
        XCTAssertEqual(hit.rule, "midjourney.png-description-flags")
        XCTAssertEqual(hit.confidence, .low)
        XCTAssertNil(GF.scan(try GF.png(chunks: [GF.tEXt("Description", "a quiet harbour at dawn")])).hit("midjourney"))
    }

    func testGoogleXMPAttributeAndElementForms() throws {
        let attribute = Self.xmp("", namespaces: """
            xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" \
            Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia" \
            photoshop:Credit="Made with Google AI"
            """)
        let element = Self.xmp("""
            <Iptc4xmpExt:DigitalSourceType>trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>
            <photoshop:Credit>Made with Google AI</photoshop:Credit>
            """, namespaces: #"xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/""#)
        for (name, xml) in [("attribute", attribute), ("element, bare term", element)] {
            let scan = GF.scan(try GF.jpeg([GF.xmpAPP1(xml)]))
            let hit = try XCTUnwrap(scan.hit("google"), name)
            XCTAssertEqual(hit.rule, "google.xmp-credit", name)
            XCTAssertEqual(hit.fields["credit"]?.stringValue, "Made with Google AI", name)
            XCTAssertEqual(hit.element, "XMP", name)
            XCTAssertNotNil(hit.offset, name)
            XCTAssertEqual(scan.declarations.first?.term, "trainedAlgorithmicMedia", name)
            XCTAssertNil(scan.hit("midjourney"), name)
        }
        // The credit alone, or the source type alone, is not Google.
        let creditOnly = Self.xmp("<photoshop:Credit>Made with Google AI</photoshop:Credit>",
                                  namespaces: #"xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/""#)
        XCTAssertNil(GF.scan(try GF.jpeg([GF.xmpAPP1(creditOnly)])).hit("google"))
    }

    func testMetaNeedsAMetaMarkerBesideTheSourceType() throws {
        let namespaces = #"xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:dc="http://purl.org/dc/elements/1.1/""#
        let dst = "<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>"
        let meta = Self.xmp(dst + "<dc:creator><rdf:Seq><rdf:li>Meta AI</rdf:li></rdf:Seq></dc:creator>", namespaces: namespaces)
        XCTAssertEqual(GF.scan(try GF.jpeg([GF.xmpAPP1(meta)])).hit("meta")?.rule, "meta.iptc-dst")
        let bare = GF.scan(try GF.jpeg([GF.xmpAPP1(Self.xmp(dst, namespaces: namespaces))]))
        XCTAssertEqual(bare.hits.map(\.rule), [], "a bare source type names no generator")
        XCTAssertTrue(bare.declarations.contains(where: \.declaresAI))
    }

    static let aigcJSON = #"{"AIGC": {"Label": "1", "ContentProducer": "001191110000802100433B", "ProduceID": "p-123", "#
        + #""ReservedCode1": "", "ContentPropagator": "001191110000802100433B", "PropagateID": "q-456", "ReservedCode2": ""}}"#

    func testGB45438LabelInUserCommentPNGTextAndXMP() throws {
        var exif = ExifBuilder()
        exif.exif = [(0x9286, .undefined(Array("ASCII\0\0\0".utf8) + Array(Self.aigcJSON.utf8)))]
        let fromExif = try XCTUnwrap(GF.scan(try GF.jpeg([GF.exifAPP1(exif.build())])).hit("gb45438"))
        XCTAssertEqual(fromExif.rule, "gb45438.usercomment")
        XCTAssertEqual(fromExif.fields["label"]?.stringValue, "1")
        XCTAssertEqual(fromExif.fields["contentProducer"]?.stringValue, "001191110000802100433B")
        XCTAssertEqual(fromExif.fields["labelMeaning"]?.stringValue, "AI-generated (Label 1)")
        XCTAssertNil(GF.scan(try GF.jpeg([GF.exifAPP1(exif.build())])).hit("easydiffusion"))

        let fromPNG = try XCTUnwrap(GF.scan(try GF.png(chunks: [GF.tEXt("AIGC", Self.aigcJSON)])).hit("gb45438"))
        XCTAssertEqual(fromPNG.rule, "gb45438.png-text")
        XCTAssertEqual(fromPNG.fields["produceId"]?.stringValue, "p-123")

        let xmp = Self.xmp("<AIGC:AIGC>\(Self.aigcJSON.replacingXMLEntities())</AIGC:AIGC>",
                           namespaces: #"xmlns:AIGC="http://www.tc260.org.cn/ns/AIGC/1.0/""#)
        let fromXMP = try XCTUnwrap(GF.scan(try GF.jpeg([GF.xmpAPP1(xmp)])).hit("gb45438"))
        XCTAssertEqual(fromXMP.rule, "gb45438.xmp")
        XCTAssertEqual(fromXMP.fields["propagateId"]?.stringValue, "q-456")
    }

    // MARK: Digital Source Type

    func testDigitalSourceTypeValuesAndIIM() throws {
        XCTAssertEqual(SourceTypeVocabulary.term(of: "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"),
                       "compositeWithTrainedAlgorithmicMedia")
        XCTAssertEqual(SourceTypeVocabulary.term(of: "  trainedAlgorithmicMedia "), "trainedAlgorithmicMedia")
        XCTAssertEqual(SourceTypeVocabulary.term(of: "https://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture/"), "digitalCapture")
        XCTAssertNil(SourceTypeVocabulary.term(of: "http://example.com/trainedAlgorithmicMedia"))
        XCTAssertEqual(SourceTypeVocabulary.meaning(of: "digitalCapture"), "not AI")
        XCTAssertEqual(SourceTypeVocabulary.meaning(of: "made up"), "unrecognised")

        let namespaces = #"xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/""#
        let capture = Self.xmp("<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture</Iptc4xmpExt:DigitalSourceType>",
                               namespaces: namespaces)
        let scan = GF.scan(try GF.jpeg([GF.xmpAPP1(capture),
                                        GF.iptcAPP13([(2, 228, "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"),
                                                      (2, 120, "trainedAlgorithmicMedia")])]))
        XCTAssertEqual(scan.declarations.map(\.meaning), ["not AI", "AI-modified"])
        XCTAssertEqual(scan.declarations.map(\.declaresAI), [false, true])
        XCTAssertTrue(scan.declarations[1].carrier.hasPrefix("IPTC 2:228"), "a caption saying the bare word is not a declaration")
        XCTAssertEqual(scan.hits.map(\.rule), [])
    }

    // MARK: Face-swap tools

    func testDeepFaceLabAPP15PickleIsWalkedNotLoaded() throws {
        let bytes = try GF.jpeg([(0xEF, GF.P.deepFaceLab())])
        let scan = GF.scan(bytes)
        XCTAssertEqual(scan.hits.map(\.rule), ["deepfacelab.app15-pickle"])
        let hit = try XCTUnwrap(scan.hits.first)
        XCTAssertEqual(hit.confidence, .high)
        XCTAssertEqual(hit.fields["faceType"]?.stringValue, "whole_face")
        XCTAssertEqual(hit.fields["sourceFilename"]?.stringValue, "frame_000123.png")
        XCTAssertEqual(hit.fields["landmarks"]?.boolValue, true)
        XCTAssertEqual(hit.fields["xsegMask"]?.boolValue, false)
        XCTAssertEqual(hit.fields["pickleProtocol"]?.intValue, 4)
        XCTAssertEqual(hit.fields["codeReferences"]?.arrayValue?.compactMap(\.stringValue),
                       ["numpy.core.multiarray._reconstruct", "numpy.ndarray", "numpy.dtype"])
        XCTAssertEqual(hit.fields["keys"]?.arrayValue?.count, 9)
        let offset = try XCTUnwrap(hit.offset)
        XCTAssertEqual(Array(bytes[offset..<(offset + 2)]), [0xFF, 0xEF])
    }

    func testDeepFaceLabFallsBackToKeyScanWhenTheWalkFails() throws {
        // An opcode the walker does not model (EMPTY_SET) inside an otherwise DFL pickle.
        var pickle = GF.P.deepFaceLab()
        pickle.insert(contentsOf: [0x8F, 0x30], at: pickle.count - 2)  // EMPTY_SET, POP before SETITEMS
        let scan = GF.scan(try GF.jpeg([(0xEF, pickle)]))
        XCTAssertEqual(scan.hits.map(\.rule), ["deepfacelab.app15-keys"])
        XCTAssertEqual(scan.hits.first?.confidence, .medium)
        XCTAssertEqual(scan.hits.first?.fields["sourceFilename"]?.stringValue, "frame_000123.png")
        XCTAssertTrue(scan.hits.first?.fields["walkError"]?.stringValue?.contains("unsupportedOpcode") == true)
    }

    func testUnrelatedAPP15IsNotDeepFaceLab() throws {
        XCTAssertEqual(GF.scan(try GF.jpeg([(0xEF, Array("some vendor data face_type".utf8))])).hits.map(\.rule), [])
    }

    func testFaceswapITXtDictIsParsedNeverEvaluated() throws {
        let literal = "{'alignments': {'x': 10, 'w': 200, 'y': 12, 'h': 210, 'landmarks_xy': [(1.5, 2.0), (3.25, -4.0)], "
            + "'mask': {}, 'identity': {}}, 'source': {'alignments_version': 2.3, 'original_filename': 'clip_000042_0.png', "
            + "'face_index': 0, 'source_filename': 'clip_000042.png', 'source_is_video': True, 'source_frame_dims': (1080, 1920)}}"
        let bytes = try GF.png(chunks: [GF.iTXt("faceswap", literal)])
        // The chunk data is the keyword, five zero bytes, then the text (GENERATOR-METADATA.md §4).
        let chunkStart = try XCTUnwrap(bytes.firstRange(of: Array("iTXtfaceswap".utf8))).lowerBound + 4
        XCTAssertEqual(Array(bytes[(chunkStart + 8)..<(chunkStart + 13)]), [0, 0, 0, 0, 0])
        let hit = try XCTUnwrap(GF.scan(bytes).hit("faceswap"))
        XCTAssertEqual(hit.rule, "faceswap.itxt")
        XCTAssertEqual(hit.fields["sourceFilename"]?.stringValue, "clip_000042.png")
        XCTAssertEqual(hit.fields["sourceIsVideo"]?.boolValue, true)
        XCTAssertEqual(hit.fields["sourceFrameDims"], .array([.int(1080), .int(1920)]))
        XCTAssertEqual(hit.fields["landmarkCount"]?.intValue, 2)

        let hostile = try GF.png(chunks: [GF.iTXt("faceswap", "{'source': __import__('os').system('echo hi')}")])
        let fallback = try XCTUnwrap(GF.scan(hostile).hit("faceswap"))
        XCTAssertEqual(fallback.rule, "faceswap.itxt-unparsed")
        XCTAssertEqual(fallback.confidence, .medium)
    }

    // MARK: Precedence

    func testFooocusSchemeA1111IsFooocusNotA1111() throws {
        let scan = GF.scan(try GF.png(chunks: [GF.tEXt("parameters", GF.a1111Text), GF.tEXt("fooocus_scheme", "a1111")]))
        XCTAssertEqual(Set(scan.generators), ["fooocus"])
        XCTAssertEqual(scan.hits.first?.fields["prompt"]?.stringValue, "photo of a duck")
    }

    func testParametersWithPromptGraphIsComfyUI() throws {
        let graph = #"{"1": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 2}}}"#
        let scan = GF.scan(try GF.png(chunks: [GF.tEXt("parameters", GF.a1111Text), GF.tEXt("prompt", graph)]))
        XCTAssertEqual(Set(scan.generators), ["comfyui"])
        XCTAssertEqual(scan.hits.first?.rule, "comfyui.png-parameters-a1111")
    }

    func testGenericSoftwareNameIsLowAndWholeWord() throws {
        var exif = ExifBuilder()
        exif.ifd0 = [(0x0131, .ascii("ComfyUI 0.3"))]
        let hit = try XCTUnwrap(GF.scan(try GF.jpeg([GF.exifAPP1(exif.build())])).hit("comfyui"))
        XCTAssertEqual(hit.rule, "generic.software-name")
        XCTAssertEqual(hit.confidence, .low)
        exif.ifd0 = [(0x0131, .ascii("NovelAIsh Editor"))]
        XCTAssertEqual(GF.scan(try GF.jpeg([GF.exifAPP1(exif.build())])).hits.map(\.rule), [])
    }
}

extension String {
    /// Escapes text for an XML element body.
    func replacingXMLEntities() -> String {
        var out = ""
        for c in self {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(c)
            }
        }
        return out
    }
}
