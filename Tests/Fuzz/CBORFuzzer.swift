// libFuzzer target for imprint's CBOR decoder (built by scripts/fuzz.sh with
// -sanitize=fuzzer,address). Any input must give an item or a CBORError: a trap, an
// out-of-bounds access or a leak is a bug. Every item range must lie inside the input,
// and re-decoding an item's range must give the same item.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCBOR(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let item = try? CBORDecoder.decode(bytes) else { return 0 }
    precondition(item.range.lowerBound >= 0 && item.range.upperBound <= bytes.count, "item range outside the input")
    if let again = try? CBORDecoder.decode(bytes, range: item.range) {
        precondition(again == item, "re-decoding an item's own bytes changed it")
    } else {
        preconditionFailure("an item's own bytes no longer decode")
    }
    return 0
}
