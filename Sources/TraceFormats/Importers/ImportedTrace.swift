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
