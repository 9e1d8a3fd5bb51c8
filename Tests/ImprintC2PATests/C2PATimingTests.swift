import Foundation
import ImprintImaging
import ImprintProvenance
import XCTest

/// How long validating a manifest takes (container parse excluded: the pipeline parses
/// once for every analyzer). Prints the median of N runs; the bound is only a tripwire
/// for pathological slowness. Build with `-c release -Xswiftc -enable-testing` for the
/// numbers worth quoting (set IMPRINT_C2PA_TIMING_RUNS for more runs).
final class C2PATimingTests: XCTestCase {
    func testMedianValidationTime() throws {
        let runs = Int(ProcessInfo.processInfo.environment["IMPRINT_C2PA_TIMING_RUNS"] ?? "") ?? 15
        let validator = C2PAValidator(trustAnchorsPEM: try C2PATestSupport.load(try C2PATestSupport.corpus("trust/C2PA-TRUST-LIST.pem")))
        for name in ["C.jpg", "CA.jpg", "XCA.jpg"] {
            let bytes = try C2PATestSupport.load(try C2PATestSupport.corpus(name))
            let container = ContainerParser.parse(bytes, format: FormatSniffer.sniff(bytes))
            var times: [Double] = []
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                let report = validator.validate(bytes: bytes, container: container, xmpProvenance: nil)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                XCTAssertNotNil(report)
            }
            times.sort()
            let median = times[times.count / 2]
            print(String(format: "TIMING C2PA validate %@ (%d bytes): median %.2f ms, min %.2f ms, max %.2f ms over %d runs",
                         name, bytes.count, median, times[0], times[times.count - 1], runs))
            XCTAssertLessThan(median, 2_000, name)
        }
    }
}
