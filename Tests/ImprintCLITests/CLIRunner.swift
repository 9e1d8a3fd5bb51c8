import Foundation
import XCTest

/// Runs the built `imprint` executable as a child process, as a user would.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `imprint` binary SwiftPM built next to the test bundle.
    static func executable() throws -> URL {
        var candidates: [URL] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0])
        candidates.append(argv0.deletingLastPathComponent().appendingPathComponent("imprint"))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("imprint"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("imprint"))
        for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) { return url }
        throw XCTSkip("the imprint executable was not found next to the tests (looked in \(candidates.map(\.path)))")
    }

    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        let process = try start(arguments)
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A configured but not yet started process (for tests that signal it).
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        return process
    }
}

