/// The vocabulary of the generator rule table: where to look, what to test, what to
/// extract. A rule is a value, like a row of one of ExifTool's tag tables; the scanner
/// (`GeneratorScanner`) is the only code that interprets rows. Adding a generator means
/// adding rows to `GeneratorRuleTable`, not another branch of code.
public struct GeneratorRule: Sendable {
    public let id: String
    public let generator: String
    /// Any of these carriers may hold the data.
    let locators: [Locator]
    /// All must pass on the carrier's decoded text.
    let tests: [TextTest]
    /// Other carriers that must be present for the rule to apply (all of them).
    let requires: [Condition]
    /// Carriers whose presence hands the data to another rule (any of them vetoes).
    let excludes: [Condition]
    /// What to extract; a parser that finds no structure means no match.
    let parser: FieldParser
    /// Fields read from other carriers of the same file when present.
    let companions: [Companion]
    public let confidence: GeneratorConfidence
    /// Raised to `.high` when every named field was found (a structure with several of its fields).
    let highWhenFields: [String]
    /// Lower wins the primary label (GENERATOR-METADATA.md §5).
    public let precedence: Int
    public let note: String?

    init(_ id: String, _ generator: String, _ locators: [Locator], tests: [TextTest] = [], requires: [Condition] = [],
         excludes: [Condition] = [], parser: FieldParser, companions: [Companion] = [], confidence: GeneratorConfidence,
         highWhenFields: [String] = [], precedence: Int, note: String? = nil) {
        self.id = id
        self.generator = generator
        self.locators = locators
        self.tests = tests
        self.requires = requires
        self.excludes = excludes
        self.parser = parser
        self.companions = companions
        self.confidence = confidence
        self.highWhenFields = highWhenFields
        self.precedence = precedence
        self.note = note
    }
}

/// The EXIF directories the rules read.
enum ExifDirectory: String, Sendable, Equatable {
    case ifd0 = "IFD0"
    case exif = "ExifIFD"
}

/// Where a value lives in a file (or in a stealth payload, which presents its keys as text keys).
enum Locator: Sendable, Equatable {
    /// PNG `tEXt`/`zTXt`/`iTXt` keyword (exact, case-sensitive), or a stealth payload's key.
    case text(String)
    case exif(ExifDirectory, UInt16)
    /// A top-level XMP property, by namespace URI and local name (never by prefix).
    case xmp(String, String)
    /// A field of a struct inside an XMP array property, e.g. `xmpMM:History[n]/stEvt:softwareAgent`.
    case xmpField(String, String, field: String)
    /// Every property of one XMP namespace, presented as one JSON object (layouts not yet confirmed).
    case xmpNamespace(String)
    case iptc(record: Int, dataset: Int)
    /// Any IPTC-IIM dataset.
    case anyIPTC
    /// JPEG `COM` segment or GIF comment extension.
    case comment
    /// A JPEG marker segment by name (`APP15`), raw bytes.
    case segment(String)
    /// A PNG chunk by type (`fcWp`), raw bytes.
    case chunk(String)
    /// Every carrier that holds text.
    case anyText
}

/// A test on a carrier's decoded text.
indirect enum TextTest: Sendable, Equatable {
    case equals(String)
    case equalsIgnoringCase(String)
    case hasPrefix(String)
    case contains(String)
    case lacks(String)
    /// Case-insensitive, on word boundaries (so "Fooocus" does not match "Fooocusless").
    case containsWord(String)
    /// Leading white space, then `{`.
    case startsWithJSONObject
    /// `<key>:{` — ComfyUI's EXIF `"<key>:" + JSON` convention.
    case keyedJSON
    /// An IPTC Digital Source Type, as a full vocabulary URI or a bare term, in this set.
    case sourceType(Set<String>)
    /// A UUID (8-4-4-4-12 hex), optionally in braces or with a `urn:uuid:` / `xmp.did:` prefix.
    case uuid
    case anyOf([TextTest])
}

/// "Some carrier at one of these places passes these tests (and parses, if a parser is given)".
struct Condition: Sendable {
    var anyOf: [Locator]
    var tests: [TextTest] = []
    var parser: FieldParser?

    init(_ anyOf: [Locator], tests: [TextTest] = [], parser: FieldParser? = nil) {
        self.anyOf = anyOf
        self.tests = tests
        self.parser = parser
    }

    init(_ locator: Locator, tests: [TextTest] = [], parser: FieldParser? = nil) {
        self.init([locator], tests: tests, parser: parser)
    }
}

/// Fields taken from another carrier of the same file (the first one present that parses).
struct Companion: Sendable {
    var locators: [Locator]
    var tests: [TextTest] = []
    var parser: FieldParser

    init(_ locators: [Locator], tests: [TextTest] = [], _ parser: FieldParser) {
        self.locators = locators
        self.tests = tests
        self.parser = parser
    }

    init(_ locator: Locator, tests: [TextTest] = [], _ parser: FieldParser) {
        self.init([locator], tests: tests, parser)
    }
}

/// How to turn a carrier into fields. Each case names one bounded parser; nil from a
/// parser means "the structure is not there" and the rule does not match.
indirect enum FieldParser: Sendable {
    /// The text itself, bounded, under the given field name.
    case text(as: String)
    /// Only the fact and size of the carrier.
    case present
    /// A1111 `parameters` text (prompt, `Negative prompt:`, `Steps: …` line).
    case a1111
    /// ComfyUI API graph (`prompt`) and UI workflow (`workflow`).
    case comfyPrompt
    case comfyWorkflow
    /// InvokeAI ≥ 3 `invokeai_graph` and `invokeai_workflow`.
    case invokeGraph
    case invokeWorkflow
    /// InvokeAI 1.x `Dream` command line.
    case dream
    /// Midjourney `Description`: prompt, `--flags`, `Job ID`; and the flags-only variant.
    case midjourneyDescription
    case midjourneyFlags
    /// A JSON object read through a field map.
    case json(JSONFieldMap)
    /// GB 45438 `{"AIGC": {...}}` (or the inner object).
    case aigcLabel
    /// ComfyUI's `"<key>:<json>"` EXIF extras.
    case keyedJSON
    /// DeepFaceLab pickle: bounded opcode walk, or a scan for its key strings.
    case deepFaceLabPickle
    case deepFaceLabKeys
    /// faceswap's Python-literal dict (never evaluated).
    case faceswapLiteral
    /// Strip a prefix, then parse the rest.
    case afterPrefix(String, FieldParser)
    /// The first parser that finds its structure.
    case firstOf([FieldParser])
    /// The parser's fields under one object member.
    case nested(String, FieldParser)
}
