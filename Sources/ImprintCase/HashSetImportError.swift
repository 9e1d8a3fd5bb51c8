/// Why a hash-set import stopped; nothing of the set is kept (the partial set is removed).
public enum HashSetImportError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(String)
    case malformed(path: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read the hash set file \(path)"
        case let .malformed(path, detail): return "\(path): \(detail); nothing was imported"
        }
    }
}
