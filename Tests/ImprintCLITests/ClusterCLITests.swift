import Foundation
import XCTest
import ImprintBytes
import ImprintImaging
import ImprintTestSupport

/// `imprint cluster` and `imprint clusters` on a case ingested from real PNG files.
final class ClusterCLITests: XCTestCase {
    private var work: FixtureTree!
    private var casePath: String { work.absolute("case.imprint") }

    override func setUpWithError() throws { work = try FixtureTree("cluster-cli") }
    override func tearDown() { work?.remove() }

    func testClusterRecordsGroupsExclusionsAndCustodyAndClustersListsThem() throws {
        let evidence = try FixtureTree("cluster-evidence")
        defer { evidence.remove() }
        try evidence.write("a.png", try PatternImages.png(pattern: 1))
        try evidence.write("a-resaved.png", try PatternImages.png(pattern: 1, patch: 30))
        try evidence.write("other.png", try PatternImages.png(pattern: 2))
        try evidence.write("flat.png", try ImageEncoder.png(Raster(width: 64, height: 64, layout: .rgb,
                                                                   pixels: [UInt8](repeating: 90, count: 64 * 64 * 3))))
        XCTAssertEqual(try CLIRunner.run(["case", "create", casePath, "--case-number", "C-1", "--examiner", "A. Examiner"]).status, 0)
        let ingest = try CLIRunner.run(["ingest", casePath, evidence.root, "--exhibit", "EX-1", "--quiet"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)

        let none = try CLIRunner.run(["clusters", casePath, "--json"])
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertEqual(none.stdout, "null\n")

        let cluster = try CLIRunner.run(["cluster", casePath, "--threshold", "31"])
        XCTAssertEqual(cluster.status, 0, cluster.stderr)
        XCTAssertTrue(cluster.stdout.contains("1 near-duplicate group(s) covering 2 file(s)"), cluster.stdout)
        XCTAssertTrue(cluster.stdout.contains("flat.png  [low-quality"), cluster.stdout)

        let listed = try CLIRunner.run(["clusters", casePath, "--json"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let json = try JSONParser.parse(listed.stdout)
        XCTAssertEqual(json["threshold"]?.intValue, 31)
        XCTAssertEqual(json["excludedLowQuality"]?.intValue, 1)
        XCTAssertEqual(json["hashesConsidered"]?.intValue, 3)
        let clusters = try XCTUnwrap(json["clusters"]?.arrayValue)
        guard clusters.count == 1 else { return XCTFail("expected one cluster: \(listed.stdout)") }
        XCTAssertEqual(clusters[0]["number"]?.intValue, 1)
        XCTAssertEqual(clusters[0]["size"]?.intValue, 2)
        let members = try XCTUnwrap(clusters[0]["members"]?.arrayValue)
        XCTAssertEqual(Set(members.compactMap { $0["path"]?.stringValue }), ["a.png", "a-resaved.png"])
        XCTAssertEqual(members.first { $0["path"]?.stringValue == "a.png" }?["sha256"]?.stringValue,
                       FixtureTree.sha256(ofFile: Array((evidence.root + "/a.png").utf8)))
        let diameter = try XCTUnwrap(clusters[0]["diameter"]?.intValue)
        XCTAssertLessThanOrEqual(diameter, 31)

        let text = try CLIRunner.run(["clusters", casePath])
        XCTAssertTrue(text.stdout.contains("#1  size 2  diameter \(diameter)"), text.stdout)

        // The custody log commits to the member list, and the chain still verifies.
        let custody = try CLIRunner.run(["custody", casePath, "--json"])
        XCTAssertTrue(custody.stdout.contains("analysis.run"), custody.stdout)
        XCTAssertTrue(custody.stdout.contains(try XCTUnwrap(json["membersSha256"]?.stringValue)))
        let verify = try CLIRunner.run(["verify", casePath, "--quiet"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testClusterRejectsBadThreshold() throws {
        XCTAssertEqual(try CLIRunner.run(["case", "create", casePath, "--case-number", "C-2", "--examiner", "E"]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["cluster", casePath, "--threshold", "300"]).status, 2)
    }
}
