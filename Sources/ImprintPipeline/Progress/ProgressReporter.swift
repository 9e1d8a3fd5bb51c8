#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Progress on standard error: a redrawn bar on a terminal (files/s, MB/s, ETA), plain
/// lines every few seconds otherwise (logs, CI), nothing when silent.
public final class ProgressReporter {
    public enum Mode: Sendable {
        case terminal, lines, silent

        /// A bar when standard error is a terminal, lines otherwise.
        public static var automatic: Mode { isatty(2) == 1 ? .terminal : .lines }
    }

    private let mode: Mode
    private let label: String
    private var totalFiles: Int?
    private var totalBytes: Int64?
    private let started = Monotonic.now()
    private var lastDraw = 0.0
    private var files = 0
    private var bytes: Int64 = 0

    public init(mode: Mode, label: String) {
        self.mode = mode
        self.label = label
    }

    public func setTotals(files: Int, bytes: Int64) {
        totalFiles = files
        totalBytes = bytes
    }

    /// Records progress (cumulative counts) and redraws when it is time to.
    public func update(files: Int, bytes: Int64) {
        self.files = files
        self.bytes = bytes
        let now = Monotonic.now() - started
        let interval = mode == .terminal ? 0.1 : 5.0
        if now - lastDraw >= interval {
            lastDraw = now
            draw(elapsed: now, final: false)
        }
    }

    public func finish() {
        draw(elapsed: Monotonic.now() - started, final: true)
    }

    private func draw(elapsed: Double, final: Bool) {
        guard mode != .silent else { return }
        let seconds = max(elapsed, 0.001)
        let filesPerSecond = Double(files) / seconds
        let megabytesPerSecond = Double(bytes) / 1_000_000 / seconds
        var parts: [String] = []
        if let totalFiles {
            parts.append("\(files)/\(totalFiles) files")
        } else {
            parts.append("\(files) files")
        }
        parts.append(Self.size(bytes) + (totalBytes.map { "/" + Self.size($0) } ?? ""))
        parts.append(String(format: "%.0f files/s", filesPerSecond))
        parts.append(String(format: "%.1f MB/s", megabytesPerSecond))
        if !final, let totalBytes, let totalFiles {
            let fraction = totalBytes > 0 ? Double(bytes) / Double(totalBytes) : Double(files) / Double(max(totalFiles, 1))
            if fraction > 0.001 {
                parts.append("ETA " + Self.duration(seconds * (1 - min(fraction, 1)) / fraction))
            }
        } else if final {
            parts.append("in " + Self.duration(seconds))
        }
        var line = "\(label): " + parts.joined(separator: "  ")
        switch mode {
        case .terminal:
            if let totalBytes, let totalFiles {
                let fraction = totalBytes > 0 ? Double(bytes) / Double(totalBytes) : Double(files) / Double(max(totalFiles, 1))
                let width = 24
                let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded(.down))
                line = "\(label) [" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
                    + "] " + parts.joined(separator: "  ")
            }
            write("\r\u{1B}[2K" + line + (final ? "\n" : ""))
        case .lines:
            write(line + "\n")
        case .silent:
            break
        }
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }

    static func size(_ bytes: Int64) -> String {
        let value = Double(bytes)
        if value >= 1e9 { return String(format: "%.2f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        if value >= 1e3 { return String(format: "%.1f kB", value / 1e3) }
        return "\(bytes) B"
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}

/// Monotonic seconds, for rates and durations (wall-clock time can jump).
public enum Monotonic {
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
