import Workload

/// A trace file that could not be read: names the file, the place in it
/// (line, line:column, JSON path or task key) and what is wrong.
public struct TraceImportError: Error, Sendable, CustomStringConvertible {
    /// The file (or generator) the input came from.
    public var file: String
    /// Where in the file: "line 12", "line 3, column 7", "workflow.tasks[4].parents[0]".
    public var place: String
    public var message: String
    /// When the file parsed but the graph is invalid (cycles, dangling references,
    /// duplicate keys, ...), every problem the workload builder found.
    public var issues: [WorkloadIssue]

    public init(file: String, place: String, _ message: String, issues: [WorkloadIssue] = []) {
        self.file = file
        self.place = place
        self.message = message
        self.issues = issues
    }

    /// Wraps the builder's validation error so every importer throws one type.
    public init(_ error: WorkloadValidationError) {
        self.init(file: error.source, place: "", "the task graph is invalid", issues: error.issues)
    }

    public var description: String {
        if !issues.isEmpty {
            return WorkloadValidationError(source: file, issues: issues).description
        }
        return place.isEmpty ? "\(file): \(message)" : "\(file): \(place): \(message)"
    }
}
