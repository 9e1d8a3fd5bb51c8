/// The version every custody event, analysis run and report records.
public enum ImprintBuild {
    public static let version = "0.1.0"
    /// What goes into `tool_version` columns: the program name and its version.
    public static var toolVersion: String { "imprint \(version)" }
}
