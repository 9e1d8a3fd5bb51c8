/// The generator rule table (GENERATOR-METADATA.md §3–§5), as data. Each row says where
/// a tool's metadata lives, what marks it as that tool's, and what to extract.
///
/// Precedence (lower wins the primary label, §5): tool-specific structures first — in the
/// spec's JPEG/WebP order (5–19) and PNG order (10–110), with the face-swap structures
/// among them (25–29) — then IPTC/XMP labels (190–230), the AIGC label (300), generic
/// strings (400+). Stealth payloads rank after everything in the file (the scanner adds 1000).
/// C2PA, first in the spec's ranking, is reported by the C2PA analyzer, not by this table.
public enum GeneratorRuleTable {
    typealias NS = GeneratorNamespaces

    static let userComment = Locator.exif(.exif, 0x9286)
    static let software = Locator.exif(.ifd0, 0x0131)
    static let model = Locator.exif(.ifd0, 0x0110)
    static let make = Locator.exif(.ifd0, 0x010F)
    static let digitalSourceType = Locator.xmp(NS.iptc4xmpExt, "DigitalSourceType")
    static let trained: TextTest = .sourceType(["trainedAlgorithmicMedia"])

    static let novelAISoftware = Condition(.text("Software"), tests: [.equals("NovelAI")])
    static let fooocusSoftware = Condition(software, tests: [.hasPrefix("Fooocus")])
    static let comfyPromptGraph = Condition(.text("prompt"), parser: .comfyPrompt)
    static let fooocusParameters = FieldParser.firstOf([.json(GeneratorJSONMaps.fooocus), .a1111])

    public static var rules: [GeneratorRule] { all }

    static let all: [GeneratorRule] = automatic1111 + comfyUI + invokeAI + novelAI + fooocus + easyDiffusion + swarmUI
        + drawThings + midjourney + google + meta + gb45438 + replicate + faceSwap + genericNames

    static let automatic1111: [GeneratorRule] = [
        GeneratorRule("a1111.png-parameters", "automatic1111", [.text("parameters")], tests: [.lacks("sui_image_params")],
                      excludes: [Condition(.text("fooocus_scheme")), comfyPromptGraph],
                      parser: .a1111, confidence: .high, precedence: 32),
        GeneratorRule("a1111.usercomment", "automatic1111", [userComment], tests: [.lacks("sui_image_params")],
                      excludes: [fooocusSoftware], parser: .a1111, confidence: .high, precedence: 19),
        GeneratorRule("a1111.comment", "automatic1111", [.comment], parser: .a1111, confidence: .high, precedence: 33,
                      note: "A1111 text in a JPEG COM segment or a GIF comment extension"),
        GeneratorRule("a1111.extras", "automatic1111", [.text("postprocessing"), .text("extras")],
                      parser: .text(as: "postprocessing"), confidence: .medium, precedence: 40,
                      note: "A1111 Extras: the file was processed (e.g. upscaled), not necessarily generated"),
    ]

    static let comfyUI: [GeneratorRule] = [
        GeneratorRule("comfyui.png-parameters-a1111", "comfyui", [.text("parameters")], requires: [comfyPromptGraph],
                      parser: .a1111, confidence: .high, precedence: 31,
                      note: "ComfyUI writing A1111-compatible text (parameters and a prompt graph together)"),
        GeneratorRule("comfyui.png-prompt", "comfyui", [.text("prompt")], parser: .comfyPrompt, confidence: .high, precedence: 80),
        GeneratorRule("comfyui.png-workflow", "comfyui", [.text("workflow")], parser: .comfyWorkflow, confidence: .high,
                      precedence: 81),
        GeneratorRule("comfyui.exif-model-prompt", "comfyui", [model], tests: [.hasPrefix("prompt:")],
                      parser: .afterPrefix("prompt:", .comfyPrompt), confidence: .high, precedence: 15,
                      note: "ComfyUI WebP/JPEG saver: EXIF Model holds \"prompt:\" + JSON (not a camera model)"),
        GeneratorRule("comfyui.exif-make-workflow", "comfyui", [make], tests: [.hasPrefix("workflow:")],
                      parser: .afterPrefix("workflow:", .comfyWorkflow), confidence: .high, precedence: 15,
                      note: "ComfyUI WebP/JPEG saver: EXIF Make holds \"workflow:\" + JSON (not a camera make)"),
        GeneratorRule("comfyui.exif-extra", "comfyui", (0x010A...0x010E).map { Locator.exif(.ifd0, UInt16($0)) },
                      tests: [.keyedJSON], requires: [Condition([model, make], tests: [.keyedJSON])],
                      parser: .keyedJSON, confidence: .high, precedence: 16,
                      note: "further extra_pnginfo keys, counting down from 0x010E as \"<key>:<json>\""),
    ]

