@_exported import Workload

/// A dense handle for a worker, in the order workers joined the cluster.
/// Names and addresses live in the driver; the state machines use ids.
public struct WorkerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    @inlinable public init(_ index: Int) { rawValue = Int32(truncatingIfNeeded: index) }
    @inlinable public var index: Int { Int(rawValue) }
    @inlinable public static func < (a: WorkerID, b: WorkerID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "worker-\(rawValue)" }
}

/// A dense handle for a client (an external client or a task acting as one).
public struct ClientID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    @inlinable public init(_ index: Int) { rawValue = Int32(truncatingIfNeeded: index) }
    @inlinable public var index: Int { Int(rawValue) }
    @inlinable public static func < (a: ClientID, b: ClientID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "client-\(rawValue)" }
}

/// Dask's `stimulus_id`: which event caused a transition. Dask uses strings like
/// `task-finished-1700000000.123`; we keep the op name and a sequence number
/// and print `task-finished-42`, which is as readable and deterministic.
public struct StimulusID: Hashable, Sendable, CustomStringConvertible {
    public var name: StaticString
    public var sequence: UInt64
    @inlinable public init(_ name: StaticString, _ sequence: UInt64) {
        self.name = name
        self.sequence = sequence
    }
    public static func == (a: StimulusID, b: StimulusID) -> Bool {
        a.sequence == b.sequence && a.name.description == b.name.description
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(sequence)
        hasher.combine(name.description)
    }
    public var description: String { "\(name)-\(sequence)" }
}

/// Dask's scheduler-side task priority `(-user_priority, generation, order)`;
/// smaller is more urgent. The worker appends its own decreasing counter.
public struct Priority: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// `-user_priority`.
    public var negatedUserPriority: Int32
    /// The update-graph generation the task arrived in.
    public var generation: Int32
    /// The static order index (dask.order or the trace's own).
    public var order: Int32

    @inlinable
    public init(negatedUserPriority: Int32 = 0, generation: Int32 = 0, order: Int32 = 0) {
        self.negatedUserPriority = negatedUserPriority
        self.generation = generation
        self.order = order
    }

    @inlinable
    public static func < (a: Priority, b: Priority) -> Bool {
        if a.negatedUserPriority != b.negatedUserPriority { return a.negatedUserPriority < b.negatedUserPriority }
        if a.generation != b.generation { return a.generation < b.generation }
        return a.order < b.order
    }

    public var description: String { "(\(negatedUserPriority), \(generation), \(order))" }
}

/// Worker status as Dask names it (`distributed.core.Status`).
public enum WorkerStatus: String, Sendable, Hashable, CaseIterable {
    case running
    case paused
    case closingGracefully = "closing_gracefully"
    case closing
    case closed
}
