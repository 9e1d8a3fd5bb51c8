// Internal parsers are reached through @testable imports, which exist in debug builds and
// in scripts/fuzz.sh's build (-enable-testing); a plain release build leaves this out.
#if DEBUG || IMPRINT_FUZZ
import Foundation
@testable import ImprintBytes
@testable import ImprintCase
@testable import ImprintImaging
@testable import ImprintMetadata
@testable import ImprintProvenance
import ImprintSimilarity

/// imprint's fuzz targets: one entry point per parser that reads evidence bytes. Any input
/// must give a result or a typed error; a trap, an out-of-bounds access, a leak or a
/// broken invariant (checked with `precondition`, so libFuzzer records it as a crash) is
/// a bug. `scripts/fuzz.sh` runs every target in `all`; `docs/hardening.md` lists them.
enum FuzzTargets {
    struct Target: Sendable {
        var name: String
        /// What the seeds are derived from (see `FuzzSeeds`).
        var seeds: FuzzSeeds.Kind
        var run: @Sendable ([UInt8]) -> Void
    }

    static let all: [Target] = [
        Target(name: "jpeg", seeds: .file(.jpeg)) { container($0, .jpeg) },
        Target(name: "jpeg-decode", seeds: .file(.jpeg)) { jpegDecode($0) },
        Target(name: "png", seeds: .file(.png)) { container($0, .png) },
        Target(name: "png-decode", seeds: .file(.png)) { pngDecode($0) },
        Target(name: "png-text", seeds: .pngText) { pngText($0) },
        Target(name: "riff", seeds: .webp) { container($0, .webp) },
        Target(name: "bmff", seeds: .heif) { container($0, .heif) },
        Target(name: "tiff", seeds: .exif) { container($0, .tiff) },
        Target(name: "gif", seeds: .gif) { container($0, .gif) },
        Target(name: "metadata", seeds: .file(.jpeg)) { metadata($0) },
        Target(name: "xmp", seeds: .xmp) { xmp($0) },
        Target(name: "jumbf", seeds: .jumbf) { jumbf($0) },
        Target(name: "cbor", seeds: .cbor) { cbor($0) },
        Target(name: "cose", seeds: .cose) { cose($0) },
        Target(name: "c2pa", seeds: .c2pa) { c2pa($0) },
        Target(name: "stealth", seeds: .stealth) { stealth($0) },
        Target(name: "hashset-plain", seeds: .hashList(plain: true)) { hashList($0, formats: [.auto, .md5, .sha1, .sha256]) },
        Target(name: "hashset-pdq", seeds: .hashList(plain: false)) { hashList($0, formats: [.pdq]) },
        Target(name: "hashset-vics", seeds: .vics) { vics($0) },
        // NSRL (RDSv3) is an SQLite database read through SQLite itself; fuzzing it would
        // mostly fuzz SQLite, so it has no target (its schema check is unit-tested).
    ]

    static func named(_ name: String) -> Target? { all.first { $0.name == name } }

    // MARK: - Containers

    /// Small limits so that the limit paths are reached by small inputs too.
    static let smallLimits: ContainerLimits = {
        var limits = ContainerLimits()
        limits.maxElements = 512
        limits.maxIssues = 64
        limits.maxDecompressedChunk = 1 << 20
        limits.maxDecompressedTotal = 2 << 20
        limits.maxReassembledSize = 1 << 20
        return limits
    }()

    static func container(_ bytes: [UInt8], _ format: ImageFormat) {
        for limits in [ContainerLimits(), smallLimits] {
            let parsed = ContainerParser.parse(bytes, format: format, limits: limits)
            checkContainer(parsed, bytes: bytes, limits: limits)
            _ = parsed.summaryJSON.serialized()
        }
    }

    /// Pixel decoding through libjpeg and imprint's own upsampling: the one-pass pair
    /// (`decodeBoth`, when it accepts the file) must equal the two separate decodes.
    static let smallDecoder = ImageDecoder(maxPixels: 4_000_000)