    static let invokeAI: [GeneratorRule] = [
        GeneratorRule("invokeai.metadata", "invokeai", [.text("invokeai_metadata")], parser: .json(GeneratorJSONMaps.invokeAI3),
                      companions: [Companion(.text("invokeai_graph"), .nested("graph", .invokeGraph)),
                                   Companion(.text("invokeai_workflow"), .nested("workflow", .invokeWorkflow))],
                      confidence: .high, precedence: 60, note: "InvokeAI ≥ 3"),
        GeneratorRule("invokeai.graph", "invokeai", [.text("invokeai_graph")],
                      excludes: [Condition(.text("invokeai_metadata"), parser: .json(GeneratorJSONMaps.invokeAI3))],
                      parser: .invokeGraph, confidence: .medium, precedence: 63, note: "InvokeAI ≥ 3 graph without its metadata"),
        GeneratorRule("invokeai.workflow", "invokeai", [.text("invokeai_workflow")],
                      excludes: [Condition(.text("invokeai_metadata"), parser: .json(GeneratorJSONMaps.invokeAI3))],
                      parser: .invokeWorkflow, confidence: .medium, precedence: 64,
                      note: "InvokeAI ≥ 3 workflow without its metadata"),
        GeneratorRule("invokeai.sd-metadata", "invokeai", [.text("sd-metadata")], parser: .json(GeneratorJSONMaps.invokeAI2),
                      companions: [Companion(.text("Dream"), .text(as: "dream"))],
                      confidence: .high, precedence: 61, note: "InvokeAI 2.x"),
        GeneratorRule("invokeai.dream", "invokeai", [.text("Dream")], parser: .dream, confidence: .high, precedence: 62,
                      note: "InvokeAI 1.x Dream command line"),
    ]

    static let novelAI: [GeneratorRule] = [
        GeneratorRule("novelai.png-text", "novelai", [.text("Software")], tests: [.equals("NovelAI")],
                      parser: .text(as: "software"),
                      companions: [Companion(.text("Description"), .text(as: "prompt")),
                                   Companion(.text("Comment"), .json(GeneratorJSONMaps.novelAIComment)),
                                   Companion(.text("Source"), .text(as: "model")),
                                   Companion(.text("Title"), .text(as: "title")),
                                   Companion(.text("Generation time"), .text(as: "generationTime"))],
                      confidence: .medium, highWhenFields: ["prompt", "steps", "seed"], precedence: 70,
                      note: "signed_hash, when present, is reported and not verified"),
    ]

