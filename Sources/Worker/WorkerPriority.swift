import Messages

/// A task's priority on the worker: the scheduler's priority followed by the
/// worker's own counter, Dask's `ts.priority = event.priority + (self.generation,)`.
///
/// The counter starts at 0 and decreases with every `compute-task`, so among equal
/// scheduler priorities the most recently received task runs first (last in,
/// first out; Dask's `test_last_in_first_out`). Smaller is more urgent.
public struct WorkerPriority: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var scheduler: Priority
    /// Dask's worker `generation`: 0, -1, -2, ... in order of arrival.
    public var generation: Int64

    @inlinable
    public init(scheduler: Priority, generation: Int64) {
        self.scheduler = scheduler
        self.generation = generation
    }

    /// Dask's `(1,)`: the priority of keys fetched for `acquire-replicas` (active memory
    /// manager, `replicate`). As a tuple prefix it sorts after every task with user priority
    /// >= 0 and before every task with user priority < 0 (whose first element is >= 1).
    public static let replica = WorkerPriority(
        scheduler: Priority(negatedUserPriority: 1, generation: Int32.min, order: Int32.min),
        generation: Int64.min)

    @inlinable
    public static func < (a: WorkerPriority, b: WorkerPriority) -> Bool {
        if a.scheduler != b.scheduler { return a.scheduler < b.scheduler }
        return a.generation < b.generation
    }

    public var description: String {
        self == .replica ? "(1,)" : "(\(scheduler.negatedUserPriority), \(scheduler.generation), \(scheduler.order), \(generation))"
    }
}
