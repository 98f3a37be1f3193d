import HeapModule
import Workload

/// Pair-selection list scheduling, shared by ETF and DLS: at every step the
/// planner looks at *all* (ready task, worker) pairs and places the best pair,
/// never inserting into idle gaps (a worker's slots are used in time order).
///
/// With `EST(t, w) = max(dataReady(t, w), earliestFree(w))`:
/// - ETF (Hwang et al. 1989) places the pair with the smallest EST; ties go to the
///   larger static b-level, then the smaller TaskID, then the smaller worker index.
/// - DLS (Sih and Lee 1993) places the pair with the largest dynamic level
///   `DL(t, w) = SL(t) − EST(t, w) + Δ(t, w)`, where `SL` is the static b-level
///   and `Δ(t, w) = w̄(t) − duration of t on w` rewards faster workers (Sih and
///   Lee use the median execution time; we use the mean `w̄`, as every other
///   level here does). Ties go to the smaller TaskID, then the smaller worker.
///
/// Scanning every pair each step is O(V² · W). Instead, each worker keeps its
/// ready tasks in two heaps, because a worker's free time only grows:
/// *available* tasks (inputs ready by the time the worker is free, so
/// EST = earliestFree(w) and the best one is the one with the best
/// worker-independent key) and *future* tasks (EST = their data-ready time, a
/// constant). A third heap by data-ready time moves tasks from future to
/// available as the worker's free time passes them. Every (task, worker) pair
/// enters each heap at most once and stale entries (task already placed) are
/// dropped when they reach the top, so the whole plan costs O(V · W · log V)
/// heap work plus O(E · W) for data-ready times.
struct PairPlanner {
    enum Rule { case etf, dls }

    struct Entry: Comparable {
        var key1: Int64
        var key2: Int64
        var task: Int32
        /// The pair's data-ready time (payload, not part of the order).
        var ready: Int64

        static func < (a: Entry, b: Entry) -> Bool {
            if a.key1 != b.key1 { return a.key1 < b.key1 }
            if a.key2 != b.key2 { return a.key2 < b.key2 }
            return a.task < b.task
        }
        static func == (a: Entry, b: Entry) -> Bool {
            a.key1 == b.key1 && a.key2 == b.key2 && a.task == b.task
        }
    }

    struct WorkerQueues {
        var available = Heap<Entry>()
        var future = Heap<Entry>()
        var byReady = Heap<Entry>()
    }

    var state: PlanState
    let rule: Rule
    /// Static b-level per task (SL).
    let staticLevel: [Int64]
    /// Mean execution time per task (w̄), for DLS's Δ.
    let meanWeight: [Int64]

    mutating func run() {
        let n = state.taskCount
        let w = state.cluster.count
        var queues = [WorkerQueues](repeating: WorkerQueues(), count: w)
        // Where each (task, worker) pair is: 0 not queued, 1 future, 2 available.
        var pairState = [UInt8](repeating: 0, count: n * w)
        var freeAt = [Int64](repeating: 0, count: w)
        var remaining = state.unplacedDependencyCounts()
        var readyCount = 0

        // Queues a task that just became ready on every worker it may use.
        func enqueue(_ t: Int, _ plan: PlanState, _ queues: inout [WorkerQueues], _ pairState: inout [UInt8]) {
            let workers = plan.allowedWorkers(t)
            for i in 0..<workers.count {
                let v = workers[i]
                let ready = plan.dataReady(t, on: v)
                let duration = plan.executionTime(t, on: v)
                let delta = meanWeight[t] - duration
                if ready <= freeAt[v] {
                    queues[v].available.insert(availableEntry(t, ready: ready, delta: delta))
                    pairState[t * w + v] = 2
                } else {
                    queues[v].future.insert(futureEntry(t, ready: ready, delta: delta))
                    queues[v].byReady.insert(Entry(key1: ready, key2: 0, task: Int32(t), ready: ready))
                    pairState[t * w + v] = 1
                }
            }
        }

        for t in 0..<n where !state.placed[t] && remaining[t] == 0 {
            enqueue(t, state, &queues, &pairState)
            readyCount += 1
        }
        while readyCount > 0 {
            // Each worker's best pair, then the best over workers (ties: smaller worker).
            var best: (key1: Int64, key2: Int64, task: Int32, worker: Int, ready: Int64)? = nil
            for v in 0..<w {
                // Tasks whose inputs arrive by the time v is free become available.
                while let top = queues[v].byReady.min, top.ready <= freeAt[v] {
                    queues[v].byReady.removeMin()
                    let t = Int(top.task)
                    if state.placed[t] || pairState[t * w + v] != 1 { continue }
                    pairState[t * w + v] = 2
                    let delta = meanWeight[t] - state.executionTime(t, on: v)
                    queues[v].available.insert(availableEntry(t, ready: top.ready, delta: delta))
                }
                while let top = queues[v].available.min, state.placed[Int(top.task)] { queues[v].available.removeMin() }
                while let top = queues[v].future.min,
                      state.placed[Int(top.task)] || pairState[Int(top.task) * w + v] != 1 {
                    queues[v].future.removeMin()
                }
                for pass in 0..<2 {
                    let isAvailable = pass == 0
                    guard let entry = isAvailable ? queues[v].available.min : queues[v].future.min else { continue }
                    let key = pairKey(entry, available: isAvailable, freeAt: freeAt[v])
                    if let b = best, (b.key1, b.key2, b.task) <= (key.0, key.1, entry.task) { continue }
                    best = (key.0, key.1, entry.task, v, entry.ready)
                }
            }
            // Every ready task sits in the queues of at least one allowed worker.
            guard let chosen = best else { preconditionFailure("PairPlanner: \(readyCount) ready tasks but no candidate pair") }
            let t = Int(chosen.task)
            let v = chosen.worker
            let (slot, begin) = state.appendSlot(on: v, ready: chosen.ready)
            state.place(t, worker: v, slot: slot, start: begin, duration: state.executionTime(t, on: v))
            freeAt[v] = state.earliestFree(v)
            readyCount -= 1
            for c in state.workload.dependents[t] {
                remaining[c.index] -= 1
                if remaining[c.index] == 0 {
                    enqueue(c.index, state, &queues, &pairState)
                    readyCount += 1
                }
            }
        }
    }

    /// Heap key among available tasks of one worker (all share EST = free time).
    private func availableEntry(_ t: Int, ready: Int64, delta: Int64) -> Entry {
        switch rule {
        case .etf: Entry(key1: -staticLevel[t], key2: 0, task: Int32(t), ready: ready)
        case .dls: Entry(key1: -(staticLevel[t] + delta), key2: 0, task: Int32(t), ready: ready)
        }
    }

    /// Heap key among future tasks of one worker (EST = data-ready time).
    private func futureEntry(_ t: Int, ready: Int64, delta: Int64) -> Entry {
        switch rule {
        case .etf: Entry(key1: ready, key2: -staticLevel[t], task: Int32(t), ready: ready)
        case .dls: Entry(key1: -(staticLevel[t] + delta - ready), key2: 0, task: Int32(t), ready: ready)
        }
    }

    /// The global comparison key of a worker's candidate: ETF (EST, −SL), DLS (−DL, 0).
    private func pairKey(_ entry: Entry, available: Bool, freeAt: Int64) -> (Int64, Int64) {
        let t = Int(entry.task)
        switch rule {
        case .etf:
            return (available ? freeAt : entry.ready, -staticLevel[t])
        case .dls:
            // Available: DL = SL + Δ − free; the entry stores −(SL + Δ).
            return (available ? entry.key1 + freeAt : entry.key1, 0)
        }
    }
}
