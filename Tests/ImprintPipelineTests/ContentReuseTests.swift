import XCTest
import ImprintBytes
import ImprintCase
import ImprintImaging
import ImprintSimilarity
@testable import ImprintPipeline
import ImprintTestSupport

final class ContentReuseTests: XCTestCase {
    /// Everything FileAnalysis derives from the content.
    private func assertSameContentResults(_ a: ObservedFile, _ b: ObservedFile, _ what: String,
                                          file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.sha256, b.sha256, what, file: file, line: line)
        XCTAssertEqual(a.format, b.format, what, file: file, line: line)
        XCTAssertEqual(a.width, b.width, what, file: file, line: line)
        XCTAssertEqual(a.height, b.height, what, file: file, line: line)
        XCTAssertEqual(a.structure, b.structure, what, file: file, line: line)
        XCTAssertEqual(a.metadata, b.metadata, what, file: file, line: line)
        XCTAssertEqual(a.perceptualHashes, b.perceptualHashes, what, file: file, line: line)
        XCTAssertEqual(a.findings, b.findings, what, file: file, line: line)
        XCTAssertEqual(a.errors, b.errors, what, file: file, line: line)
    }

    func testACopyTakesTheFirstCopysResultsAndTheyAreWhatAFreshAnalysisGives() throws {
        let tree = try FixtureTree("reuse")
        defer { tree.remove() }
        let photo = try ImageEncoder.jpeg(CompressionAndSyntheticAnalyzerTests.raster(side: 320), quality: 88)
        try tree.write("a/photo.jpg", photo)
        try tree.write("b/copy of photo.jpg", photo)
        // The same bytes under another extension: the extension check must still see it.
        try tree.write("c/photo.png", photo)
        try tree.write("d/other.jpg", try ImageEncoder.jpeg(CompressionAndSyntheticAnalyzerTests.raster(side: 256), quality: 70))
        let reuse = ContentReuse()
        let reusing = FileAnalysis(reuse: reuse), fresh = FileAnalysis()
        let order = ["a/photo.jpg", "b/copy of photo.jpg", "c/photo.png", "d/other.jpg"]
        var observed: [String: ObservedFile] = [:]
        for path in order {
            let entry = try tree.walkEntry(path)
            let file = reusing.observe(entry)
            observed[path] = file
            assertSameContentResults(file, fresh.observe(entry), path)
        }
        XCTAssertEqual(reuse.reusedCount, 1, "only the copy with the same extension takes the first copy's results")

        let original = try XCTUnwrap(observed["a/photo.jpg"]), copy = try XCTUnwrap(observed["b/copy of photo.jpg"])
        XCTAssertNotNil(original.perceptualHashes?.pdq, "the picture was decoded and hashed")
        XCTAssertFalse(original.findings.isEmpty)
        XCTAssertEqual(copy.path, Array("b/copy of photo.jpg".utf8), "the copy keeps its own path")
        assertSameContentResults(original, copy, "copy")
        let renamed = try XCTUnwrap(observed["c/photo.png"])
        XCTAssertTrue(renamed.findings.contains { $0.label == "integrity.extension-mismatch" },
                      "a JPEG named .png is analysed for itself, not given the .jpg copy's findings")
        XCTAssertFalse(original.findings.contains { $0.label == "integrity.extension-mismatch" })
    }

    func testTheOldestResultsAreDroppedPastTheCapacity() {
        let reuse = ContentReuse(capacity: 2)
        func key(_ n: Int) -> ContentReuse.Key {
            ContentReuse.Key(sha256: String(repeating: "\(n)", count: 64), sha1: nil, md5: nil, size: Int64(n), fileExtension: "jpg")
        }
        func result(_ n: Int) -> ContentReuse.Result {
            ContentReuse.Result(width: n, height: n, structure: nil, metadata: nil, perceptualHashes: nil, errors: [], findings: [])
        }
        for n in 1...3 { reuse.store(result(n), for: key(n)) }
        XCTAssertNil(reuse.result(for: key(1)), "the oldest of three went when the third came")
        XCTAssertEqual(reuse.result(for: key(2))?.width, 2)
        XCTAssertEqual(reuse.result(for: key(3))?.width, 3)
        reuse.store(result(99), for: key(3))
        XCTAssertEqual(reuse.result(for: key(3))?.width, 3, "a stored result is never replaced")
        XCTAssertEqual(reuse.reusedCount, 3)
        XCTAssertNil(ContentReuse(capacity: 0).result(for: key(1)))
    }

    func testTheEstimatedBytesAreBoundedToo() {
        func key(_ n: Int) -> ContentReuse.Key {
            ContentReuse.Key(sha256: "\(n)", sha1: nil, md5: nil, size: Int64(n), fileExtension: nil)
        }
        func result(text: Int) -> ContentReuse.Result {
            ContentReuse.Result(width: 1, height: 1, structure: nil, metadata: .object([.init("xmp", .string(String(repeating: "x", count: text)))]),
                                perceptualHashes: nil, errors: [], findings: [])
        }
        let reuse = ContentReuse(capacity: 100, maxBytes: 100_000)
        let one = ContentReuse.estimatedBytes(result(text: 10_000))
        XCTAssertGreaterThan(one, 10_000)
        for n in 0..<20 { reuse.store(result(text: 10_000), for: key(n)) }
        let held = reuse.held
        XCTAssertLessThanOrEqual(held.bytes, 100_000)
        XCTAssertEqual(held.count, 100_000 / one, "as many of the newest as fit")
        XCTAssertNotNil(reuse.result(for: key(19)))
        XCTAssertNil(reuse.result(for: key(0)))
        reuse.store(result(text: 20_000), for: key(99))
        XCTAssertNil(reuse.result(for: key(99)), "a result over an eighth of the budget is not kept")
    }

    func testAResultTheTimeBudgetCutShortIsNeverReused() throws {
        let tree = try FixtureTree("reuse-budget")
        defer { tree.remove() }
        try tree.write("one.txt", MagicBytes.text)
        try tree.write("two.txt", MagicBytes.text)
        let reuse = ContentReuse()
        let analysis = FileAnalysis(analyzers: [SlowAnalyzer()], timeBudgetSeconds: 0.05, reuse: reuse)
        for path in ["one.txt", "two.txt"] {
            let file = analysis.observe(try tree.walkEntry(path))
            XCTAssertTrue(file.errors.contains { $0.code == "time-budget" }, "\(path): each copy's own overrun is recorded")
        }
        XCTAssertEqual(reuse.reusedCount, 0)
    }

    func testIngestCountsTheReusedAnalysesAndRecordsTheSetting() async throws {
        let tree = try FixtureTree("reuse-ingest")
        let caseFolder = try FixtureTree("reuse-case")
        defer {
            tree.remove()
            caseFolder.remove()
        }
        let photo = try ImageEncoder.jpeg(CompressionAndSyntheticAnalyzerTests.raster(side: 256), quality: 90)
        for name in ["x/1.jpg", "y/2.jpg", "z/3.jpg"] { try tree.write(name, photo) }
        let actor = Actor(examiner: "A. Examiner", host: "lab")
        let store = try CaseStore.create(at: caseFolder.absolute("case.imprint"),
                                         case: NewCase(caseNumber: "T-1", examiner: "A. Examiner"), actor: actor)
        var request = IngestRequest(evidenceRoot: tree.root, exhibitNumber: "EX-1", jobs: 1)
        var summary = try await Ingest.run(request, store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "t"))
        XCTAssertEqual(summary.newlyRecorded, 3)
        XCTAssertEqual(summary.reusedAnalyses, 2, "one file in a single job analysed, its two copies reused")
        XCTAssertEqual(summary.json["reusedAnalyses"], .integer(2))

        request.exhibitNumber = "EX-2"
        request.reuseIdenticalContent = false
        summary = try await Ingest.run(request, store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "t"))
        XCTAssertEqual(summary.newlyRecorded, 3)
        XCTAssertEqual(summary.reusedAnalyses, 0)
    }
    /// FileAnalysis hashes a colour-subsampled JPEG from the decode's strips, and anything
    /// else from the raster; both give `PerceptualHashes.compute`'s values.
    func testPerceptualHashesComeFromTheDecodesStripsWhereItCanStream() throws {
        let raster = CompressionAndSyntheticAnalyzerTests.raster(side: 200)
        let jpeg = try ImageEncoder.jpeg(raster, quality: 85)
        let png = try ImageEncoder.png(raster)
        for (name, bytes, streams) in [("a.jpg", jpeg, true), ("a.png", png, false)] {
            let artifact = Artifact(path: Array(name.utf8), name: Array(name.utf8), bytes: bytes, format: FormatSniffer.sniff(bytes))
            artifact.streamSmooth(key: FileAnalysis.perceptualHashKey) { PerceptualHashStream(width: $0, height: $1) }
            let decoded = try artifact.raster()
            let stream = artifact.streamedSmooth(key: FileAnalysis.perceptualHashKey) as? PerceptualHashStream
            XCTAssertEqual(stream != nil, streams, name)
            if let stream { XCTAssertEqual(stream.hashes(), PerceptualHashes.compute(decoded), name) }
        }
    }
}