    static func jpegDecode(_ bytes: [UInt8]) {
        let smooth = try? smallDecoder.decode(bytes, format: .jpeg, chroma: .smooth)
        let replicated = try? smallDecoder.decode(bytes, format: .jpeg, chroma: .replicate)
        guard let both = smallDecoder.decodeBoth(bytes) else { return }
        // A file libjpeg decodes with warnings may still decode; when both paths succeed
        // they must agree pixel for pixel.
        if let smooth, let replicated {
            precondition(both.smooth.pixels == smooth.pixels, "decodeBoth's smooth image differs from libjpeg's")
            precondition(both.replicated.pixels == replicated.pixels, "decodeBoth's replicated image differs from libjpeg's")
        }
        // Strip mode (as ingest runs it for the watermark): the same smooth image, and
        // the replicated rows handed over in order, adding up to the replicated image.
        // The smooth image's strips too (as ingest hands them to the perceptual hashes),
        // and those hashes equal the finished raster's.
        let strips = StripCopy(), smoothStrips = StripCopy()
        let streamed = smallDecoder.decodeBoth(bytes, replicatedStrips: strips, smoothStrips: smoothStrips)
        precondition(streamed?.pixels == both.smooth.pixels, "strip mode changed the smooth image")
        precondition(strips.inOrder && strips.pixels == both.replicated.pixels, "streamed replicated rows differ")
        precondition(smoothStrips.inOrder && smoothStrips.pixels == both.smooth.pixels, "streamed smooth rows differ")
        let hashes = PerceptualHashStream(width: both.smooth.width, height: both.smooth.height)
        _ = smallDecoder.decodeBoth(bytes, replicatedStrips: nil, smoothStrips: hashes)
        if let streamedHashes = hashes.hashes() {
            precondition(streamedHashes == PerceptualHashes.compute(both.smooth), "streamed perceptual hashes differ")
        }
        // Strips only (as ingest runs it when every reader streams): neither image held,
        // the same rows, and the size the raster has.
        let onlySmooth = StripCopy(), onlyReplicated = StripCopy()
        let shape = smallDecoder.decodeStrips(bytes, replicatedStrips: onlyReplicated, smoothStrips: onlySmooth)
        precondition(shape?.width == both.smooth.width && shape?.height == both.smooth.height, "strips-only size differs")
        precondition(onlySmooth.inOrder && onlySmooth.pixels == both.smooth.pixels, "strips-only smooth rows differ")
        precondition(onlyReplicated.inOrder && onlyReplicated.pixels == both.replicated.pixels, "strips-only replicated rows differ")
    }

    /// Pixel decoding through libpng (CRC errors in ancillary chunks are warnings, in
    /// critical ones errors): a raster whose size matches its pixels, warnings with their
    /// message, or a typed error; and the perceptual hashes of a small decoded image (the
    /// whole-image path, with the resampling kernel on odd sizes) without a trap.
    static func pngDecode(_ bytes: [UInt8]) {
        guard let raster = try? smallDecoder.decode(bytes, format: .png) else { return }
        precondition(raster.pixels.count == raster.width * raster.height * raster.channels, "PNG raster size")
        precondition((raster.warnings > 0) == (raster.warningMessage != nil), "warnings without their message")
        if raster.width * raster.height <= 1 << 20 { _ = PerceptualHashes.compute(raster) }
    }

    /// Gathers the strips of a decode (planar ones interleaved), checking their order and
    /// alignment.
    final class StripCopy: RasterStripConsumer, PlanarStripConsumer {
        var pixels: [UInt8] = []
        var inOrder = true
        private var nextRow = 0

        func consume(_ rows: UnsafePointer<UInt8>, firstRow: Int, rowCount: Int, width: Int, height: Int) {
            take(firstRow: firstRow, rowCount: rowCount, height: height)
            pixels += UnsafeBufferPointer(start: rows, count: rowCount * width * 3)
        }

        func consume(_ strip: PlanarStrip, firstRow: Int, rowCount: Int, width: Int, height: Int) {
            take(firstRow: firstRow, rowCount: rowCount, height: height)
            if strip.stride < width { inOrder = false }
            pixels += strip.interleaved(rowCount: rowCount, width: width)
        }

        private func take(firstRow: Int, rowCount: Int, height: Int) {
            if firstRow != nextRow || firstRow % 8 != 0 || rowCount < 1 || rowCount > 8 || firstRow + rowCount > height { inOrder = false }
            nextRow = firstRow + rowCount
        }
    }

    static func checkContainer(_ parsed: ParsedContainer, bytes: [UInt8], limits: ContainerLimits) {
        precondition(parsed.elements.count <= limits.maxElements, "more elements than the limit")
        precondition(parsed.issues.count <= limits.maxIssues + 1, "more issues than the limit")
        for element in parsed.elements {
            precondition(element.offset >= 0 && element.length >= 0 && element.payloadLength >= 0, "negative element range")
        }
        if let offset = parsed.trailingDataOffset {
            precondition(offset >= 0 && offset <= bytes.count, "trailing data outside the file")
        }
        for chunk in parsed.pngText {
            precondition(chunk.text.utf8.count <= max(limits.maxDecompressedChunk, bytes.count) * 4, "text larger than its bound")
        }
        let reassembled = [parsed.icc, parsed.extendedXMP, parsed.jumbf].compactMap { $0 }
        for payload in reassembled {
            precondition(payload.count <= max(limits.maxReassembledSize, limits.maxDecompressedChunk, bytes.count),
                         "reassembled payload larger than its bound")
        }
    }

    /// PNG text chunks and their decompression, reached without the fuzzer having to find
    /// a valid CRC: byte 0 picks the chunk type, the rest is its data, wrapped in a PNG.
    static func pngText(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let type = ["tEXt", "zTXt", "iTXt", "iCCP"][Int(first) % 4]
        let png = FuzzSeeds.png(chunks: [(type, Array(bytes.dropFirst()))])
        container(png, .png)
        metadata(png, format: .png)
    }

