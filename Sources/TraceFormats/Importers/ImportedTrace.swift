import Workload

/// What an importer returns: the workload, what it could not map, and for
/// captures of real runs the run itself to compare simulations against.
public struct ImportedTrace: Sendable {
    public var workload: Workload
    public var warnings: [ImportWarning]
    /// The real run recorded in the trace (Dask captures), if any.
    public var reference: ReferenceRun?

    public init(workload: Workload, warnings: [ImportWarning], reference: ReferenceRun? = nil) {
        self.workload = workload
        self.warnings = warnings
        self.reference = reference
    }
}

extension ImportedTrace {
    /// The registry's form: warnings as `TraceWarning`s, with their counts in the message.
    public func loaded(format: String, path: String) -> LoadedTrace {
        LoadedTrace(
            workload: workload,
            warnings: warnings.map { warning in
                let times = warning.count > 1 ? " (\(warning.count) times; first shown)" : ""
                return TraceWarning(file: path, place: warning.place, message: "\(warning.message) [\(warning.code)]\(times)")
            },
            format: format, reference: reference)
    }
}
