/// A dense integer handle for a task inside one `Workload`.
///
/// Keys are for input and output; everything inside schedsim refers to tasks by
/// `TaskID`, an index into `Workload.tasks`. Dense ids let the scheduler, worker
/// and simulator keep per-task state in plain arrays, whose iteration order is
/// fixed (unlike `Set`/`Dictionary`, whose order changes per process).
public struct TaskID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    @inlinable
    public init(_ index: Int) {
        precondition(index >= 0 && index <= Int(Int32.max), "task index out of range")
        self.rawValue = Int32(truncatingIfNeeded: index)
    }

    @inlinable
    public var index: Int { Int(rawValue) }

    @inlinable
    public static func < (lhs: TaskID, rhs: TaskID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "#\(rawValue)" }
}
