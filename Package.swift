// swift-tools-version: 6.0
// imprint — forensic analysis of image evidence. The targets mirror the layers of
// docs/architecture.md; a target may import only the layers listed as its dependencies.
import Foundation
import PackageDescription

/// Release builds target x86-64-v3 (Haswell and later: AVX2, FMA, BMI2) when the machine
/// building them has it, as a forensic workstation built in the last decade does. The
/// pixel loops (luma, the hash filters, the watermark's fixed-point colour conversion)
/// then run on 256-bit vectors: about 25 % less ingest CPU time, with identical output
/// (integer arithmetic is exact, and Swift never fuses a multiply and an add on its
/// own). The binary checks its processor at start-up and explains instead of crashing
/// (`imprint_allocator.c`). `IMPRINT_PORTABLE=1` builds for any x86-64.
let targetsX86_64v3: Bool = {
    #if arch(x86_64) && os(Linux)
    guard ProcessInfo.processInfo.environment["IMPRINT_PORTABLE"] != "1",
          let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    return ["avx2", "fma", "bmi2", "movbe", "f16c"].allSatisfy(flags.contains)
    #else
    return false
    #endif
}()

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
] + (targetsX86_64v3 ? [.unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))] : [])

let package = Package(
    name: "imprint",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "imprint", targets: ["imprint"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // System libraries, found through pkg-config (scripts/setup.sh installs the -dev packages).
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // imprint's C boundary to libjpeg-turbo and libpng: owns the setjmp their error
        // handling needs (Swift cannot catch a longjmp) and never exits the process.
        .target(name: "CImprintCodecs", dependencies: ["CJPEG", "CPNG"],
                cSettings: [.unsafeFlags(["-fstack-protector-strong", "-D_FORTIFY_SOURCE=2", "-O3", "-ffp-contract=off"])]
                    + (targetsX86_64v3 ? [.define("IMPRINT_REQUIRES_X86_64_V3", .when(configuration: .release)),
                                          .unsafeFlags(["-march=haswell"], .when(configuration: .release))] : [])),

        // Integer inner loops needing x86 instructions Swift cannot express (vpmaddwd),
        // bit-exact with the plain loops they replace.
        .target(name: "CImprintKernels",
                cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"] + (targetsX86_64v3 ? ["-march=haswell"] : []))]),

        .target(name: "ImprintBytes", swiftSettings: strict),
        .target(name: "ImprintImaging",
                dependencies: ["ImprintBytes", "CImprintCodecs", "CZlib"], swiftSettings: strict),
        .target(name: "ImprintMetadata",
                dependencies: ["ImprintImaging", "CExif"], swiftSettings: strict),
        .target(name: "ImprintProvenance",
                dependencies: ["ImprintMetadata", "CZlib",
                               .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "_CryptoExtras", package: "swift-crypto"),
                               .product(name: "X509", package: "swift-certificates"),
                               .product(name: "SwiftASN1", package: "swift-asn1")],
                swiftSettings: strict),
        .target(name: "ImprintDetectors",
                dependencies: ["ImprintImaging", "ImprintMetadata", "CImprintKernels"], swiftSettings: strict),
        .target(name: "ImprintSimilarity", dependencies: ["ImprintImaging", "CImprintKernels"], swiftSettings: strict),
        .target(name: "ImprintCase",
                dependencies: ["ImprintBytes",
                               .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: strict),
        .target(name: "ImprintPipeline",
                dependencies: ["ImprintBytes", "ImprintImaging", "ImprintMetadata", "ImprintProvenance",
                               "ImprintDetectors", "ImprintSimilarity", "ImprintCase",
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        .target(name: "ImprintReport",
                dependencies: ["ImprintCase", "ImprintBytes", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        .target(name: "ImprintEval",
                dependencies: ["ImprintPipeline", "ImprintDetectors", "ImprintImaging", "ImprintSimilarity",
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        .executableTarget(name: "imprint",
                          dependencies: ["ImprintPipeline", "ImprintReport", "ImprintCase", "ImprintEval", "CImprintCodecs",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),

        // Fixture builders shared by the test targets (evidence trees made by the tests).
        .target(name: "ImprintTestSupport",
                dependencies: ["ImprintBytes", "ImprintImaging", .product(name: "Crypto", package: "swift-crypto")],
                path: "Tests/ImprintTestSupport"),

        // Fuzz targets for every parser of evidence bytes. scripts/fuzz.sh builds this with
        // libFuzzer and AddressSanitizer; a normal build replays inputs (docs/hardening.md).
        .executableTarget(name: "ImprintFuzz",
                          dependencies: ["ImprintBytes", "ImprintImaging", "ImprintMetadata", "ImprintProvenance", "ImprintCase", "ImprintSimilarity"],
                          path: "Tests/Fuzz"),

        .testTarget(name: "ImprintBytesTests", dependencies: ["ImprintBytes"]),
        .testTarget(name: "ImprintImagingTests", dependencies: ["ImprintImaging", "ImprintBytes", "ImprintTestSupport"]),
        .testTarget(name: "ImprintMetadataTests",
                    dependencies: ["ImprintMetadata", "ImprintImaging", "ImprintBytes", "ImprintTestSupport"]),
        .testTarget(name: "ImprintCaseTests",
                    dependencies: ["ImprintCase", "ImprintBytes", "ImprintTestSupport",
                                   .product(name: "Crypto", package: "swift-crypto"),
                                   .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ImprintPipelineTests",
                    dependencies: ["ImprintPipeline", "ImprintDetectors", "ImprintCase", "ImprintBytes", "ImprintImaging", "ImprintMetadata",
                                   "ImprintTestSupport", .product(name: "Crypto", package: "swift-crypto"),
                                   .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ImprintSimilarityTests", dependencies: ["ImprintSimilarity", "ImprintImaging", "ImprintBytes", "ImprintTestSupport", "CImprintKernels"]),
        .testTarget(name: "ImprintC2PATests",
                    dependencies: ["ImprintProvenance", "ImprintImaging", "ImprintMetadata", "ImprintBytes", "ImprintTestSupport",
                                   .product(name: "Crypto", package: "swift-crypto"),
                                   .product(name: "_CryptoExtras", package: "swift-crypto")],
                    // Signed fixtures made by scripts/fixtures/make-c2pa-fixtures.py, read by path.
                    exclude: ["Fixtures"]),
        .testTarget(name: "ImprintProvenanceTests",
                    dependencies: ["ImprintProvenance", "ImprintMetadata", "ImprintImaging", "ImprintBytes", "ImprintTestSupport"]),
        .testTarget(name: "ImprintWatermarkTests",
                    dependencies: ["CImprintKernels", "ImprintDetectors", "ImprintPipeline", "ImprintImaging", "ImprintCase", "ImprintBytes",
                                   "ImprintTestSupport"]),
        .testTarget(name: "ImprintReportTests",
                    dependencies: ["ImprintReport", "ImprintCase", "ImprintBytes", "ImprintTestSupport"]),
        .testTarget(name: "ImprintDetectorsTests",
                    dependencies: ["ImprintDetectors", "ImprintImaging", "ImprintMetadata", "ImprintBytes", "ImprintSimilarity",
                                   "ImprintTestSupport", "CImprintKernels"]),
        .testTarget(name: "ImprintEvalTests",
                    dependencies: ["ImprintEval", "ImprintDetectors", "ImprintImaging", "ImprintBytes", "ImprintTestSupport"]),
        .testTarget(name: "ImprintCLITests",
                    dependencies: ["ImprintCase", "ImprintBytes", "ImprintImaging", "ImprintTestSupport",
                                   .product(name: "Crypto", package: "swift-crypto"),
                                   .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v6]
)