    static let fooocus: [GeneratorRule] = [
        GeneratorRule("fooocus.png-parameters", "fooocus", [.text("parameters")], requires: [Condition(.text("fooocus_scheme"))],
                      parser: fooocusParameters, companions: [Companion(.text("fooocus_scheme"), .text(as: "scheme"))],
                      confidence: .high, precedence: 20),
        GeneratorRule("fooocus.png-scheme", "fooocus", [.text("fooocus_scheme")],
                      excludes: [Condition(.text("parameters"), parser: fooocusParameters)], parser: .text(as: "scheme"),
                      confidence: .medium, precedence: 21, note: "fooocus_scheme without parseable parameters"),
        GeneratorRule("fooocus.exif", "fooocus", [software], tests: [.hasPrefix("Fooocus")], parser: .text(as: "software"),
                      companions: [Companion(userComment, fooocusParameters), Companion(.exif(.exif, 0x927C), .text(as: "scheme"))],
                      confidence: .medium, highWhenFields: ["prompt"], precedence: 16,
                      note: "Fooocus JPEG/WebP: Software, UserComment parameters, MakerNote scheme"),
        GeneratorRule("fooocus-mre.png-comment", "fooocus", [.text("Comment")], excludes: [novelAISoftware],
                      parser: .json(GeneratorJSONMaps.fooocusMRE), confidence: .medium, precedence: 90, note: "Fooocus-MRE"),
        GeneratorRule("fooocus-mre.jpeg-com", "fooocus", [.comment], parser: .json(GeneratorJSONMaps.fooocusMRE),
                      confidence: .medium, precedence: 5, note: "Fooocus-MRE"),
    ]

    static let easyDiffusionKeys: [Locator] = [.text("use_stable_diffusion_model"), .text("Stable Diffusion model"),
                                               .text("num_inference_steps"), .text("guidance_scale"), .text("Guidance Scale"),
                                               .text("sampler_name")]

    static let easyDiffusion: [GeneratorRule] = [
        GeneratorRule("easydiffusion.png", "easydiffusion", [.text("negative_prompt"), .text("Negative Prompt")],
                      requires: [Condition(easyDiffusionKeys)], parser: .text(as: "negativePrompt"),
                      companions: [Companion([.text("prompt"), .text("Prompt")], .text(as: "prompt")),
                                   Companion([.text("seed"), .text("Seed")], .text(as: "seed")),
                                   Companion([.text("num_inference_steps"), .text("Steps")], .text(as: "steps")),
                                   Companion([.text("sampler_name"), .text("Sampler")], .text(as: "sampler")),
                                   Companion([.text("guidance_scale"), .text("Guidance Scale")], .text(as: "cfgScale")),
                                   Companion([.text("use_stable_diffusion_model"), .text("Stable Diffusion model")],
                                             .text(as: "model")),
                                   Companion([.text("width"), .text("Width")], .text(as: "width")),
                                   Companion([.text("height"), .text("Height")], .text(as: "height"))],
                      confidence: .high, precedence: 50),
        GeneratorRule("easydiffusion.usercomment", "easydiffusion", [userComment],
                      tests: [.startsWithJSONObject, .lacks("sui_image_params")], excludes: [fooocusSoftware],
                      parser: .json(GeneratorJSONMaps.easyDiffusion), confidence: .high, precedence: 18),
    ]

    static let swarmUI: [GeneratorRule] = [
        GeneratorRule("swarmui.exif-model", "swarmui", [model], tests: [.contains("sui_image_params")],
                      parser: .json(GeneratorJSONMaps.swarmUI), confidence: .high, precedence: 10,
                      note: "legacy StableSwarmUI: JSON in EXIF Model"),
        GeneratorRule("swarmui.png-parameters", "swarmui", [.text("parameters")], tests: [.contains("sui_image_params")],
                      parser: .json(GeneratorJSONMaps.swarmUI), confidence: .high, precedence: 30),
        GeneratorRule("swarmui.usercomment", "swarmui", [userComment], tests: [.contains("sui_image_params")],
                      parser: .json(GeneratorJSONMaps.swarmUI), confidence: .high, precedence: 17),
    ]

    static let drawThings: [GeneratorRule] = [
        GeneratorRule("drawthings.xmp-usercomment", "drawthings", [.xmp(NS.exif, "UserComment")],
                      parser: .json(GeneratorJSONMaps.drawThings),
                      companions: [Companion(.xmp(NS.xmp, "CreatorTool"), .text(as: "creatorTool"))],
                      confidence: .medium, precedence: 100, note: "xmp:CreatorTool \"Draw Things\" is unconfirmed"),
    ]

