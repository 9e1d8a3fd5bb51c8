import ImprintCase

/// An event hash kept outside the case (printed in a report, noted in a lab book, sent by
/// e-mail), given back to `imprint verify --expect-event SEQ:HASH`.
///
/// The hash chain alone shows that no event was changed, removed or inserted *between*
/// events still present; it cannot show that the newest events were cut off, or that
/// someone with the file rewrote every event after a change and re-hashed the chain to its
/// end (SHA-256 has no key). An anchor kept elsewhere catches both (docs/hardening.md).
public struct CustodyAnchor: Sendable, Equatable {
    public var seq: Int64
    public var hash: String

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash.lowercased()
    }

    /// `SEQ:HASH` with a 64-digit hex hash, or nil.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int64(parts[0]), seq >= 1, parts[1].count == 64,
              parts[1].allSatisfy(\.isHexDigit) else { return nil }
        self.init(seq: seq, hash: String(parts[1]))
    }

    /// The discrepancy when the log no longer holds this event with this hash.
    func check(_ events: [CustodyEvent]) -> Discrepancy? {
        guard let event = events.first(where: { $0.seq == seq }) else {
            let last = events.last.map { "the log now ends at event \($0.seq)" } ?? "the log is empty"
            return Discrepancy(area: "custody", code: "anchor-missing", subject: String(seq),
                               message: "event \(seq), whose hash \(hash.prefix(16))… was kept outside the case, is no longer in the log (\(last)): events were removed")
        }
        guard event.hash.lowercased() != hash else { return nil }
        return Discrepancy(area: "custody", code: "anchor-mismatch", subject: String(seq),
                           message: "event \(seq) now has hash \(event.hash.prefix(16))…, but \(hash.prefix(16))… was kept outside the case: the log up to this event was rewritten")
    }
}
