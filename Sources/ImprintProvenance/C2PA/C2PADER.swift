import Foundation
import SwiftASN1

/// Small conveniences over swift-asn1's node tree, for the structures swift-certificates
/// keeps internal (CMS SignedData, TSTInfo, OCSP) or cannot parse (RSASSA-PSS keys).
/// swift-asn1 checks every length against its input; these helpers only navigate.
struct DERError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

enum DERTree {
    /// DER first; BER (indefinite lengths) as a fallback, which some TSAs emit for CMS.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(DERError) -> ASN1Node {
        do { return try DER.parse(bytes) } catch {}
        do { return try BER.parse(bytes) } catch { throw DERError(message: "not DER/BER: \(error)") }
    }

    static func parse(_ bytes: [UInt8]) throws(DERError) -> ASN1Node { try parse(bytes[...]) }
}

extension ASN1Node {
    var children: [ASN1Node] {
        if case .constructed(let nodes) = content { return Array(nodes) }
        return []
    }

    var primitiveBytes: ArraySlice<UInt8>? {
        if case .primitive(let bytes) = content { return bytes }
        return nil
    }

    func isContext(_ number: UInt) -> Bool {
        identifier.tagClass == .contextSpecific && identifier.tagNumber == number
    }

    var isSequence: Bool { identifier == .sequence }

    /// The dotted OID of an OBJECT IDENTIFIER node.
    var oid: String? {
        guard identifier == .objectIdentifier, let oid = try? ASN1ObjectIdentifier(derEncoded: self) else { return nil }
        return oid.description
    }

    /// The unsigned big-endian magnitude of an INTEGER (leading zero stripped).
    var integerBytes: [UInt8]? {
        guard identifier == .integer || identifier == .enumerated, var bytes = primitiveBytes, !bytes.isEmpty else { return nil }
        while bytes.count > 1, bytes.first == 0 { bytes = bytes.dropFirst() }
        return Array(bytes)
    }

    var smallInteger: Int? {
        guard let bytes = primitiveBytes, (1...8).contains(bytes.count),
              identifier == .integer || identifier == .enumerated else { return nil }
        var value = Int64(Int8(bitPattern: bytes[bytes.startIndex]))
        for byte in bytes.dropFirst() { value = value << 8 | Int64(byte) }
        return Int(exactly: value)
    }

    var octetString: ArraySlice<UInt8>? { identifier == .octetString ? primitiveBytes : nil }

    /// The contents of a BIT STRING (whole octets; C2PA keys and signatures have no padding bits).
    var bitStringBytes: ArraySlice<UInt8>? {
        guard identifier == .bitString, let bytes = primitiveBytes, let unused = bytes.first, unused == 0 else { return nil }
        return bytes.dropFirst()
    }

    /// A UTCTime or GeneralizedTime as a date (UTC).
    var date: Date? {
        if identifier == .utcTime, let t = try? UTCTime(derEncoded: self) {
            return ASN1Date.make(t.year, t.month, t.day, t.hours, t.minutes, Double(t.seconds))
        }
        if identifier == .generalizedTime, let t = try? GeneralizedTime(derEncoded: self) {
            return ASN1Date.make(t.year, t.month, t.day, t.hours, t.minutes, Double(t.seconds) + t.fractionalSeconds)
        }
        return nil
    }
}

enum ASN1Date {
    /// Civil date to seconds since 1970 (proleptic Gregorian, UTC), without Calendar.
    static func make(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Double) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: Double(days) * 86_400 + Double(hour * 3600 + minute * 60) + second)
    }
}

/// An AlgorithmIdentifier: its OID and the parameters node, if any.
struct AlgorithmID: Sendable, Equatable {
    var oid: String
    var parameters: ASN1Node?

    init?(_ node: ASN1Node) {
        let parts = node.children
        guard node.isSequence, let first = parts.first, let oid = first.oid else { return nil }
        self.oid = oid
        self.parameters = parts.count > 1 ? parts[1] : nil
    }
}
