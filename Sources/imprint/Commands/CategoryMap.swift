import Crypto
import Foundation
import ImprintBytes

/// A user-supplied, versioned mapping of raw VICS `Category` values to names
/// (HASH-SETS.md §6: imprint never hard-codes category meanings). The file is JSON:
/// `{"name": "…", "version": "…", "categories": {"1": "…", …}}`.
struct CategoryMap {
    var name: String
    var version: String
    var categories: [String: String]
    var sha256: String

    static let maxBytes = 1 << 20

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static func load(path: String) throws -> CategoryMap {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Invalid(description: "cannot read the category map \(path)") }
        defer { try? handle.close() }
        let bytes = [UInt8]((try handle.read(upToCount: maxBytes + 1)) ?? Data())
        guard bytes.count <= maxBytes else { throw Invalid(description: "\(path): a category map is at most 1 MiB") }
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch {
            throw Invalid(description: "\(path): not JSON (\(error))")
        }
        guard let version = json["version"]?.stringValue, !version.isEmpty,
              case .object(let members)? = json["categories"], !members.isEmpty else {
            throw Invalid(description: "\(path): a category map needs a \"version\" string and a non-empty \"categories\" object")
        }
        var categories: [String: String] = [:]
        for member in members {
            guard let label = member.value.stringValue else {
                throw Invalid(description: "\(path): category \"\(member.key)\" must map to a string")
            }
            categories[member.key] = label
        }
        return CategoryMap(name: json["name"]?.stringValue ?? "", version: version, categories: categories,
                           sha256: Hex.encode(SHA256.hash(data: bytes)))
    }

    var json: JSONValue {
        .object(["name": .string(name), "version": .string(version), "sha256": .string(sha256)])
    }
}