    static let midjourney: [GeneratorRule] = [
        GeneratorRule("midjourney.png-description", "midjourney", [.text("Description")], tests: [.contains("Job ID:")],
                      excludes: [novelAISoftware], parser: .midjourneyDescription,
                      companions: [Companion(.text("Author"), .text(as: "author")),
                                   Companion(.text("Creation Time"), .text(as: "creationTime")),
                                   Companion(.xmp(NS.iptc4xmpExt, "DigImageGUID"), .text(as: "digImageGUID"))],
                      confidence: .medium, precedence: 190, note: "rules known from third-party rule sets"),
        GeneratorRule("midjourney.png-description-flags", "midjourney", [.text("Description")], tests: [.lacks("Job ID:")],
                      excludes: [novelAISoftware], parser: .midjourneyFlags, confidence: .low, precedence: 195,
                      note: "only --v/--ar style flags: weak"),
        GeneratorRule("midjourney.xmp-guid", "midjourney", [.xmp(NS.iptc4xmpExt, "DigImageGUID")], tests: [.uuid],
                      requires: [Condition(digitalSourceType, tests: [trained])],
                      excludes: [Condition(.xmp(NS.photoshop, "Credit"), tests: [.containsWord("Google")])],
                      parser: .text(as: "digImageGUID"), confidence: .low, precedence: 210,
                      note: "a UUID DigImageGUID with trainedAlgorithmicMedia: Midjourney's layout, but generic IPTC fields"),
    ]

    static let google: [GeneratorRule] = [
        GeneratorRule("google.xmp-credit", "google", [.xmp(NS.photoshop, "Credit")],
                      tests: [.equalsIgnoringCase("Made with Google AI")],
                      requires: [Condition(digitalSourceType, tests: [trained])], parser: .text(as: "credit"),
                      companions: [Companion(digitalSourceType, .text(as: "digitalSourceType"))],
                      confidence: .medium, precedence: 200, note: "SynthID, if present, is not checkable offline"),
    ]

    /// Meta writes only the Digital Source Type (carrier presumed XMP, unconfirmed); a Meta
    /// name next to it is required, so a bare trainedAlgorithmicMedia is never called Meta.
    static let metaMarkers: TextTest = .anyOf([.containsWord("Meta AI"), .containsWord("Imagined with AI"),
                                               .containsWord("Imagine with Meta")])
    static let metaMarkerCarriers = Condition([.xmp(NS.photoshop, "Credit"), .xmp(NS.dc, "creator"), .xmp(NS.xmp, "CreatorTool"),
                                               .xmp(NS.photoshop, "Source"), software, .exif(.ifd0, 0x013B),
                                               .iptc(record: 2, dataset: 110), .iptc(record: 2, dataset: 115),
                                               .iptc(record: 2, dataset: 80), .iptc(record: 2, dataset: 65)],
                                              tests: [metaMarkers])
    static let meta: [GeneratorRule] = [
        GeneratorRule("meta.iptc-dst", "meta", [digitalSourceType], tests: [trained], requires: [metaMarkerCarriers],
                      parser: .text(as: "digitalSourceType"), confidence: .medium, precedence: 220,
                      note: "Meta's IPTC carrier is presumed XMP (unconfirmed); the visible label is not machine-checked"),
        // No IIM dataset for the source type is standardised: only a full vocabulary URI counts there.
        GeneratorRule("meta.iim-dst", "meta", [.anyIPTC], tests: [trained, .contains("cv.iptc.org/newscodes/digitalsourcetype/")],
                      requires: [metaMarkerCarriers], parser: .text(as: "digitalSourceType"), confidence: .medium,
                      precedence: 221, note: "IIM carrier of the source type is unconfirmed"),
    ]

