import Crypto
import Foundation
import ImprintBytes

/// The formats `imprint report` writes, and their file names in the output folder.
public enum ReportFormat: String, Sendable, CaseIterable {
    case html, pdf, json, csv, `case`

    public var fileNames: [String] {
        switch self {
        case .html: return ["report.html"]
        case .pdf: return ["report.pdf"]
        case .json: return ["report.json"]
        case .csv: return ["files.csv", "findings.csv"]
        case .case: return ["case-uco.jsonld"]
        }
    }
}

/// One file a report run wrote, as its `report.generated` custody event records it.
public struct WrittenReportFile: Sendable, Equatable {
    public var format: ReportFormat
    public var name: String
    public var path: String
    public var sha256: String
    public var bytes: Int64

    public var json: JSONValue {
        .object(["format": .string(format.rawValue), "name": .string(name), "path": .string(path),
                 "sha256": .string(sha256), "bytes": .int(bytes)])
    }
}

/// Writes the requested formats into the output folder. Each file is written under a
/// temporary name and renamed into place, so a crash never leaves half a report under a
/// report's name; the PDF is rendered from the same HTML.
public enum ReportWriter {
    public static func write(_ model: ReportModel, formats: [ReportFormat], to directory: String,
                             pdf: PDFRenderer?) throws -> [WrittenReportFile] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [WrittenReportFile] = []
        let wanted = ReportFormat.allCases.filter(formats.contains)
        var html: String?
        func htmlText() -> String {
            if let html { return html }
            let rendered = HTMLReportWriter.render(model)
            html = rendered
            return rendered
        }
        for format in wanted {
            switch format {
            case .html:
                written.append(try put(htmlText(), format: .html, name: "report.html", in: directory))
            case .pdf:
                guard let pdf else { throw PDFRenderer.RenderError.notFound(looked: []) }
                written.append(try renderPDF(htmlText(), with: pdf, in: directory, reportID: model.reportID))
            case .json:
                written.append(try put(DataExports.json(model), format: .json, name: "report.json", in: directory))
            case .csv:
                written.append(try put(DataExports.filesCSV(model), format: .csv, name: "files.csv", in: directory))
                written.append(try put(DataExports.findingsCSV(model), format: .csv, name: "findings.csv", in: directory))
            case .case:
                written.append(try put(CASEExport.jsonLD(model), format: .case, name: "case-uco.jsonld", in: directory))
            }
        }
        return written
    }

    static func put(_ text: String, format: ReportFormat, name: String, in directory: String) throws -> WrittenReportFile {
        let bytes = Array(text.utf8)
        let final = directory + "/" + name
        let temporary = directory + "/." + name + ".partial"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        try replace(temporary, with: final)
        return WrittenReportFile(format: format, name: name, path: final, sha256: Hex.encode(SHA256.hash(data: bytes)),
                                 bytes: Int64(bytes.count))
    }

    static func renderPDF(_ html: String, with pdf: PDFRenderer, in directory: String, reportID: String) throws -> WrittenReportFile {
        let source = directory + "/.report.pdf-source.html"
        let temporary = directory + "/.report.pdf.partial"
        try Data(html.utf8).write(to: URL(fileURLWithPath: source))
        defer { try? FileManager.default.removeItem(atPath: source) }
        // The identifier is derived from the HTML, so the same report gives the same PDF bytes.
        let identifier = Hex.encode(SHA256.hash(data: Array(html.utf8)).prefix(16))
        try pdf.render(input: source, output: temporary, identifier: identifier)
        let final = directory + "/report.pdf"
        try replace(temporary, with: final)
        let data = try Data(contentsOf: URL(fileURLWithPath: final))
        return WrittenReportFile(format: .pdf, name: "report.pdf", path: final, sha256: Hex.encode(SHA256.hash(data: data)),
                                 bytes: Int64(data.count))
    }

    static func replace(_ temporary: String, with final: String) throws {
        if rename(temporary, final) != 0 {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw ReportWriteError(description: "cannot move the report into place at \(final): \(String(cString: strerror(code)))")
        }
    }
}

public struct ReportWriteError: Error, CustomStringConvertible {
    public var description: String
}
