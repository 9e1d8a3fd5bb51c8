#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB
import XCTest
import ImprintBytes
import ImprintCase
@testable import ImprintImaging
@testable import ImprintPipeline
import ImprintTestSupport

/// Evidence trees built to hurt a tool that trusts them: hard links, device files and
/// sockets, a file swapped for a FIFO after listing, nesting past the depth limit, files
/// that change between listing and reading. (Link loops, links out of the root, FIFOs,
/// non-UTF-8 names and names with newlines are in `EvidenceFixtures`, used by IngestTests.)
final class HostileTreeTests: XCTestCase {
    private var tree: FixtureTree!
    private var work: FixtureTree!
    private let actor = Actor(examiner: "E", host: "h")

    override func setUpWithError() throws {
        tree = try FixtureTree("hostile")
        work = try FixtureTree("hostilecase")
    }

    override func tearDown() {
        tree?.remove()
        work?.remove()
    }

    private func ingest(_ store: CaseStore) async throws -> IngestSummary {
        try await Ingest.run(IngestRequest(evidenceRoot: tree.root, exhibitNumber: "EX-1", jobs: 2), store: store, actor: actor,
                             progress: ProgressReporter(mode: .silent, label: "t"))
    }

    private func newCase() throws -> CaseStore {
        try CaseStore.create(at: work.absolute("c.imprint"), case: NewCase(caseNumber: "H-1", examiner: "E"), actor: actor)
    }

    private func rows(_ store: CaseStore) throws -> [String: Row] {
        let all = try DatabaseQueue(path: store.path).read { try Row.fetchAll($0, sql: "SELECT * FROM files") }
        return Dictionary(uniqueKeysWithValues: all.map { ($0["path_text"] as String, $0) })
    }

    private func walkEntry(_ name: String) throws -> WalkEntry {
        guard case .success(let root) = DirectoryHandle.openRoot(tree.rootBytes) else { throw FixtureError("open root") }
        return try XCTUnwrap(EvidenceWalker(root: root).first { $0.path == Array(name.utf8) })
    }