    static let gb45438: [GeneratorRule] = [
        GeneratorRule("gb45438.usercomment", "gb45438", [userComment], tests: [.contains("AIGC")], parser: .aigcLabel,
                      confidence: .medium, precedence: 300),
        GeneratorRule("gb45438.png-text", "gb45438", [.text("AIGC")], parser: .aigcLabel, confidence: .medium, precedence: 300),
        GeneratorRule("gb45438.xmp", "gb45438", [.xmpNamespace(NS.aigc)], parser: .aigcLabel, confidence: .medium,
                      precedence: 301, note: "tc260 XMP property layout unconfirmed"),
    ]

    static let replicate: [GeneratorRule] = [
        GeneratorRule("replicate.media-provenance", "replicate", [.anyText], tests: [.startsWithJSONObject],
                      parser: .json(GeneratorJSONMaps.replicate), confidence: .low, precedence: 410,
                      note: "zeke/media-provenance JSON; carrier unconfirmed"),
    ]

    static let faceSwap: [GeneratorRule] = [
        GeneratorRule("deepfacelab.app15-pickle", "deepfacelab", [.segment("APP15")], parser: .deepFaceLabPickle,
                      confidence: .high, precedence: 25, note: "face-swap training/extraction data; the pickle is walked, never loaded"),
        GeneratorRule("deepfacelab.app15-keys", "deepfacelab", [.segment("APP15")],
                      excludes: [Condition(.segment("APP15"), parser: .deepFaceLabPickle)], parser: .deepFaceLabKeys,
                      confidence: .medium, precedence: 26, note: "the opcode walk failed; key strings found by scanning"),
        GeneratorRule("deepfacelab.png-fcwp", "deepfacelab", [.chunk("fcWp")],
                      parser: .firstOf([.deepFaceLabPickle, .deepFaceLabKeys]), confidence: .medium, precedence: 27,
                      note: "DFLPNG chunk name fcWp is unconfirmed"),
        GeneratorRule("deepfacelab.mve-itxt", "deepfacelab", [.text("dflabmve")], parser: .present, confidence: .low,
                      precedence: 28, note: "DeepFaceLab-MVE iTXt keyword, unconfirmed"),
        GeneratorRule("faceswap.itxt", "faceswap", [.text("faceswap")], parser: .faceswapLiteral, confidence: .high,
                      precedence: 27, note: "layout from a third-party copy of faceswap's lib/image.py; parsed, never evaluated"),
        GeneratorRule("faceswap.itxt-unparsed", "faceswap", [.text("faceswap")],
                      excludes: [Condition(.text("faceswap"), parser: .faceswapLiteral)], parser: .present,
                      confidence: .medium, precedence: 29, note: "faceswap keyword whose text did not parse as a literal"),
    ]

    /// Generic strings: Software, CreatorTool, PNG Software or History softwareAgent naming
    /// a generator (low). Whole words only; the table is deliberately short.
    static let generatorNames: [(name: String, generator: String)] = [
        ("NovelAI", "novelai"), ("Draw Things", "drawthings"), ("Midjourney", "midjourney"), ("ComfyUI", "comfyui"),
        ("Fooocus", "fooocus"), ("InvokeAI", "invokeai"), ("Easy Diffusion", "easydiffusion"), ("SwarmUI", "swarmui"),
        ("StableSwarmUI", "swarmui"), ("AUTOMATIC1111", "automatic1111"), ("stable-diffusion-webui", "automatic1111"),
        ("DALL-E", "openai"), ("DALL·E", "openai"), ("Adobe Firefly", "adobe-firefly"),
    ]
    static let genericLocators: [Locator] = [software, .xmp(NS.xmp, "CreatorTool"),
                                             .xmpField(NS.xmpMM, "History", field: "softwareAgent"), .text("Software")]
    static let genericNames: [GeneratorRule] = generatorNames.map { entry in
        GeneratorRule("generic.software-name", entry.generator, genericLocators, tests: [.containsWord(entry.name)],
                      parser: .text(as: "value"), confidence: .low, precedence: 400,
                      note: "a generic string naming the tool (\(entry.name))")
    }
}
