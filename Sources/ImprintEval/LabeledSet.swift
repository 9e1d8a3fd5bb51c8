import Foundation

/// A labeled evaluation set: a CSV with a header naming at least `path` and `label`
/// (`ai` or `real`), optionally `group` (generator family or source) and `split`
/// (`train` / `test`); other columns are ignored. Relative paths are relative to the CSV's
/// folder. Fields may be quoted as RFC 4180 allows.
public struct LabeledSet: Sendable {
    public struct Item: Sendable, Equatable {
        /// As written in the CSV.
        public var path: String
        /// Resolved against the CSV's folder.
        public var resolvedPath: String
        /// 1 for `ai`, 0 for `real`.
        public var label: Int
        public var group: String
        public var split: String?
    }

    public var items: [Item]
    public var source: String

    public enum LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        case unreadable(String)
        case missingColumn(String)
        case badRow(line: Int, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let why): return "cannot read the labels file: \(why)"
            case .missingColumn(let column): return "the labels file has no '\(column)' column in its header"
            case let .badRow(line, reason): return "labels file line \(line): \(reason)"
            }
        }
    }

    /// Largest labels file read (a CSV of paths; anything larger is not a labels file).
    public static let maxBytes = 64 << 20

    public static func load(path: String) throws(LoadError) -> LabeledSet {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber else { throw .unreadable("\(path) does not exist") }
        guard size.intValue <= maxBytes else { throw .unreadable("\(path) is larger than \(maxBytes >> 20) MiB") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable("\(path) cannot be read") }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(String(decoding: data, as: UTF8.self), baseDirectory: base, source: path)
    }

    public static func parse(_ text: String, baseDirectory: String, source: String = "-") throws(LoadError) -> LabeledSet {
        let rows = CSV.rows(text)
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw .missingColumn("path")
        }
        guard let pathColumn = header.firstIndex(of: "path") else { throw .missingColumn("path") }
        guard let labelColumn = header.firstIndex(of: "label") else { throw .missingColumn("label") }
        let groupColumn = header.firstIndex(of: "group"), splitColumn = header.firstIndex(of: "split")
        var items: [Item] = []
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func field(_ column: Int?) -> String? {
                guard let column, column < row.fields.count else { return nil }
                return row.fields[column].trimmingCharacters(in: .whitespaces)
            }
            guard let path = field(pathColumn), !path.isEmpty else { throw .badRow(line: row.line, reason: "empty path") }
            let label: Int
            switch field(labelColumn)?.lowercased() {
            case "ai": label = 1
            case "real": label = 0
            case let other: throw .badRow(line: row.line, reason: "label '\(other ?? "")' is neither ai nor real")
            }
            let resolved = path.hasPrefix("/") ? path : (baseDirectory as NSString).appendingPathComponent(path)
            let group = field(groupColumn).flatMap { $0.isEmpty ? nil : $0 } ?? "all"
            items.append(Item(path: path, resolvedPath: resolved, label: label, group: group,
                              split: field(splitColumn).flatMap { $0.isEmpty ? nil : $0.lowercased() }))
        }
        return LabeledSet(items: items, source: source)
    }

    /// The items of one split (all items when `split` is nil).
    public func items(inSplit split: String?) -> [Item] {
        guard let split else { return items }
        return items.filter { $0.split == split }
    }
}

/// A small RFC 4180 reader: comma-separated, double quotes around fields that hold commas,
/// quotes (doubled) or line breaks; CRLF or LF line ends.
enum CSV {
    struct Row {
        var fields: [String]
        var line: Int
    }

    static func rows(_ text: String) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1, rowLine = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var index = 0
        func endRow() {
            fields.append(field)
            rows.append(Row(fields: fields, line: rowLine))
            fields = []
            field = ""
        }
        while index < scalars.count {
            let c = scalars[index]
            if inQuotes {
                if c == "\"" {
                    if index + 1 < scalars.count && scalars[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                inQuotes = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else if c == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n" {
                // CRLF: the LF ends the row.
            } else if c == "\n" {
                endRow()
                line += 1
                rowLine = line
            } else {
                field.unicodeScalars.append(c)
            }
            index += 1
        }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }

    /// One field written for CSV output.
    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
