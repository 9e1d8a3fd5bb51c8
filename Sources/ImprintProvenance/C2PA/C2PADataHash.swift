import ImprintBytes

/// The `c2pa.hash.data` hard binding (spec §3): the hash of every file byte outside the
/// exclusions, which must be exactly the units that carry the store.
enum C2PADataHash {
    struct Outcome {
        var statuses: [C2PAStatus] = []
        var verified = false
    }

    /// - Parameter throughUpdate: the binding is reached through an update manifest. The
    ///   store has grown since this binding was signed, so (as c2pa-rs does) the exclusion
    ///   that starts where the store starts is widened to the whole current store, and
    ///   exclusions after it move by the growth.
    static func verify(_ assertion: C2PAAssertion, claimAlg: String?, file: [UInt8], carriers: [C2PACarrier],
                       manifest: String, throughUpdate: Bool = false) -> Outcome {
        let url = C2PAURI.prefix + "/c2pa/\(manifest)/c2pa.assertions/\(assertion.label)"
        var outcome = Outcome()
        func add(_ code: String, _ why: String) {
            outcome.statuses.append(C2PAStatus(code, url: url, explanation: why, manifest: manifest))
        }
        guard let item = assertion.cbor else { return outcome }  // reported as assertion.cbor.invalid
        if item["url"] != nil {
            add(C2PACode.bindingNotImplemented, "the data hash names an external asset (url); not checked")
            return outcome
        }
        guard let hash = item["hash"]?.byteString else {
            add(C2PACode.dataHashMalformed, "the data hash has no 'hash' byte string")
            return outcome
        }
        let algName = item["alg"]?.text ?? claimAlg
        guard let alg = C2PAHashAlgorithm(name: algName) else {
            add(C2PACode.algorithmUnsupported, "data hash algorithm \(algName.map { "'\($0)'" } ?? "absent (and no claim alg)")")
            return outcome
        }
        var exclusions: [Range<Int>] = []
        for entry in item["exclusions"]?.array ?? [] {
            guard let start = entry["start"]?.integerValue, let length = entry["length"]?.integerValue,
                  start >= 0, length >= 0, start <= Int64(Int.max) - length else {
                add(C2PACode.dataHashMalformed, "an exclusion is not {start, length} with non-negative integers")
                return outcome
            }
            exclusions.append(Int(start)..<Int(start + length))
        }
        if exclusions.count > 1 {
            add("assertion.dataHash.additionalExclusionsPresent", "\(exclusions.count) exclusions: bytes other than the store are not covered")
        }
        if throughUpdate, let first = carriers.map(\.offset).min(), let last = carriers.map({ $0.offset + $0.length }).max(),
           let index = exclusions.firstIndex(where: { $0.lowerBound == first }) {
            let growth = max(0, (last - first) - exclusions[index].count)
            exclusions[index] = first..<last
            // Only exclusions inside the file move (the others are reported malformed below),
            // which also keeps the addition from overflowing on hostile values.
            for i in exclusions.indices where exclusions[i].lowerBound > first && exclusions[i].upperBound <= file.count {
                exclusions[i] = (exclusions[i].lowerBound + growth)..<(exclusions[i].upperBound + growth)
            }
        }
        exclusions.sort { $0.lowerBound < $1.lowerBound }
        for (a, b) in zip(exclusions, exclusions.dropFirst()) where b.lowerBound < a.upperBound {
            add(C2PACode.dataHashMalformed, "exclusions \(describe(a)) and \(describe(b)) overlap")
            return outcome
        }
        if let last = exclusions.last, last.upperBound > file.count {
            add(C2PACode.dataHashMalformed, "exclusion \(describe(last)) runs past the end of the file (\(file.count) bytes)")
            return outcome
        }
        var covered: [Range<Int>] = []
        var position = 0
        for exclusion in exclusions {
            if exclusion.lowerBound > position { covered.append(position..<exclusion.lowerBound) }
            position = max(position, exclusion.upperBound)
        }
        if position < file.count { covered.append(position..<file.count) }
        let computed = alg.hash(file, ranges: covered)
        let excluded = exclusions.map(describe).joined(separator: ", ")
        if computed == hash {
            add(C2PACode.dataHashMatch, "\(alg.rawValue) of the file outside \(excluded.isEmpty ? "no exclusion" : excluded) matches")
            outcome.verified = true
        } else {
            add(C2PACode.dataHashMismatch, "\(alg.rawValue) of the file outside \(excluded.isEmpty ? "no exclusion" : excluded) differs from the signed hash: the bytes changed after signing")
        }
        let outside = exclusions.filter { !isCovered($0, by: carriers.map(\.range)) }
        if !outside.isEmpty {
            add(C2PACode.exclusionBeyondStore,
                "exclusion(s) \(outside.map(describe).joined(separator: ", ")) cover bytes that do not carry the store; an edit there would not be detected")
        }
        return outcome
    }

    /// Whether `range` lies inside the union of `units` (adjacent units merge).
    static func isCovered(_ range: Range<Int>, by units: [Range<Int>]) -> Bool {
        if range.isEmpty { return true }
        var position = range.lowerBound
        for unit in units.sorted(by: { $0.lowerBound < $1.lowerBound }) where unit.lowerBound <= position {
            position = max(position, unit.upperBound)
            if position >= range.upperBound { return true }
        }
        return false
    }

    private static func describe(_ range: Range<Int>) -> String { "{start: \(range.lowerBound), length: \(range.count)}" }
}
