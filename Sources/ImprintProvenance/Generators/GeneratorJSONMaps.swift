/// JSON field maps of the generator rule table (what each tool's JSON holds, by key path).
/// Field names are imprint's: prompt, negativePrompt, seed, steps, sampler, scheduler,
/// cfgScale, model, modelHash, size, width, height, loras, version, …
enum GeneratorJSONMaps {
    /// InvokeAI ≥ 3 `invokeai_metadata`.
    static let invokeAI3 = JSONFieldMap(
        distinctive: ["generation_mode", "positive_prompt", "negative_prompt", "width", "height", "seed", "rand_device",
                      "cfg_scale", "steps", "scheduler", "model"],
        minimumPresent: 3,
        fields: [("positive_prompt", "prompt"), ("negative_prompt", "negativePrompt"), ("seed", "seed"), ("steps", "steps"),
                 ("cfg_scale", "cfgScale"), ("scheduler", "sampler"), ("width", "width"), ("height", "height"),
                 ("model.model_name", "model"), ("model.name", "model"), ("model.hash", "modelHash"),
                 ("model.base_model", "baseModel"), ("model.base", "baseModel"), ("loras", "loras"),
                 ("generation_mode", "generationMode"), ("rand_device", "randDevice"), ("app_version", "version")])

    /// InvokeAI 2.x `sd-metadata`.
    static let invokeAI2 = JSONFieldMap(
        required: ["app_id"],
        constraints: [("app_id", .contains("invoke"))],
        fields: [("image.prompt", "prompt"), ("image.seed", "seed"), ("image.steps", "steps"), ("image.cfg_scale", "cfgScale"),
                 ("image.sampler", "sampler"), ("image.width", "width"), ("image.height", "height"),
                 ("model_weights", "model"), ("model_hash", "modelHash"), ("app_id", "appId"), ("app_version", "version"),
                 ("image.type", "generationMode")])

    /// NovelAI `Comment` JSON.
    static let novelAIComment = JSONFieldMap(
        distinctive: ["steps", "sampler", "seed", "strength", "noise", "scale", "uc", "v4_prompt"],
        minimumPresent: 3,
        fields: [("uc", "negativePrompt"), ("steps", "steps"), ("sampler", "sampler"), ("seed", "seed"), ("scale", "cfgScale"),
                 ("strength", "strength"), ("noise", "noise"), ("width", "width"), ("height", "height"),
                 ("request_type", "requestType"), ("v4_prompt.caption.base_caption", "v4Prompt"),
                 ("signed_hash", "signedHash")])

    /// Fooocus `parameters` JSON (scheme `fooocus`, also in JPEG/WebP UserComment).
    static let fooocus = JSONFieldMap(
        distinctive: ["prompt", "negative_prompt", "base_model", "base_model_hash", "sampler", "scheduler", "seed",
                      "steps", "resolution", "guidance_scale", "performance", "version", "metadata_scheme"],
        minimumPresent: 4,
        fields: [("prompt", "prompt"), ("negative_prompt", "negativePrompt"), ("seed", "seed"), ("steps", "steps"),
                 ("sampler", "sampler"), ("scheduler", "scheduler"), ("guidance_scale", "cfgScale"),
                 ("base_model", "model"), ("base_model_hash", "modelHash"), ("refiner_model", "refinerModel"),
                 ("resolution", "size"), ("loras", "loras"), ("styles", "styles"), ("performance", "performance"),
                 ("version", "version"), ("metadata_scheme", "scheme"), ("full_prompt", "fullPrompt"),
                 ("full_negative_prompt", "fullNegativePrompt")])

    /// Fooocus-MRE `Comment` / JPEG COM JSON.
    static let fooocusMRE = JSONFieldMap(
        required: ["prompt", "negative_prompt", "base_model"],
        distinctive: ["sampler", "scheduler", "seed", "cfg", "steps", "width", "height", "refiner_model", "styles", "software"],
        minimumPresent: 2,
        fields: [("prompt", "prompt"), ("negative_prompt", "negativePrompt"), ("seed", "seed"), ("steps", "steps"),
                 ("sampler", "sampler"), ("scheduler", "scheduler"), ("cfg", "cfgScale"), ("base_model", "model"),
                 ("refiner_model", "refinerModel"), ("width", "width"), ("height", "height"), ("styles", "styles"),
                 ("software", "version")])

    /// Easy Diffusion JSON (JPEG/WebP UserComment), in both of its key spellings.
    static let easyDiffusion = JSONFieldMap(
        distinctive: ["prompt", "Prompt", "negative_prompt", "Negative Prompt", "use_stable_diffusion_model",
                      "Stable Diffusion model", "num_inference_steps", "Steps", "guidance_scale", "Guidance Scale",
                      "sampler_name", "Sampler"],
        minimumPresent: 3,
        fields: [("prompt", "prompt"), ("Prompt", "prompt"), ("negative_prompt", "negativePrompt"),
                 ("Negative Prompt", "negativePrompt"), ("seed", "seed"), ("Seed", "seed"),
                 ("num_inference_steps", "steps"), ("Steps", "steps"), ("sampler_name", "sampler"), ("Sampler", "sampler"),
                 ("guidance_scale", "cfgScale"), ("Guidance Scale", "cfgScale"), ("use_stable_diffusion_model", "model"),
                 ("Stable Diffusion model", "model"), ("width", "width"), ("Width", "width"), ("height", "height"),
                 ("Height", "height"), ("use_vae_model", "vae"), ("VAE model", "vae"), ("use_lora_model", "loras"),
                 ("LoRA model", "loras")])

    /// SwarmUI `sui_image_params`.
    static let swarmUI = JSONFieldMap(
        root: "sui_image_params",
        fields: [("prompt", "prompt"), ("negativeprompt", "negativePrompt"), ("seed", "seed"), ("steps", "steps"),
                 ("cfgscale", "cfgScale"), ("sampler", "sampler"), ("comfyuisampler", "sampler"),
                 ("autowebuisampler", "sampler"), ("scheduler", "scheduler"), ("model", "model"), ("width", "width"),
                 ("height", "height"), ("loras", "loras"), ("swarm_version", "version")])

    /// Draw Things JSON in XMP `exif:UserComment`.
    static let drawThings = JSONFieldMap(
        required: ["c"],
        distinctive: ["uc", "size", "seed", "steps", "scale", "sampler", "model"],
        minimumPresent: 2,
        fields: [("c", "prompt"), ("uc", "negativePrompt"), ("seed", "seed"), ("steps", "steps"), ("scale", "cfgScale"),
                 ("sampler", "sampler"), ("model", "model"), ("size", "size"), ("lora", "loras"), ("strength", "strength")])

    /// Replicate "MediaProvenance" (zeke/media-provenance).
    static let replicate = JSONFieldMap(
        required: ["provider", "model", "input.prompt"],
        fields: [("provider", "provider"), ("model", "model"), ("version", "version"), ("input.prompt", "prompt"),
                 ("input.negative_prompt", "negativePrompt"), ("input.seed", "seed"), ("prediction_id", "predictionId"),
                 ("id", "predictionId")])

    /// GB 45438-2025 implicit label (the `AIGC` object).
    static let aigc = JSONFieldMap(
        required: ["Label"],
        fields: [("Label", "label"), ("ContentProducer", "contentProducer"), ("ProduceID", "produceId"),
                 ("ReservedCode1", "reservedCode1"), ("ContentPropagator", "contentPropagator"),
                 ("PropagateID", "propagateId"), ("ReservedCode2", "reservedCode2")])
}
