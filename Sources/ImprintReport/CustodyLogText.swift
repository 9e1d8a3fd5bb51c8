import ImprintBytes
import ImprintCase

/// The custody log as people read it (`imprint custody`) and as scripts read it (`--json`).
public enum CustodyLogText {
    public static func text(_ events: [CustodyEvent]) -> String {
        var out = ""
        for event in events {
            out += "#\(event.seq)  \(event.atUTC)  \(event.action)  \(event.subject)\n"
            out += "    examiner: \(event.examiner)   host: \(event.host)   tool: \(event.toolVersion)\n"
            out += "    details:  \(event.detailsJSON)\n"
            out += "    hash:     \(event.hash)\n"
        }
        if let head = events.last {
            out += "chain head: event \(head.seq), \(head.hash)\n"
        } else {
            out += "the custody log is empty\n"
        }
        return out
    }

    public static func json(_ events: [CustodyEvent]) -> JSONValue {
        .object([
            .init("events", .array(events.map(\.json))),
            .init("head", events.last.map { .object(["seq": .int($0.seq), "hash": .string($0.hash)]) } ?? .null),
        ])
    }
}
