import Workload

/// One trace format schedsim can read. Adding a format is one small type
/// conforming to this protocol plus one line in `TraceLoader.importers`.
public protocol TraceImporter: Sendable {
    /// The name users pass to `--format` (`schedsim-trace`, `wfcommons`, ...).
    var name: String { get }
    /// One line for `--help` and error messages.
    var summary: String { get }
    /// Whether the content looks like this format. `prefix` is the first few
    /// KiB of the file, already decompressed; `path` is there for formats that
    /// can only be told apart by extension (use it as a last resort).
    func detect(prefix: ArraySlice<UInt8>, path: String) -> Bool
    /// Reads a whole file (already decompressed). Errors name `path`.
    /// `consuming`, so a reader can free the file's bytes (100+ MB for a
    /// million tasks) before it builds the workload; implementations may drop it.
    func read(bytes: consuming [UInt8], path: String) throws -> LoadedTrace
}

/// A workload read from a file, with what the reader had to say about it.
public struct LoadedTrace: Sendable {
    public var workload: Workload
    /// Non-fatal remarks (ignored unknown fields, lossy mappings), in file order.
    public var warnings: [TraceWarning]
    /// The `TraceImporter.name` that read it.
    public var format: String
    /// The real run the trace recorded (Dask captures), for `validate`.
    public var reference: ReferenceRun?
    /// What splitting the partial reads changed (`withPartialReads(.split)`),
    /// `nil` while the workload is the graph as the trace wrote it.
    public var partialReads: PartialReadSplit?

    public init(workload: Workload, warnings: [TraceWarning] = [], format: String, reference: ReferenceRun? = nil) {
        self.workload = workload
        self.warnings = warnings
        self.format = format
        self.reference = reference
    }

    /// The trace as every driver runs it. `.split` replaces the workload by
    /// `Workload.splittingPartialReads()` (Dask's multi-output pattern, so the
    /// bytes that move are the bytes consumers read) and records what changed;
    /// `.whole` keeps the graph as written. The CLI applies this once, when a
    /// command loads its trace (`TraceInput`), so the simulator, the executor,
    /// the planners, `info` and `compare` all see the same graph.
    public func withPartialReads(_ mode: PartialReads) throws(WorkloadValidationError) -> LoadedTrace {
        guard mode == .split, partialReads == nil else { return self }
        var copy = self
        let (workload, split) = try workload.splittingPartialReads()
        copy.workload = workload
        copy.partialReads = split
        return copy
    }
}

/// A non-fatal remark about a trace: `trace.json:3:5: unknown task field "colour" ignored (in 2 tasks)`.
public struct TraceWarning: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// `line:column`, a JSON path, or both; empty for the file as a whole.
    public var place: String
    public var message: String

    public init(file: String, place: String, message: String) {
        self.file = file
        self.place = place
        self.message = message
    }

    public var description: String {
        place.isEmpty ? "\(file): warning: \(message)" : "\(file):\(place): warning: \(message)"
    }
}
