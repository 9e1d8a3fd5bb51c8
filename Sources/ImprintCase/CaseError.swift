/// Errors a user can act on; each prints as one clear line.
public enum CaseError: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyExists(String)
    case notFound(String)
    case notACaseFile(String)
    case newerSchema(path: String, detail: String)
    case needsUpgrade(String)
    case notInitialised(String)
    case exhibitRootMismatch(exhibit: String, recorded: String, given: String)
    case corruptRow(table: String, detail: String)

    public var description: String {
        switch self {
        case .alreadyExists(let path):
            return "\(path) already exists; imprint never overwrites a case file"
        case .notFound(let path):
            return "no case file at \(path) (create one with 'imprint case create')"
        case .notACaseFile(let path):
            return "\(path) is not an imprint case file"
        case let .newerSchema(path, detail):
            return "\(path) was written by a newer imprint (\(detail), unknown to \(ImprintBuild.toolVersion)); use that newer version to open it"
        case .needsUpgrade(let path):
            return "\(path) uses an older schema; open it once with a command that writes (e.g. 'imprint verify') to upgrade it"
        case .notInitialised(let path):
            return "\(path) has no case information; it was not created by 'imprint case create'"
        case let .exhibitRootMismatch(exhibit, recorded, given):
            return "exhibit \(exhibit) was registered with root \(recorded); refusing to ingest \(given) under the same exhibit"
        case let .corruptRow(table, detail):
            return "the case database is damaged (\(table): \(detail))"
        }
    }
}
