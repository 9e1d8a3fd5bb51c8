#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The fuzz executable's entry point, in two builds:
///
/// - `scripts/fuzz.sh` builds it with `-D IMPRINT_FUZZ`, AddressSanitizer and libFuzzer's
///   coverage instrumentation, linked with libFuzzer's driver library: it then fuzzes the
///   target named by `IMPRINT_FUZZ_TARGET` (all libFuzzer options apply).
/// - Built normally (`swift build --product ImprintFuzz`) it replays inputs, e.g. a crash
///   file, through a target without libFuzzer.
///
/// Both builds also accept `seeds TARGET OUTDIR FILE...` (write the target's seeds derived
/// from FILEs) and `list` (the target names).
enum FuzzCommand {
    static func run(_ arguments: [String]) -> Int32? {
        #if !(DEBUG || IMPRINT_FUZZ)
        return usage("this is a release build without the fuzz targets; use a debug build or scripts/fuzz.sh")
        #else
        guard let verb = arguments.dropFirst().first else { return nil }
        switch verb {
        case "list":
            FuzzTargets.all.forEach { print($0.name) }
            return 0
        case "seeds" where arguments.count >= 4:
            guard let target = FuzzTargets.named(arguments[2]) else { return usage("unknown target \(arguments[2])") }
            let folder = arguments[3]
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let seeds = FuzzSeeds.make(target.seeds, from: Array(arguments.dropFirst(4)))
            for (index, seed) in seeds.enumerated() {
                _ = FileManager.default.createFile(atPath: "\(folder)/seed-\(index)", contents: Data(seed))
            }
            print("\(target.name): \(seeds.count) seeds")
            return 0
        case "run" where arguments.count >= 3:
            guard let target = FuzzTargets.named(arguments[2]) else { return usage("unknown target \(arguments[2])") }
            for path in arguments.dropFirst(3) {
                guard let data = FileManager.default.contents(atPath: path) else { return usage("cannot read \(path)") }
                target.run([UInt8](data))
                print("\(target.name): \(path): ok")
            }
            return 0
        default:
            return nil
        }
        #endif
    }

    static func usage(_ problem: String) -> Int32 {
        FileHandle.standardError.write(Data("imprint-fuzz: \(problem)\nusage: ImprintFuzz list | seeds TARGET OUTDIR FILE... | run TARGET FILE...\n".utf8))
        return 2
    }
}

#if IMPRINT_FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The target libFuzzer calls, chosen once from the environment.
nonisolated(unsafe) var selectedTarget: FuzzTargets.Target?

/// SwiftPM links executables with `main` aliased to `<module>_main`.
@_cdecl("ImprintFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    if let status = FuzzCommand.run(CommandLine.arguments) { return status }
    let name = ProcessInfo.processInfo.environment["IMPRINT_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.named(name) else {
        return FuzzCommand.usage("set IMPRINT_FUZZ_TARGET to one of: \(FuzzTargets.all.map(\.name).joined(separator: ", "))")
    }
    selectedTarget = target
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in
        let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
        selectedTarget?.run(bytes)
        return 0
    }
}
#else
@main
enum ReplayEntry {
    static func main() {
        exit(FuzzCommand.run(CommandLine.arguments) ?? FuzzCommand.usage("no command"))
    }
}
#endif