    /// The input scripts/fuzz.sh found: XMP whose element name is not UTF-8 made
    /// FoundationXML trap, ending the process and the batch. Now it is a recorded error.
    func testAnImageWhoseXMPOnceCrashedTheXMLParserIsRecordedAndTheBatchGoesOn() async throws {
        let png = try PatternImages.png(pattern: 7)
        let text = Array("XML:com.adobe.xmp".utf8) + [0, 0, 0, 0, 0] + Array("<x:xmpm".utf8) + [0xCC, 0x01] + Array(" ta xa".utf8)
        let body = Array("iTXt".utf8) + text
        let chunk = BigEndianBytes.be32(text.count) + body + BigEndianBytes.be32(Int(CRC32.checksum(body, 0..<body.count)))
        try tree.write("a-hostile.png", Array(png[0..<33]) + chunk + Array(png[33...]))
        try tree.write("b-after.jpg", MagicBytes.jpeg)
        let store = try newCase()
        let summary = try await ingest(store)
        XCTAssertEqual(summary.newlyRecorded, 2)
        let errors = try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: "SELECT e.stage, e.message FROM file_errors e JOIN files f ON f.id = e.file_id WHERE f.path_text = 'a-hostile.png'")
        }
        XCTAssertTrue(errors.contains { ($0["stage"] as String) == "metadata" && ($0["message"] as String).contains("not valid UTF-8") },
                      "\(errors)")
    }

    func testHardLinksAreTwoRecordsOfOneInode() async throws {
        try tree.write("a/original.jpg", MagicBytes.jpeg)
        try tree.mkdir("b")
        XCTAssertEqual(link(tree.absolute("a/original.jpg"), tree.absolute("b/second-name.jpg")), 0)
        let store = try newCase()
        _ = try await ingest(store)
        let byPath = try rows(store)
        let first = try XCTUnwrap(byPath["a/original.jpg"]), second = try XCTUnwrap(byPath["b/second-name.jpg"])
        XCTAssertEqual(first["kind"] as String, "file")
        XCTAssertEqual(second["kind"] as String, "file")
        XCTAssertEqual(first["inode"] as Int64, second["inode"] as Int64)
        XCTAssertEqual(first["nlink"] as Int64, 2, "the link count is recorded, so the examiner can see the shared inode")
        XCTAssertEqual(first["sha256"] as String, second["sha256"] as String)
        let report = try await Verifier.run(store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "v"))
        XCTAssertTrue(report.passed)
    }

    /// glibc's makedev for small numbers (the macro is not imported into Swift).
    static func device(_ major: UInt64, _ minor: UInt64) -> dev_t { dev_t(major << 8 | minor) }

    func testDeviceFilesAndSocketsAreRecordedAndNeverOpened() async throws {
        // /dev/zero's numbers: a reader that opened it would never reach the end.
        guard mknod(tree.absolute("dev-zero"), S_IFCHR | 0o644, Self.device(1, 5)) == 0 else {
            throw XCTSkip("mknod is not permitted here (errno \(errno))")
        }
        let blockMade = mknod(tree.absolute("dev-block"), S_IFBLK | 0o600, Self.device(7, 0)) == 0
        let socketPath = tree.absolute("ctl.sock")
        let sock = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(sock) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(socketPath.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes + [0])
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0, "bind \(errno)")
        try tree.write("photo.jpg", MagicBytes.jpeg)

        let store = try newCase()
        let summary = try await ingest(store)
        let byPath = try rows(store)
        XCTAssertEqual(byPath["dev-zero"]?["kind"], "char-device")
        XCTAssertEqual(byPath["dev-zero"]?["status"], "not-read")
        XCTAssertNil(byPath["dev-zero"]?["sha256"] as String?)
        XCTAssertEqual(byPath["ctl.sock"]?["kind"], "socket")
        XCTAssertEqual(byPath["ctl.sock"]?["status"], "not-read")
        if blockMade { XCTAssertEqual(byPath["dev-block"]?["kind"], "block-device") }
        XCTAssertEqual(byPath["photo.jpg"]?["status"], "ok")
        XCTAssertEqual(summary.inventory?.otherEntries, blockMade ? 3 : 2)
        let report = try await Verifier.run(store: store, actor: actor, progress: ProgressReporter(mode: .silent, label: "v"))
        XCTAssertTrue(report.passed, report.discrepancies.map(\.message).joined(separator: "\n"))
    }

    func testAFileSwappedForAFIFOAfterListingIsRefusedWithoutBlocking() throws {
        try tree.write("evidence.jpg", MagicBytes.jpeg)
        let entry = try walkEntry("evidence.jpg")
        XCTAssertEqual(unlink(tree.absolute("evidence.jpg")), 0)
        try tree.fifo("evidence.jpg")   // nobody ever writes to it: a blocking open would hang for ever
        let done = expectation(description: "read returned")
        let result = LockedBox<ReadOutcome?>(nil)
        Thread.detachNewThread {
            result.value = EvidenceReader().read(entry)
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        XCTAssertEqual(result.value?.errors.map(\.code), ["not-regular"])
        XCTAssertNil(result.value?.sha256)
    }

    func testNestingPastTheDepthLimitIsRecordedAndTheRestIngested() async throws {
        // 1030 levels, made relative to descriptors (the full path is longer than is comfortable).
        var fd = open(tree.root, O_RDONLY | O_DIRECTORY)
        for _ in 0..<1030 {
            XCTAssertEqual(mkdirat(fd, "d", 0o755), 0)
            let next = openat(fd, "d", O_RDONLY | O_DIRECTORY)
            close(fd)
            fd = next
        }
        XCTAssertEqual(openat(fd, "bottom.jpg", O_WRONLY | O_CREAT, 0o644) >= 0, true)
        close(fd)
        try tree.write("d/top.jpg", MagicBytes.jpeg)

        let store = try newCase()
        let summary = try await ingest(store)
        XCTAssertFalse(summary.interrupted)
        let errors = try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: "SELECT f.path_text, f.kind, f.status, e.code FROM file_errors e JOIN files f ON f.id = e.file_id WHERE e.stage = 'walk'")
        }
        XCTAssertEqual(errors.map { $0["code"] as String }, ["too-deep"])
        let deep = try XCTUnwrap(errors.first)
        XCTAssertEqual(deep["kind"] as String, "directory")
        XCTAssertEqual((deep["path_text"] as String).split(separator: "/").count, EvidenceWalker.defaultMaxDepth)
        XCTAssertNotNil(try rows(store)["d/top.jpg"])
        XCTAssertFalse(try rows(store).keys.contains { $0.hasSuffix("bottom.jpg") }, "nothing below the limit is entered")
    }

    func testAFileThatGrewBetweenListingAndReadingIsRecordedAsChanged() throws {
        try tree.write("growing.jpg", MagicBytes.jpeg)
        let entry = try walkEntry("growing.jpg")
        let fd = open(tree.absolute("growing.jpg"), O_WRONLY | O_APPEND)
        XCTAssertEqual(write(fd, "more", 4), 4)
        close(fd)
        let outcome = EvidenceReader().read(entry)
        XCTAssertEqual(outcome.errors.map(\.code), ["changed-during-read"])
        XCTAssertEqual(outcome.bytesRead, Int64(MagicBytes.jpeg.count + 4), "the hashes describe the bytes actually read")
        XCTAssertEqual(outcome.sha256, FixtureTree.sha256(ofFile: Array(tree.absolute("growing.jpg").utf8)))
    }

    func testAFileWhoseTimeChangedBetweenListingAndReadingIsRecordedAsChanged() throws {
        try tree.write("touched.jpg", MagicBytes.jpeg)
        let entry = try walkEntry("touched.jpg")
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, tree.absolute("touched.jpg"), &times, 0), 0)
        let outcome = EvidenceReader().read(entry)
        XCTAssertEqual(outcome.errors.map(\.code), ["changed-during-read"])
        XCTAssertNotNil(outcome.sha256)
    }

    func testAFileThatShrankWhileStreamedIsRecordedAsChanged() throws {
        // Larger than the in-memory limit, so it is streamed; truncated after listing.
        try tree.sparse("big.bin", size: 3 << 20)
        let entry = try walkEntry("big.bin")
        XCTAssertEqual(truncate(tree.absolute("big.bin"), 1 << 20), 0)
        let outcome = EvidenceReader(maxInMemoryBytes: 1 << 20 - 1).read(entry)
        XCTAssertTrue(outcome.errors.map(\.code).contains("changed-during-read"), "\(outcome.errors)")
        XCTAssertEqual(outcome.bytesRead, 1 << 20)
    }
}

/// A value shared with a helper thread in a test.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

enum BigEndianBytes {
    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
}
