/// A bounded walker over Python pickle opcodes that builds plain data and NEVER executes
/// anything (GENERATOR-METADATA.md §4). It understands only the data opcodes; references
/// to code (`GLOBAL`, `STACK_GLOBAL`, `REDUCE`, `BUILD`, `NEWOBJ(_EX)`, `INST`, `OBJ`)
/// become opaque placeholders that record the module and name they point to — such as
/// numpy's array reconstructor — and are never resolved. Any other opcode stops the walk
/// (the caller then falls back to scanning for key strings).
///
/// Opcode values are those of CPython's `pickletools` documentation (protocols 0–5).
enum PickleWalker {
    struct Limits {
        var maxOps = 1_000_000
        var maxDepth = 64
        var maxLineLength = 256
    }

    /// A value as the walker sees it. Containers are reference boxes so that `APPEND`,
    /// `SETITEM` and the memo share one object, as in Python, in O(1) per operation.
    indirect enum Value {
        case none
        case bool(Bool)
        case int(Int64)
        /// An integer too wide for 64 bits (its byte length).
        case bigInt(Int)
        case float(Double)
        case string(String)
        /// Raw bytes; only the length and the first bytes are kept.
        case bytes(count: Int, prefix: [UInt8])
        case list(Box)
        /// Items and the nesting depth, computed once when the tuple is built.
        case tuple([Value], depth: Int)
        case dict(Box)
        /// A reference to code, never resolved: `module.name`, or a call/build of one.
        case opaque(String)
        case mark

        var depth: Int {
            switch self {
            case .list(let box), .dict(let box): return box.depth
            case .tuple(_, let depth): return depth
            default: return 0
            }
        }

        var stringValue: String? {
            if case .string(let s) = self { return s }
            return nil
        }
    }

    final class Box {
        var items: [Value] = []
        /// Dict keys parallel to `items` (dicts only).
        var keys: [Value] = []
        var depth = 1
        func absorb(_ value: Value) { depth = max(depth, value.depth + 1) }
    }

    struct Result {
        var value: Value
        var protocolVersion: Int?
        var opcodes: Int
        /// Every code reference met, in order (deduplicated).
        var globals: [String]
        /// Boxes to empty afterwards: a hostile pickle can build a cycle through the memo.
        var boxes: [Box]
    }

    enum WalkError: Error, Equatable {
        case truncated(at: Int)
        case unsupportedOpcode(UInt8, at: Int)
        case stackUnderflow(at: Int)
        case badMemo(at: Int)
        case tooManyOps
        case tooDeep
        case noStop
        case malformed(String, at: Int)
    }

