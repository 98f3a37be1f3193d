import Messages

/// Read-only views for drivers (`workers.csv`: busy threads, queued tasks, memory)
/// and tests.
extension WorkerState {
    /// The worker-side state of a task, or nil if the worker does not know it (forgotten).
    public func state(of key: TaskID) -> WorkerTaskStateName? {
        slotOf[key].map { records[Int($0)].state }
    }

    /// Dask's `executing_count`: tasks holding a thread (cancelled ones included,
    /// long-running ones excluded). The "busy threads" column.
    public var executingCount: Int { executingTasks }
    /// Tasks that seceded (`long-running`), which hold no thread slot.
    public var longRunningCount: Int { longRunningTasks }
    /// Tasks queued to run: `ready` plus `constrained`.
    public var readyCount: Int { count(.ready) + count(.constrained) }
    public var constrainedCount: Int { count(.constrained) }
    /// Tasks waiting for dependencies.
    public var waitingCount: Int { count(.waiting) }
    /// Dask's `fetch_count`.
    public var fetchCount: Int { count(.fetch) }
    /// Dask's `in_flight_tasks_count`.
    public var inFlightCount: Int { inFlightTaskCount }
    public var missingCount: Int { count(.missing) }
    /// Dask's `transfer_incoming_count`: peers a transfer is in progress from.
    public var incomingTransferCount: Int { inFlightPeerCount }
    /// Dask's `transfer_incoming_bytes`.
    public var incomingTransferBytes: Int64 { incomingBytes }
    /// Dask's `transfer_outgoing_count`: `get_data` requests being served.
    public var outgoingTransferCount: Int { outgoingCount }
    /// Tasks the worker knows about (any state but forgotten).
    public var knownTaskCount: Int { slotOf.count }

    /// Managed bytes in memory (not spilled).
    public var memoryBytes: Int64 { managedBytesTotal - spilledBytesTotal }
    /// Managed bytes spilled to disk.
    public var spilledBytes: Int64 { spilledBytesTotal }
    /// Dask's `nbytes`: all managed bytes, in memory or on disk.
    public var managedBytes: Int64 { managedBytesTotal }

    /// Free amount of each resource the worker offers, by name (sorted).
    public var availableResourceAmounts: [(name: String, amount: Double)] {
        zip(resourceNames, availableResources).map { ($0, $1) }
    }

    /// How many known tasks are in `state`.
    public func count(_ state: WorkerTaskStateName) -> Int { stateCounts[state.counterIndex] }

    /// Keys in `state`, sorted by task id. Scans every known task: for tests and
    /// infrequent driver use (e.g. a heartbeat's executing keys), not per event.
    public func keys(inState state: WorkerTaskStateName) -> [TaskID] {
        records.filter { $0.state == state && slotOf[$0.id] != nil }.map(\.id).sorted()
    }

    /// Keys spilled to disk, sorted.
    public var spilledKeys: [TaskID] {
        records.filter { $0.state == .memory && $0.spilled && slotOf[$0.id] != nil }.map(\.id).sorted()
    }

    /// The peers a task's replicas are known on (Dask's `who_has`), sorted.
    public func whoHas(_ key: TaskID) -> [WorkerID] {
        slotOf[key].map { records[Int($0)].whoHas } ?? []
    }

    /// The keys wanted from a peer (Dask's `data_needed[peer]`), most urgent first.
    public func dataNeeded(from peer: WorkerID) -> [TaskID] {
        guard let p = peerSlotOf[peer] else { return [] }
        return peers[Int(p)].dataNeeded.entries
            .filter { records[Int($0.slot)].fetchStamp == $0.stamp }
            .sorted { $0.precedes($1) }
            .map { records[Int($0.slot)].id }
    }

    /// Keys known to be on a peer (Dask's `has_what[peer]`), sorted.
    public func hasWhat(_ peer: WorkerID) -> [TaskID] {
        heldBy(peer).map { records[Int($0)].id }
    }

    /// The worker-side priority of a known task.
    public func priority(of key: TaskID) -> WorkerPriority? {
        slotOf[key].map { records[Int($0)].priority }
    }

    /// For `cancelled` / `resumed` tasks: what is really going on (Dask's `previous`, `next`).
    public func previousAndNext(of key: TaskID) -> (previous: WorkerTaskStateName?, next: WorkerTaskStateName?) {
        guard let slot = slotOf[key] else { return (nil, nil) }
        return (records[Int(slot)].previous, records[Int(slot)].next)
    }
}