    static func metadata(_ bytes: [UInt8], format: ImageFormat = .jpeg) {
        let parsed = ContainerParser.parse(bytes, format: format)
        let (record, _) = MetadataExtractor.extract(parsed)
        _ = record.json.serialized()
        if let iptc = parsed.iptc { _ = IPTCReader.read(iptc) }
        if let icc = parsed.icc { _ = ICCProfile.parse(icc) }
    }

    // MARK: - Metadata and provenance payloads

    static func xmp(_ bytes: [UInt8]) {
        let packet = XMPParser.parse(bytes)
        _ = packet.properties.count
    }

    static func jumbf(_ bytes: [UInt8]) {
        guard let store = try? JUMBFParser.parseStore(bytes) else { return }
        checkBox(store, within: 0..<bytes.count)
        _ = try? C2PAManifestStore.read(bytes)
    }

    private static func checkBox(_ box: JUMBFBox, within parent: Range<Int>) {
        precondition(box.range.lowerBound >= parent.lowerBound && box.range.upperBound <= parent.upperBound, "box outside its parent")
        for child in box.children { checkBox(child, within: box.payload) }
    }

    static func cbor(_ bytes: [UInt8]) {
        guard let item = try? CBORDecoder.decode(bytes) else { return }
        precondition(item.range.lowerBound >= 0 && item.range.upperBound <= bytes.count, "item range outside the input")
        guard let again = try? CBORDecoder.decode(bytes, range: item.range) else {
            preconditionFailure("an item's own bytes no longer decode")
        }
        precondition(again == item, "re-decoding an item's own bytes changed it")
    }

    static func cose(_ bytes: [UInt8]) {
        guard let sign1 = try? C2PACOSESign1.read(bytes) else { return }
        precondition(sign1.x5chain.count <= C2PACOSESign1.maxCertificates, "more certificates than the limit")
        precondition(sign1.timeStampTokens.count <= C2PACOSESign1.maxTokens, "more time stamps than the limit")
    }

    static let validator = C2PAValidator(trustAnchorsPEM: nil, now: Date(timeIntervalSince1970: 1_780_000_000))

    static func c2pa(_ bytes: [UInt8]) {
        let format = FormatSniffer.sniff(bytes.prefix(FormatSniffer.minimumPrefix))
        let parsed = ContainerParser.parse(bytes, format: format.isImage ? format : .jpeg)
        if let report = validator.validate(bytes: bytes, container: parsed, xmpProvenance: nil) {
            _ = report.statuses.count
        }
    }

    /// Stealth pnginfo: byte 0 picks the magic (alpha or RGB, plain or gzip); the rest is
    /// the bit stream after it (length, payload), written into pixel LSBs column-major.
    static func stealth(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let entry = StealthPNGInfo.magics[Int(first) % StealthPNGInfo.magics.count]
        let raster = FuzzSeeds.stealthRaster(magic: Array(entry.magic.utf8), alpha: entry.mode == .alpha,
                                             stream: Array(bytes.dropFirst()))
        for payload in StealthPNGInfo.read(raster) {
            precondition(payload.payload.count <= StealthPNGInfo.maxPayloadBytes, "payload larger than its bound")
        }
    }

    // MARK: - Hash-set importers

    /// The line importers as `imprint hashset import` runs them: the input is streamed from
    /// a file through `LineStream`, each line checked and parsed.
    static func hashList(_ bytes: [UInt8], formats: [HashSetFormat]) {
        let path = FuzzSeeds.scratchFile
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        for format in formats {
            guard var stream = try? LineStream(path: path, chunk: 257, maxLine: HashSetLine.maxLineBytes) else { return }
            var total = 0
            while let line = try? stream.nextLine() {
                total += line.count + 1
                precondition(line.count <= HashSetLine.maxLineBytes + 1, "a line longer than the bound was returned")
                guard line.count <= HashSetLine.maxLineBytes, let text = String(validating: line, as: UTF8.self) else { continue }
                if case .entry(let entry) = HashSetLine.parse(text, format: format) {
                    let expected = ["md5": 16, "sha1": 20, "sha256": 32, "pdq": 32][entry.algorithm]
                    precondition(entry.value.count == expected, "\(entry.algorithm) value of \(entry.value.count) bytes")
                    if let quality = entry.quality { precondition((0...100).contains(quality), "quality out of range") }
                }
            }
            precondition(total <= bytes.count + 1 || bytes.count > 0, "more bytes returned than read")
        }
    }

    /// The VICS importer as `imprint hashset import --format vics` runs it: streamed from a
    /// file, one media record at a time; every entry it yields must be a well-formed hash.
    static func vics(_ bytes: [UInt8]) {
        let path = FuzzSeeds.scratchFile
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        _ = try? VICSReader.read(path: path, entry: { entry in
            let expected = ["md5": 16, "sha1": 20, "sha256": 32, "pdq": 32][entry.algorithm]
            precondition(expected != nil, "unknown algorithm \(entry.algorithm)")
            precondition(entry.value.count == expected, "\(entry.algorithm) value of \(entry.value.count) bytes")
        }, invalid: { _, _ in })
    }
}
#endif