    static func walk(_ bytes: [UInt8], limits: Limits = Limits()) throws(WalkError) -> Result {
        var pos = 0
        var stack: [Value] = []
        var memo: [Int: Value] = [:]
        var globals: [String] = []
        var boxes: [Box] = []
        var ops = 0
        var protocolVersion: Int?

        func need(_ n: Int) throws(WalkError) {
            guard n >= 0, pos + n <= bytes.count else { throw .truncated(at: pos) }
        }
        func u8() throws(WalkError) -> Int { try need(1); defer { pos += 1 }; return Int(bytes[pos]) }
        func uint(_ n: Int) throws(WalkError) -> UInt64 {
            try need(n)
            var value: UInt64 = 0
            for i in (0..<n).reversed() { value = value << 8 | UInt64(bytes[pos + i]) }
            pos += n
            return value
        }
        func length(_ n: Int) throws(WalkError) -> Int {
            let raw = try uint(n)
            guard raw <= UInt64(bytes.count - pos) else { throw .truncated(at: pos) }
            return Int(raw)
        }
        func take(_ n: Int) throws(WalkError) -> ArraySlice<UInt8> {
            try need(n)
            defer { pos += n }
            return bytes[pos..<(pos + n)]
        }
        func line() throws(WalkError) -> String {
            let start = pos
            while pos < bytes.count, bytes[pos] != 0x0A {
                pos += 1
                guard pos - start <= limits.maxLineLength else { throw .malformed("line too long", at: start) }
            }
            guard pos < bytes.count else { throw .truncated(at: start) }
            defer { pos += 1 }
            return TextDecodingLite.utf8OrLatin1(bytes[start..<pos])
        }
        func pop() throws(WalkError) -> Value {
            guard let value = stack.popLast() else { throw .stackUnderflow(at: pos) }
            return value
        }
        func popToMark() throws(WalkError) -> [Value] {
            guard let markIndex = stack.lastIndex(where: { if case .mark = $0 { return true }; return false }) else {
                throw .stackUnderflow(at: pos)
            }
            let items = Array(stack[(markIndex + 1)...])
            stack.removeSubrange(markIndex...)
            return items
        }
        func push(_ value: Value) throws(WalkError) {
            guard value.depth <= limits.maxDepth else { throw .tooDeep }
            stack.append(value)
        }
        func tuple(_ items: [Value]) -> Value { .tuple(items, depth: 1 + (items.map(\.depth).max() ?? 0)) }
        func newBox() -> Box { let box = Box(); boxes.append(box); return box }
        func global(_ name: String) -> Value {
            if !globals.contains(name) { globals.append(name) }
            return .opaque(name)
        }
        func describe(_ value: Value) -> String {
            if case .opaque(let name) = value { return name }
            return "an object"
        }
        func string(_ slice: ArraySlice<UInt8>) -> Value { .string(TextDecodingLite.utf8OrLatin1(slice)) }
        func rawBytes(_ slice: ArraySlice<UInt8>) -> Value { .bytes(count: slice.count, prefix: Array(slice.prefix(16))) }
        func appendItems(_ items: [Value], to target: Value) throws(WalkError) {
            guard case .list(let box) = target else {
                // Appending to an opaque object (e.g. a set subclass) is data we do not model.
                if case .opaque = target { return }
                throw .malformed("APPEND to a non-list", at: pos)
            }
            for item in items { box.items.append(item); box.absorb(item) }
            guard box.depth <= limits.maxDepth else { throw .tooDeep }
        }
        func setItems(_ pairs: [Value], on target: Value) throws(WalkError) {
            guard pairs.count % 2 == 0 else { throw .malformed("odd SETITEMS", at: pos) }
            guard case .dict(let box) = target else {
                if case .opaque = target { return }
                throw .malformed("SETITEM on a non-dict", at: pos)
            }
            var index = 0
            while index < pairs.count {
                box.keys.append(pairs[index]); box.items.append(pairs[index + 1])
                box.absorb(pairs[index]); box.absorb(pairs[index + 1])
                index += 2
            }
            guard box.depth <= limits.maxDepth else { throw .tooDeep }
        }

        while true {
            ops += 1
            guard ops <= limits.maxOps else { throw .tooManyOps }
            guard pos < bytes.count else { throw .noStop }
            let at = pos
            let op = bytes[pos]
            pos += 1
            switch op {
            case 0x80: protocolVersion = try u8()                                   // PROTO
            case 0x95: _ = try uint(8)                                              // FRAME (length only)
            case 0x2E:                                                              // STOP
                let value = try pop()
                return Result(value: value, protocolVersion: protocolVersion, opcodes: ops, globals: globals, boxes: boxes)
            case 0x7D: try push(.dict(newBox()))                                    // EMPTY_DICT
            case 0x5D: try push(.list(newBox()))                                    // EMPTY_LIST
            case 0x29: try push(tuple([]))                                          // EMPTY_TUPLE
            case 0x28: stack.append(.mark)                                          // MARK
            case 0x73:                                                              // SETITEM
                let value = try pop(), key = try pop()
                guard let target = stack.last else { throw .stackUnderflow(at: at) }
                try setItems([key, value], on: target)
            case 0x75:                                                              // SETITEMS
                let pairs = try popToMark()
                guard let target = stack.last else { throw .stackUnderflow(at: at) }
                try setItems(pairs, on: target)
            case 0x61:                                                              // APPEND
                let item = try pop()
                guard let target = stack.last else { throw .stackUnderflow(at: at) }
                try appendItems([item], to: target)
            case 0x65:                                                              // APPENDS
                let items = try popToMark()
                guard let target = stack.last else { throw .stackUnderflow(at: at) }
                try appendItems(items, to: target)
            case 0x74: try push(tuple(try popToMark()))                             // TUPLE
            case 0x85: try push(tuple([try pop()]))                                 // TUPLE1
            case 0x86: let b = try pop(), a = try pop(); try push(tuple([a, b]))    // TUPLE2
            case 0x87: let c = try pop(), b = try pop(), a = try pop(); try push(tuple([a, b, c]))  // TUPLE3
            case 0x58: try push(string(try take(try length(4))))                    // BINUNICODE
            case 0x8C: try push(string(try take(try length(1))))                    // SHORT_BINUNICODE
            case 0x8D: try push(string(try take(try length(8))))                    // BINUNICODE8
            case 0x54: try push(rawBytes(try take(try length(4))))                  // BINSTRING
            case 0x55: try push(rawBytes(try take(try length(1))))                  // SHORT_BINSTRING
            case 0x42: try push(rawBytes(try take(try length(4))))                  // BINBYTES
            case 0x43: try push(rawBytes(try take(try length(1))))                  // SHORT_BINBYTES
            case 0x8E, 0x96: try push(rawBytes(try take(try length(8))))            // BINBYTES8, BYTEARRAY8
            case 0x4A: try push(.int(Int64(Int32(truncatingIfNeeded: try uint(4))))) // BININT
            case 0x4B: try push(.int(Int64(try uint(1))))                           // BININT1
            case 0x4D: try push(.int(Int64(try uint(2))))                           // BININT2
            case 0x8A, 0x8B:                                                        // LONG1, LONG4
                let n = try length(op == 0x8A ? 1 : 4)
                let digits = try take(n)
                if n <= 8 {
                    var value: UInt64 = 0
                    for (i, byte) in digits.enumerated() { value |= UInt64(byte) << (8 * UInt64(i)) }
                    if n > 0, n < 8, digits.last.map({ $0 & 0x80 != 0 }) == true { value |= ~0 << (8 * UInt64(n)) }
                    try push(.int(Int64(bitPattern: value)))
                } else {
                    try push(.bigInt(n))
                }
            case 0x47:                                                              // BINFLOAT (big-endian)
                try need(8)
                var raw: UInt64 = 0
                for i in 0..<8 { raw = raw << 8 | UInt64(bytes[pos + i]) }
                pos += 8
                try push(.float(Double(bitPattern: raw)))
            case 0x4E: try push(.none)                                              // NONE
            case 0x88: try push(.bool(true))                                        // NEWTRUE
            case 0x89: try push(.bool(false))                                       // NEWFALSE
            case 0x71, 0x72:                                                        // BINPUT, LONG_BINPUT
                let index = Int(try uint(op == 0x71 ? 1 : 4))
                guard let top = stack.last else { throw .stackUnderflow(at: at) }
                guard memo.count < limits.maxOps else { throw .tooManyOps }
                memo[index] = top
            case 0x94:                                                              // MEMOIZE
                guard let top = stack.last else { throw .stackUnderflow(at: at) }
                memo[memo.count] = top
            case 0x68, 0x6A:                                                        // BINGET, LONG_BINGET
                let index = Int(try uint(op == 0x68 ? 1 : 4))
                guard let value = memo[index] else { throw .badMemo(at: at) }
                try push(value)
            case 0x63:                                                              // GLOBAL module\nname\n
                let module = try line(), name = try line()
                try push(global(module + "." + name))
            case 0x93:                                                              // STACK_GLOBAL
                let name = try pop(), module = try pop()
                guard let n = name.stringValue, let m = module.stringValue else { throw .malformed("STACK_GLOBAL without strings", at: at) }
                try push(global(m + "." + n))
            case 0x52:                                                              // REDUCE callable(args)
                _ = try pop()
                let callable = try pop()
                try push(.opaque("call of " + describe(callable)))
            case 0x62:                                                              // BUILD obj.__setstate__(state)
                _ = try pop()
                guard stack.last != nil else { throw .stackUnderflow(at: at) }
            case 0x81:                                                              // NEWOBJ cls.__new__(cls, *args)
                _ = try pop()
                let cls = try pop()
                try push(.opaque("instance of " + describe(cls)))
            case 0x92:                                                              // NEWOBJ_EX
                _ = try pop(); _ = try pop()
                let cls = try pop()
                try push(.opaque("instance of " + describe(cls)))
            case 0x69:                                                              // INST module\nname\n + args to MARK
                let module = try line(), name = try line()
                _ = try popToMark()
                try push(.opaque("instance of " + describe(global(module + "." + name))))
            case 0x6F:                                                              // OBJ: MARK cls args…
                let items = try popToMark()
                guard let cls = items.first else { throw .stackUnderflow(at: at) }
                try push(.opaque("instance of " + describe(cls)))
            default:
                throw .unsupportedOpcode(op, at: at)
            }
        }
    }

    /// Breaks any cycle a hostile memo built, so the boxes can be freed.
    static func release(_ result: Result) {
        for box in result.boxes { box.items = []; box.keys = [] }
    }
}
