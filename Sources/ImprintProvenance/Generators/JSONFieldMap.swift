import ImprintBytes

/// A table that reads fields out of a JSON object, the way ExifTool's tag tables read
/// tags: key paths (dot-separated) mapped to imprint's field names, plus the keys whose
/// presence makes the object the tool's structure. A string value that itself holds JSON
/// (a JSON-in-JSON `Comment`, an `AIGC` member written as text) is parsed on the way down.
struct JSONFieldMap: Sendable {
    /// Descend into this path first (e.g. `sui_image_params`); no match when it is missing.
    var root: String?
    /// Paths that must all exist.
    var required: [String] = []
    /// Of these paths, at least `minimumPresent` must exist.
    var distinctive: [String] = []
    var minimumPresent = 0
    /// Tests on string values at paths (all must pass).
    var constraints: [(path: String, test: TextTest)] = []
    /// Path → field name, in output order. Several paths may feed one name (first present wins).
    var fields: [(path: String, name: String)]

    init(root: String? = nil, required: [String] = [], distinctive: [String] = [], minimumPresent: Int = 0,
         constraints: [(path: String, test: TextTest)] = [], fields: [(path: String, name: String)]) {
        self.root = root
        self.required = required
        self.distinctive = distinctive
        self.minimumPresent = minimumPresent
        self.constraints = constraints
        self.fields = fields
    }
}

extension JSONFieldMap {
    /// The fields, or nil when the object is not this structure.
    func read(_ value: JSONValue) -> [JSONValue.Member]? {
        var object = value
        if let root {
            guard let inner = Self.lookup(object, root) else { return nil }
            object = inner
        }
        guard case .object = object else { return nil }
        for path in required where Self.lookup(object, path) == nil { return nil }
        if minimumPresent > 0 {
            let present = distinctive.filter { Self.lookup(object, $0) != nil }.count
            guard present >= minimumPresent else { return nil }
        }
        for (path, test) in constraints {
            guard let text = Self.lookup(object, path)?.stringValue, GeneratorFingerprints.passes(test, text) else { return nil }
        }
        var members: [JSONValue.Member] = []
        var seen: Set<String> = []
        for (path, name) in fields where !seen.contains(name) {
            guard let found = Self.lookup(object, path), found != .null else { continue }
            seen.insert(name)
            members.append(.init(name, FieldBounds.clip(found)))
        }
        return members
    }

    /// Follows a dot-separated path through objects; a string met on the way that holds a
    /// JSON object is parsed (bounded) and followed.
    static func lookup(_ value: JSONValue, _ path: String) -> JSONValue? {
        var current = value
        for key in path.split(separator: ".", omittingEmptySubsequences: false) {
            if case .string(let text) = current, let parsed = FieldBounds.parseJSON(text) { current = parsed }
            guard let next = current[String(key)] else { return nil }
            current = next
        }
        return current
    }
}
