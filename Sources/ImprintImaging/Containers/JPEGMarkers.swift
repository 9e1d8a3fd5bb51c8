/// JPEG marker codes (ITU T.81 Table B.1), the byte that follows 0xFF.
enum JPEGMarker {
    static let soi: UInt8 = 0xD8
    static let eoi: UInt8 = 0xD9
    static let sos: UInt8 = 0xDA
    static let dqt: UInt8 = 0xDB
    static let dht: UInt8 = 0xC4
    static let com: UInt8 = 0xFE
    static let tem: UInt8 = 0x01
    static let app0: UInt8 = 0xE0

    static func isRST(_ code: UInt8) -> Bool { (0xD0...0xD7).contains(code) }

    /// Markers that stand alone, without a length field (T.81 B.1.1.3).
    static func isStandalone(_ code: UInt8) -> Bool {
        code == soi || code == eoi || code == tem || isRST(code)
    }

    /// SOF0–SOF15 minus DHT (C4), JPG (C8) and DAC (CC), which share the range.
    static func isSOF(_ code: UInt8) -> Bool {
        (0xC0...0xCF).contains(code) && code != 0xC4 && code != 0xC8 && code != 0xCC
    }

    static func isAPP(_ code: UInt8) -> Bool { (0xE0...0xEF).contains(code) }

    /// The coding process each SOFn declares (T.81 Table B.1). The wording keeps
    /// "progressive" in every progressive variant, which `JPEGFrame.isProgressive` relies on.
    static func process(ofSOF code: UInt8) -> String {
        switch code {
        case 0xC0: return "baseline"
        case 0xC1: return "extended sequential"
        case 0xC2: return "progressive"
        case 0xC3: return "lossless"
        case 0xC5: return "differential sequential (hierarchical)"
        case 0xC6: return "differential progressive (hierarchical)"
        case 0xC7: return "differential lossless (hierarchical)"
        case 0xC9: return "extended sequential, arithmetic"
        case 0xCA: return "progressive, arithmetic"
        case 0xCB: return "lossless, arithmetic"
        case 0xCD: return "differential sequential, arithmetic (hierarchical)"
        case 0xCE: return "differential progressive, arithmetic (hierarchical)"
        case 0xCF: return "differential lossless, arithmetic (hierarchical)"
        default: return "unknown"
        }
    }

    static func name(_ code: UInt8) -> String {
        switch code {
        case soi: return "SOI"
        case eoi: return "EOI"
        case sos: return "SOS"
        case dqt: return "DQT"
        case dht: return "DHT"
        case com: return "COM"
        case tem: return "TEM"
        case 0xC8: return "JPG"
        case 0xCC: return "DAC"
        case 0xDC: return "DNL"
        case 0xDD: return "DRI"
        case 0xDE: return "DHP"
        case 0xDF: return "EXP"
        case _ where isSOF(code): return "SOF\(code - 0xC0)"
        case _ where isRST(code): return "RST\(code - 0xD0)"
        case _ where isAPP(code): return "APP\(code - 0xE0)"
        case 0xF0...0xFD: return "JPG\(code - 0xF0)"
        default: return "RES(0x\(TextDecoding.hex([code])))"
        }
    }
}
