import ImprintBytes

/// Decodes the PNG text chunks (PNG spec §11.3.4): `tEXt` (Latin-1 keyword and text),
/// `zTXt` (Latin-1 text, zlib-compressed) and `iTXt` (UTF-8 text, optionally compressed,
/// with a language tag and a translated keyword). Decompression is bounded by the limits.
enum PNGText {
    /// The keyword XMP uses for its packet in PNG (XMP spec part 3, §1.1.5).
    static let xmpKeyword = "XML:com.adobe.xmp"

    struct Decoded {
        var text: PNGTextChunk
        /// The text's bytes as stored (or as decompressed), before any character decoding:
        /// an XMP packet is kept byte for byte, whatever encoding its writer used.
        var textBytes: [UInt8]
        /// Absolute offset of the text bytes when stored uncompressed, else of the chunk data.
        var textOffset: Int
    }

    static func decode(_ b: inout ContainerBuilder, type: String, chunkOffset: Int, data: Range<Int>) -> Decoded? {
        do {
            var reader = try ByteReader.over(b.bytes, from: data.lowerBound, to: data.upperBound)
            // Keywords are 1–79 Latin-1 bytes; a longer one is recorded, not trusted.
            let keywordBytes = try reader.readCString(maxLength: 1024, "\(type) keyword")
            if keywordBytes.isEmpty || keywordBytes.count > 79 {
                b.issue("bad-text-chunk", at: chunkOffset, "\(type) keyword of \(keywordBytes.count) bytes (1–79 allowed)")
            }
            let keyword = TextDecoding.latin1(keywordBytes)
            switch type {
            case "tEXt":
                let textStart = reader.offset
                let raw = Array(try reader.readBytes(reader.remaining, "tEXt text"))
                return Decoded(text: PNGTextChunk(chunk: type, keyword: keyword, text: TextDecoding.latin1(raw), languageTag: nil,
                                                  translatedKeyword: nil, compressed: false, offset: chunkOffset),
                               textBytes: raw, textOffset: textStart)
            case "zTXt":
                let method = try reader.readUInt8("zTXt compression method")
                let compressed = try reader.readBytes(reader.remaining, "zTXt text")
                let (text, complete) = inflate(&b, method: method, compressed: compressed, chunkOffset: chunkOffset, what: "zTXt \"\(keyword)\"")
                return Decoded(text: PNGTextChunk(chunk: type, keyword: keyword, text: TextDecoding.latin1(text), languageTag: nil,
                                                  translatedKeyword: nil, compressed: true, offset: chunkOffset, isComplete: complete),
                               textBytes: text, textOffset: data.lowerBound)
            default:  // iTXt
                let flag = try reader.readUInt8("iTXt compression flag")
                let method = try reader.readUInt8("iTXt compression method")
                let language = TextDecoding.latin1(try reader.readCString(maxLength: 1024, "iTXt language tag"))
                let translated = TextDecoding.utf8OrLatin1(try reader.readCString(maxLength: 65_536, "iTXt translated keyword"))
                let textStart = reader.offset
                let raw = try reader.readBytes(reader.remaining, "iTXt text")
                var textBytes = Array(raw)
                var complete = true
                if flag == 1 {
                    (textBytes, complete) = inflate(&b, method: method, compressed: raw, chunkOffset: chunkOffset, what: "iTXt \"\(keyword)\"")
                } else if flag != 0 {
                    b.issue("bad-text-chunk", at: chunkOffset, "iTXt compression flag \(flag) (only 0 and 1 exist)")
                }
                if String(validating: textBytes, as: UTF8.self) == nil {
                    b.issue("bad-text-chunk", at: chunkOffset, "iTXt \"\(keyword)\" text is not valid UTF-8 (decoded as Latin-1)")
                }
                return Decoded(text: PNGTextChunk(chunk: type, keyword: keyword, text: TextDecoding.utf8OrLatin1(textBytes),
                                                  languageTag: language, translatedKeyword: translated, compressed: flag == 1,
                                                  offset: chunkOffset, isComplete: complete),
                               textBytes: textBytes, textOffset: flag == 1 ? data.lowerBound : textStart)
            }
        } catch {
            b.issue(error, context: "\(type) chunk")
            return nil
        }
    }

    private static func inflate(_ b: inout ContainerBuilder, method: UInt8, compressed: ArraySlice<UInt8>,
                                chunkOffset: Int, what: String) -> ([UInt8], Bool) {
        guard method == 0 else {
            b.issue("bad-compression", at: chunkOffset, "\(what): compression method \(method) (only 0, zlib, exists)")
            return ([], false)
        }
        let result = b.inflate(compressed, at: chunkOffset, what: what)
        return (result.bytes, result.complete)
    }
}
