import Foundation
import ImprintBytes

/// A researcher's own detector, run per file as a child process with an argument vector
/// (never through a shell): `--external NAME=COMMAND`. COMMAND is split into words like a
/// shell would split them (spaces; single and double quotes group; no expansion of any
/// kind). Each `{}` word is replaced by the file's path; without one, the path is appended.
/// The detector prints one score on standard output: a number, or a JSON object with a
/// numeric `score` (the last non-empty line counts). Higher means "more likely AI".
public struct ExternalDetector: Sendable, Equatable {
    public var name: String
    public var arguments: [String]
    public var timeoutSeconds: Double

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(name: String, arguments: [String], timeoutSeconds: Double = 60) {
        self.name = name
        self.arguments = arguments
        self.timeoutSeconds = timeoutSeconds
    }

    /// Parses `NAME=COMMAND`.
    public static func parse(_ spec: String, timeoutSeconds: Double = 60) throws(ParseError) -> ExternalDetector {
        guard let equals = spec.firstIndex(of: "=") else { throw ParseError(description: "--external takes NAME=COMMAND, got '\(spec)'") }
        let name = String(spec[..<equals]).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ParseError(description: "detector name '\(name)' must be letters, digits, '-', '_' or '.'")
        }
        let words = try split(String(spec[spec.index(after: equals)...]))
        guard !words.isEmpty else { throw ParseError(description: "--external \(name)= has no command") }
        return ExternalDetector(name: name, arguments: words, timeoutSeconds: timeoutSeconds)
    }

    /// Shell-like word splitting without expansion.
    static func split(_ command: String) throws(ParseError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for character in command {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quote != nil { throw ParseError(description: "unbalanced quote in '\(command)'") }
        if inWord { words.append(current) }
        return words
    }

    /// The argument vector for one file.
    public func argv(for path: String) -> [String] {
        arguments.contains("{}") ? arguments.map { $0 == "{}" ? path : $0 } : arguments + [path]
    }

    public enum RunError: Error, Sendable, Equatable, CustomStringConvertible {
        case launch(String)
        case timeout(Double)
        case exit(Int32, String)
        case noScore(String)

        public var description: String {
            switch self {
            case .launch(let why): return "could not start: \(why)"
            case .timeout(let seconds): return "no answer within \(seconds) s (stopped)"
            case let .exit(status, stderr): return "exited with status \(status)" + (stderr.isEmpty ? "" : ": \(stderr)")
            case .noScore(let output): return "printed no score (output: '\(output)')"
            }
        }
    }

    /// Largest output read from the detector.
    static let maxOutput = 1 << 20

    /// Runs the detector on one file and returns its score.
    public func score(path: String) -> Result<Double, RunError> {
        let argv = argv(for: path)
        let process = Process()
        let program = argv[0]
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(argv.dropFirst())
        } else {
            // A bare program name is looked up on PATH by env, still without a shell.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = argv
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let collected = OutputCollector()
        // Each pipe is drained to its end by its own reader, and both readers are joined
        // before the output is read: a handler still in flight when the process ends can
        // no longer lose the score line.
        let readers = DispatchGroup()
        for (index, handle) in [out.fileHandleForReading, err.fileHandleForReading].enumerated() {
            DispatchQueue.global().async(group: readers) {
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    collected.append(data, to: index)
                }
            }
        }
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch {
            // The readers end when the pipes close with them.
            return .failure(.launch(String(describing: error)))
        }
        if finished.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = finished.wait(timeout: .now() + 2)
            }
            return .failure(.timeout(timeoutSeconds))
        }
        // A grandchild that kept the pipes open must not hold the evaluation up for long.
        _ = readers.wait(timeout: .now() + 5)
        let (stdout, stderr) = collected.texts()
        guard process.terminationStatus == 0 else {
            return .failure(.exit(process.terminationStatus, String(stderr.suffix(300)).trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        guard let score = Self.parseScore(stdout) else {
            return .failure(.noScore(String(stdout.suffix(200)).trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return .success(score)
    }

    /// The score in a detector's output: the last non-empty line, a number or `{"score": x}`.
    static func parseScore(_ output: String) -> Double? {
        guard let line = output.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) })
            .last(where: { !$0.isEmpty }) else { return nil }
        guard let value = try? JSONParser.parse(line) else { return nil }
        let number = value.doubleValue ?? value["score"]?.doubleValue
        guard let number, number.isFinite else { return nil }
        return number
    }
}

/// Collects a child's output from the pipe handlers, up to a limit, under a lock.
private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffers: [Data] = [Data(), Data()]

    func append(_ data: Data, to index: Int) {
        lock.lock()
        defer { lock.unlock() }
        let room = ExternalDetector.maxOutput - buffers[index].count
        if room > 0 { buffers[index].append(data.prefix(room)) }
    }

    func texts() -> (String, String) {
        lock.lock()
        defer { lock.unlock() }
        return (String(decoding: buffers[0], as: UTF8.self), String(decoding: buffers[1], as: UTF8.self))
    }
}
