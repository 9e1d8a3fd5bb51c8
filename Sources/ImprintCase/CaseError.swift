/// Errors a user can act on; each prints as one clear line.
public enum CaseError: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyExists(String)
    case notFound(String)
    case notACaseFile(String)
    case newerSchema(path: String, unknownMigrations: [String])
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
        case let .newerSchema(path, unknown):
            return "\(path) was written by a newer imprint (schema steps \(unknown.joined(separator: ", ")) are unknown to "
                + "\(ImprintBuild.toolVersion)); use that newer version to open it"
        case .notInitialised(let path):
            return "\(path) has no case information; it was not created by 'imprint case create'"
        case let .exhibitRootMismatch(exhibit, recorded, given):
            return "exhibit \(exhibit) was registered with root \(recorded); refusing to ingest \(given) under the same exhibit"
        case let .corruptRow(table, detail):
            return "the case database is damaged (\(table): \(detail))"
        }
    }
}
