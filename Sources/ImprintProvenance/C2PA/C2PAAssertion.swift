import ImprintBytes

/// One assertion superbox and its decoded content (CBOR or JSON), as stored.
struct C2PAAssertion: Sendable {
    var label: String
    /// The label without instance and version suffixes (`c2pa.actions.v2__1` → `c2pa.actions`).
    var base: String
    var box: JUMBFBox
    /// `cbor`, `json`, `embeddedFile`, `uuid`, or the description's four characters.
    var contentType: String
    var cbor: CBORItem?
    var json: JSONValue?
    /// The decode error, reported as `assertion.cbor.invalid` / `assertion.json.invalid`.
    var decodeError: String?

    static let maxContentSize = 32 << 20

    static func read(_ box: JUMBFBox, store: [UInt8]) -> C2PAAssertion {
        let label = box.label ?? ""
        let fourCC = box.description?.fourCC
        var contentType = fourCC ?? "unknown"
        if box.description?.uuid == JUMBFUUID.embeddedFile { contentType = "embeddedFile" }
        var assertion = C2PAAssertion(label: label, base: C2PALabel.base(label), box: box, contentType: contentType)
        switch contentType {
        case "cbor":
            guard let content = box.content("cbor") else {
                assertion.decodeError = "no cbor content box"
                break
            }
            do {
                assertion.cbor = try C2PACBOR.decode(store, range: content.payload)
            } catch {
                assertion.decodeError = error.message
            }
        case "json":
            guard let content = box.content("json") else {
                assertion.decodeError = "no json content box"
                break
            }
            guard content.payload.count <= maxContentSize else {
                assertion.decodeError = "JSON content larger than \(maxContentSize) bytes"
                break
            }
            do {
                assertion.json = try JSONParser.parse(Array(store[content.payload]))
            } catch {
                assertion.decodeError = error.description
            }
        default:
            break  // thumbnails and opaque types: only their hash matters
        }
        return assertion
    }

    /// Spec §3: the hash covers the assertion superbox without its own header (the
    /// description, salt included, and the content boxes), exactly as stored.
    func hash(_ alg: C2PAHashAlgorithm, store: [UInt8]) -> [UInt8] {
        alg.hash(store, ranges: [box.payload])
    }
}

/// The hard-binding assertion kinds (exactly one is required in a standard manifest).
enum C2PAHardBinding: String, Sendable {
    case data = "c2pa.hash.data"
    case boxes = "c2pa.hash.boxes"
    case bmff = "c2pa.hash.bmff"
    case collection = "c2pa.hash.collection.data"

    init?(base: String) { self.init(rawValue: base) }
}
