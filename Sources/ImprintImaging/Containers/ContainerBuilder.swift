import ImprintBytes

/// The mutable state one container parse accumulates: the result being built, the limits
/// it must honour, and the running totals those limits are checked against.
///
/// Every format parser writes through this type so that the caps on elements, issues and
/// decompressed bytes are enforced in one place rather than re-implemented per format.
struct ContainerBuilder {
    var result: ParsedContainer
    let limits: ContainerLimits
    let bytes: [UInt8]
    /// Bytes already produced by decompression in this file (for `maxDecompressedTotal`).
    var decompressedTotal = 0
    private var elementLimitReported = false
    private var issueLimitReported = false

    init(bytes: [UInt8], format: ImageFormat, limits: ContainerLimits) {
        self.bytes = bytes
        self.limits = limits
        self.result = ParsedContainer(format: format)
    }

    /// Whether another element may still be recorded. Parsers stop walking when this turns
    /// false: a file with more elements than the cap is hostile or broken either way.
    var canAddElements: Bool { result.elements.count < max(0, limits.maxElements) }

    /// `canAddElements` for a walk's loop condition: when the cap is reached it also records
    /// the `too-many-elements` issue (once), so a walk that stops early always says why.
    mutating func hasRoom(at offset: Int) -> Bool {
        if canAddElements { return true }
        reportElementLimit(at: offset)
        return false
    }

    private mutating func reportElementLimit(at offset: Int) {
        guard !elementLimitReported else { return }
        elementLimitReported = true
        let cap = limits.maxElements
        issue("too-many-elements", at: offset, "more than \(cap) structural elements; the rest were not recorded")
    }

    /// Records an element; past `maxElements` records one `too-many-elements` issue instead.
    /// Returns whether the element was recorded.
    @discardableResult
    mutating func add(_ element: ContainerElement) -> Bool {
        guard canAddElements else {
            reportElementLimit(at: element.offset)
            return false
        }
        result.elements.append(element)
        return true
    }

    @discardableResult
    mutating func add(name: String, identifiedAs: String? = nil, offset: Int, length: Int,
                      payloadOffset: Int, payloadLength: Int) -> Bool {
        add(ContainerElement(name: name, identifiedAs: identifiedAs, offset: offset, length: length,
                             payloadOffset: payloadOffset, payloadLength: payloadLength))
    }

    /// Records an issue; past `maxIssues` records one `too-many-issues` issue and drops the rest,
    /// so a file built to raise millions of issues cannot exhaust memory.
    /// The message is built only when the issue is kept: a hostile file may raise millions.
    mutating func issue(_ code: String, at offset: Int, _ message: @autoclosure () -> String) {
        if result.issues.count < max(0, limits.maxIssues) {
            result.issues.append(ContainerIssue(code: code, offset: offset, message: message()))
        } else if !issueLimitReported {
            issueLimitReported = true
            result.issues.append(ContainerIssue(code: "too-many-issues", offset: offset,
                                                message: "more than \(limits.maxIssues) issues; the rest were not recorded"))
        }
    }

    /// Turns a short read into the `truncated` (or `bad-length`) issue it stands for.
    mutating func issue(_ error: ByteReaderError, context: String) {
        switch error {
        case let .truncated(_, _, at, _):
            issue("truncated", at: at, "\(context): \(error.description)")
        case let .invalidLength(_, at, _):
            issue("bad-length", at: at, "\(context): \(error.description)")
        }
    }

    /// Marks everything from `offset` to the end of the file as trailing data.
    mutating func setTrailing(from offset: Int) {
        guard offset >= 0, offset < bytes.count else { return }
        result.trailingDataOffset = offset
        result.trailingDataLength = bytes.count - offset
        let format = FormatSniffer.sniff(bytes[offset...])
        result.trailingDataFormat = format.isImage ? format : nil
    }

    /// Inflates a zlib stream within the per-chunk, per-file and ratio limits, recording an
    /// issue when a limit or a corrupt stream stopped it. Returns what was recovered and
    /// whether that is the whole stream.
    mutating func inflate(_ compressed: ArraySlice<UInt8>, at offset: Int, what: String) -> (bytes: [UInt8], complete: Bool) {
        let remainingTotal = max(0, limits.maxDecompressedTotal - decompressedTotal)
        let outcome = BoundedInflate.inflate(compressed, limits: .init(
            maxOutput: min(limits.maxDecompressedChunk, remainingTotal),
            maxRatio: limits.maxDecompressionRatio))
        decompressedTotal += outcome.output.count
        switch outcome.status {
        case .complete:
            return (outcome.output, true)
        case .limitReached:
            let limits = self.limits
            issue("decompression-limit", at: offset,
                  "\(what): decompression stopped after \(outcome.output.count) bytes (limits: \(limits.maxDecompressedChunk) per chunk, \(limits.maxDecompressedTotal) per file, ratio \(limits.maxDecompressionRatio):1)")
        case .truncatedStream:
            issue("bad-compression", at: offset, "\(what): the compressed stream ends before its end marker")
        case let .corrupt(message):
            issue("bad-compression", at: offset, "\(what): \(message)")
        }
        return (outcome.output, false)
    }
}
