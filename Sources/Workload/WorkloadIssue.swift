/// One problem found in a workload, naming the task and where it was defined.
public struct WorkloadIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case emptyWorkload = "empty-workload"
        case duplicateKey = "duplicate-key"
        case emptyKey = "empty-key"
        case unknownDependency = "unknown-dependency"
        case cycle = "cycle"
        case invalidDuration = "invalid-duration"
        case invalidSize = "invalid-size"
        case invalidValue = "invalid-value"
        case dataTaskWithDependencies = "data-task-with-dependencies"
        case unknownActor = "unknown-actor"
        case unknownWorker = "unknown-worker"
        case badSubmission = "bad-submission"
    }

    public var code: Code
    /// The task the problem is about, when there is one.
    public var key: String?
    /// Where in the input: "tasks[12]", "line 40", a JSON path.
    public var place: String
    public var message: String

    public init(_ code: Code, key: String?, place: String, _ message: String) {
        self.code = code
        self.key = key
        self.place = place
        self.message = message
    }

    public var description: String {
        var text = place.isEmpty ? "" : "\(place): "
        if let key { text += "task '\(key)': " }
        return text + message + " [\(code.rawValue)]"
    }
}

/// Every problem found while building a workload, in input order.
public struct WorkloadValidationError: Error, Sendable, CustomStringConvertible {
    /// The file or generator the workload came from.
    public var source: String
    public var issues: [WorkloadIssue]

    public init(source: String, issues: [WorkloadIssue]) {
        self.source = source
        self.issues = issues
    }

    public var description: String {
        let head = "\(source): \(issues.count) problem\(issues.count == 1 ? "" : "s") found"
        return ([head] + issues.map { "  \(source): \($0)" }).joined(separator: "\n")
    }
}
