import Crypto

/// SHA-1, only to match OCSP CertIDs (RFC 6960 responders still default to it for the
/// name and key hashes). Never used for anything a signature relies on.
enum InsecureSHA1 {
    static func hash(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.SHA1.hash(data: bytes)) }
}
