import Foundation

/// Paginates the HTML report into PDF with WeasyPrint (CSS paged media: `@page` margin
/// boxes carry the case number and "page X of Y"), run as an external command with an
/// argument vector, never through a shell. docs/reports.md says why WeasyPrint.
///
/// Where imprint looks, in order: the explicit path (`--pdf-engine`), the environment
/// variable `IMPRINT_WEASYPRINT`, the venv `scripts/setup.sh` makes
/// (`/opt/imprint/report-tools/bin/weasyprint`), then `weasyprint` on `PATH`.
public struct PDFRenderer: Sendable {
    public static let environmentVariable = "IMPRINT_WEASYPRINT"
    public static let defaultInstall = "/opt/imprint/report-tools/bin/weasyprint"

    public enum RenderError: Error, CustomStringConvertible {
        case notFound(looked: [String])
        case failed(status: Int32, stderr: String)
        case notExecutable(String)

        public var description: String {
            switch self {
            case .notFound(let looked):
                return "the PDF engine (WeasyPrint) was not found (looked at \(looked.joined(separator: ", "))); run scripts/setup.sh, or give --pdf-engine PATH or \(PDFRenderer.environmentVariable)=PATH, or leave pdf out of --format"
            case .failed(let status, let stderr):
                return "WeasyPrint failed (exit status \(status)): \(stderr.split(separator: "\n").suffix(5).joined(separator: " | "))"
            case .notExecutable(let path):
                return "the PDF engine \(path) is not an executable file"
            }
        }
    }

    public var executable: String

    public init(executable: String) {
        self.executable = executable
    }

    /// Finds WeasyPrint, or says everywhere it looked.
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PDFRenderer {
        let manager = FileManager.default
        if let explicit {
            guard manager.isExecutableFile(atPath: explicit) else { throw RenderError.notExecutable(explicit) }
            return PDFRenderer(executable: explicit)
        }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            guard manager.isExecutableFile(atPath: fromEnvironment) else { throw RenderError.notExecutable(fromEnvironment) }
            return PDFRenderer(executable: fromEnvironment)
        }
        var looked = [defaultInstall]
        if manager.isExecutableFile(atPath: defaultInstall) { return PDFRenderer(executable: defaultInstall) }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/weasyprint"
            looked.append(candidate)
            if manager.isExecutableFile(atPath: candidate) { return PDFRenderer(executable: candidate) }
        }
        throw RenderError.notFound(looked: looked)
    }

    /// "WeasyPrint version 70.0" as the engine prints it, for the record.
    public func version() throws -> String {
        let result = try run(["--version"])
        guard result.status == 0 else { throw RenderError.failed(status: result.status, stderr: result.stderr) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Renders the HTML file at `input` to `output`. Only data: URLs may be loaded (the
    /// report embeds everything), so the engine never touches the network or other files.
    /// `identifier` fixes the PDF's file identifier so the same report gives the same bytes.
    public func render(input: String, output: String, identifier: String) throws {
        let result = try run(["--quiet", "--allowed-protocols", "data", "--pdf-identifier", identifier,
                              "--media-type", "print", input, output])
        guard result.status == 0 else { throw RenderError.failed(status: result.status, stderr: result.stderr) }
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    private func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain stderr on another thread while reading stdout, so neither pipe can fill and block.
        let errorBox = DataBox()
        let errorHandle = err.fileHandleForReading
        let reader = Thread { errorBox.data = errorHandle.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorBox.done { usleep(1000) }
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errorBox.data, as: UTF8.self))
    }
}

/// Holds what the stderr reader thread read; `done` is set once, after `data`.
private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _data = Data()
    private var _done = false
    var data: Data {
        get { lock.lock(); defer { lock.unlock() }; return _data }
        set { lock.lock(); _data = newValue; _done = true; lock.unlock() }
    }
    var done: Bool { lock.lock(); defer { lock.unlock() }; return _done }
}
