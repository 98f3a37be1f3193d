import Foundation
import HeapModule
import Messages
import Stochastics

/// Dask's `stealing.py::WorkStealing`: 15 cost levels per worker, `balance()`
/// on every `.balance` stimulus, and the transactional steal-request /
/// steal-response protocol.
///
/// Deterministic rules where Dask iterates a Python set: victims are ordered by
/// combined occupancy (descending, ties lowest id; 20 or more saturated victims
/// are Dask's live `saturated` set, visited in id order and re-read per level);
/// the tasks of one level — a Python set of `TaskState`s, whose order follows
/// the per-process randomized hash of the key ("random selection" in Dask's
/// docs) — are visited in increasing `orderHash(key)` (see `orderHash(key:salt:)`,
/// ties lowest id), a pseudo-random order that does not depend on priority,
/// insertion history or the process; the thief is the minimum of
/// `(combined occupancy / nthreads + comm cost, stored bytes, id)`.
/// `round()` in the level formula is Python's round-half-even.
public final class WorkStealing {
    /// Dask's `LATENCY`: fixed cost added to the transfer time of a stolen task.
    public static let latency: Double = 0.1
    /// `len(cost_multipliers)`.
    public static let levels = 15

    /// The stand-in for Python's set order within one cost level:
    /// `splitMix64(splitMix64(salt) ^ fnv1a64(utf8(key)))`
    /// (`SeedMixing.streamKey(seed: salt, name: key)`). A level is visited in
    /// increasing value of this hash, ties (64-bit collisions) by lowest task id.
    /// The salt is the scheduler setting `stealing-order-salt` (default
    /// `SchedulerConfig.defaultStealingOrderSalt`, 0): the scheduler sees no run seed.
    public static func orderHash(key: String, salt: UInt64) -> UInt64 {
        SeedMixing.streamKey(seed: salt, name: key)
    }

    /// One candidate of a level, ordered by `(hash, id)`.
    struct OrderEntry: Comparable {
        var hash: UInt64
        var task: TaskID
        static func < (a: Self, b: Self) -> Bool { a.hash != b.hash ? a.hash < b.hash : a.task < b.task }
    }

    struct InFlight {
        var victim: WorkerID
        var thief: WorkerID
        var victimDuration: Int64
        var thiefDuration: Int64
        var stimulus: StimulusID
    }

    /// `stealable[worker][level]`.
    @exclusivity(unchecked) var stealable: [[Set<TaskID>]] = []
    /// `key_stealable`: per task, the worker and level it is filed under (-1 = none).
    @exclusivity(unchecked) var stealWorker: [Int32]
    @exclusivity(unchecked) var stealLevel: [Int8]
    var inFlight: [TaskID: InFlight] = [:]
    var inFlightOccupancy: [Int64] = []
    var inFlightTasks: [Int] = []
    /// `unknown_durations`: tasks filed while their prefix had no measured average.
    var unknownDurations: [Int32: Set<TaskID>] = [:]
    /// Prefixes never stolen (`default-task-durations` ≤ 1 ms).
    let fastPrefixes: Set<Int32>
    /// `stealing-order-salt`.
    let orderSalt: UInt64
    /// `orderHash(key:salt:)` per task, computed the first time `balance()` visits
    /// the task (0 = not yet computed; a true hash of 0 is just recomputed).
    /// Allocated (8 bytes per task) by the first `balance()` that visits a level.
    @exclusivity(unchecked) var orderHashes: [UInt64] = []
    let taskCount: Int
    var requestCounter: UInt64 = 0
    /// Dask's `stealing` event topic.
    public var events: [StealEvent] = []
    /// Number of `balance()` calls that requested at least one steal (Dask's `count`).
    public private(set) var count = 0

    init(taskCount: Int, config: SchedulerConfig, prefixNames: [String]) {
        stealWorker = [Int32](repeating: -1, count: taskCount)
        stealLevel = [Int8](repeating: -1, count: taskCount)
        self.taskCount = taskCount
        orderSalt = config.stealingOrderSalt
        var fast = Set<Int32>()
        for (p, name) in prefixNames.enumerated() {
            if let d = config.defaultTaskDurations[name], d.nanoseconds <= 1_000_000 { fast.insert(Int32(p)) }
        }
        fastPrefixes = fast
    }

    func ensureWorker(_ w: WorkerID) {
        while stealable.count <= w.index {
            stealable.append([])
            inFlightOccupancy.append(0)
            inFlightTasks.append(0)
        }
    }

    func addWorker(_ w: WorkerID) {
        ensureWorker(w)
        stealable[w.index] = [Set<TaskID>](repeating: [], count: Self.levels)
    }

    func removeWorker(_ w: WorkerID) {
        ensureWorker(w)
        stealable[w.index] = []
    }

    /// The plugin hook (`WorkStealing.transition`).
    func transition(_ t: TaskID, from: SchedulerTaskStateName, to: SchedulerTaskStateName, in s: SchedulerState) {
        if from == .processing {
            removeKeyFromStealable(t)
            removeFromInFlight(t)
            if to == .memory, let waiting = unknownDurations.removeValue(forKey: s.graph.prefixOf[t.index]) {
                for other in waiting.sorted() where s.tasks[other.index].processingOn >= 0 {
                    if inFlight[other] == nil {
                        removeKeyFromStealable(other)
                        putKeyInStealable(other, in: s)
                    }
                }
            }
        }
        if to == .processing { putKeyInStealable(t, in: s) }
    }

    func removeFromInFlight(_ t: TaskID) {
        guard let info = inFlight.removeValue(forKey: t) else { return }
        inFlightOccupancy[info.thief.index] -= info.thiefDuration
        inFlightOccupancy[info.victim.index] += info.victimDuration
        inFlightTasks[info.victim.index] += 1
        inFlightTasks[info.thief.index] -= 1
        if inFlight.isEmpty {
            for i in inFlightOccupancy.indices { inFlightOccupancy[i] = 0 }
        }
    }

    /// Dask's `steal_time_ratio`: the level to file the task under, or nil if never stolen.
    func stealLevel(_ t: TaskID, in s: SchedulerState) -> Int? {
        let p = s.graph.prefixOf[t.index]
        if fastPrefixes.contains(p) { return nil }
        var depBytes: Int64 = 0
        var hasDeps = false
        for e in s.graph.dependencyRange(t) where s.edgeFlags[e] & EdgeFlag.linked != 0 {
            hasDeps = true
            depBytes += s.getNbytes(s.graph.deps[e])
        }
        if !hasDeps { return 0 }
        let compute = Double(s.prefixDuration(Int(p))) / 1e9
        if compute == 0 { return nil }
        let transfer = Double(depBytes) / s.bandwidth + Self.latency
        return Self.level(ratio: transfer / compute)
    }

    /// The cost level of a transfer/compute ratio: `round(log2(ratio) + 6)` with
    /// Python's round-half-even, at least 1; nil (never stolen) from 15 up.
    public static func level(ratio: Double) -> Int? {
        let level = Int((log2(ratio) + 6).rounded(.toNearestOrEven))
        if level < 1 { return 1 }
        if level >= levels { return nil }
        return level
    }

    func putKeyInStealable(_ t: TaskID, in s: SchedulerState) {
        // Actors are pinned to their worker; seceded tasks are not stealable either.
        guard !s.tasks[t.index].actor, s.tasks[t.index].processingOn >= 0 else { return }
        let w = Int(s.tasks[t.index].processingOn)
        guard let level = stealLevel(t, in: s) else { return }
        guard !s.readWorker(w, { $0.pointee?.longRunning.contains(t) ?? false }) else { return }
        ensureWorker(WorkerID(w))
        guard stealable[w].count == Self.levels else { return }
        stealable[w][level].insert(t)
        stealWorker[t.index] = Int32(w)
        stealLevel[t.index] = Int8(level)
        let p = Int(s.graph.prefixOf[t.index])
        if s.prefixes[p].durationAverage < 0 || s.prefixDuration(p) != s.prefixes[p].durationAverage {
            unknownDurations[Int32(p), default: []].insert(t)
        }
    }

    func removeKeyFromStealable(_ t: TaskID) {
        let w = Int(stealWorker[t.index])
        guard w >= 0 else { return }
        let level = Int(stealLevel[t.index])
        if w < stealable.count, stealable[w].count == Self.levels { stealable[w][level].remove(t) }
        stealWorker[t.index] = -1
        stealLevel[t.index] = -1
    }

    func combined(_ w: WorkerID, _ occupancies: [Int64]) -> Int64 {
        occupancies[w.index] + (w.index < inFlightOccupancy.count ? inFlightOccupancy[w.index] : 0)
    }

    func combinedProcessing(_ w: WorkerID, in s: SchedulerState) -> Int {
        s.workers[w.index]!.processing.count + (w.index < inFlightTasks.count ? inFlightTasks[w.index] : 0)
    }

    /// The task's `orderHash(key:salt:)`, cached.
    @inline(__always) func orderHash(_ t: TaskID, in s: SchedulerState) -> UInt64 {
        if orderHashes.isEmpty { orderHashes = [UInt64](repeating: 0, count: taskCount) }
        let cached = orderHashes[t.index]
        if cached != 0 { return cached }
        let h = Self.orderHash(key: s.workload.tasks[t.index].key, salt: orderSalt)
        orderHashes[t.index] = h
        return h
    }

    /// The candidates of `stealable[victim][level]` as a min-heap on `(orderHash, id)`:
    /// built in O(n), popped in the visiting order (the snapshot Dask's `list(stealable)` takes).
    func visitingOrder(_ victim: WorkerID, _ level: Int, in s: SchedulerState) -> Heap<OrderEntry> {
        var entries: [OrderEntry] = []
        entries.reserveCapacity(stealable[victim.index][level].count)
        for t in stealable[victim.index][level] { entries.append(OrderEntry(hash: orderHash(t, in: s), task: t)) }
        return Heap(entries)
    }

    /// The tasks of one level of a victim in the order `balance()` visits them.
    func visitingOrder(victim: WorkerID, level: Int, in s: SchedulerState) -> [TaskID] {
        guard victim.index < stealable.count, stealable[victim.index].count == Self.levels else { return [] }
        var heap = visitingOrder(victim, level, in: s)
        var order: [TaskID] = []
        while let e = heap.popMin() { order.append(e.task) }
        return order
    }

    /// Dask's `WorkStealing.balance`.
    func balance(in s: SchedulerState) {
        var occupancies = [Int64](repeating: 0, count: s.workers.count)
        var present: [WorkerID] = []
        for (i, ws) in s.workers.enumerated() where ws?.present == true {
            occupancies[i] = s.occupancy(WorkerID(i))
            present.append(WorkerID(i))
            ensureWorker(WorkerID(i))
        }
        var isThief = [Bool](repeating: false, count: s.workers.count)
        var thieves = 0
        for i in s.inIdle.indices where s.inIdle[i] { isThief[i] = true; thieves += 1 }
        if thieves == 0 || thieves == present.count { return }
        var victims: [WorkerID] = []
        if s.saturatedCount > 0 {
            for i in s.inSaturated.indices where s.inSaturated[i] { victims.append(WorkerID(i)) }
        } else {
            let byOccupancy = present.sorted { a, b in
                let ca = combined(a, occupancies), cb = combined(b, occupancies)
                return ca != cb ? ca > cb : a < b
            }
            victims = byOccupancy.prefix(10).filter { w in
                combined(w, occupancies) > 200_000_000
                    && combinedProcessing(w, in: s) > s.workers[w.index]!.nthreads
                    && !isThief[w.index]
            }
            if victims.isEmpty { return }
        }
        // Dask sorts fewer than 20 victims once; 20 or more saturated workers stay the
        // live `s.saturated` set, which `check_idle_saturated` below may shrink
        // between levels: re-read it at every level.
        let liveSaturated = victims.count >= 20  // only `saturated` can be that large (top-k is 10)
        if !liveSaturated {
            victims.sort { a, b in
                let ca = combined(a, occupancies), cb = combined(b, occupancies)
                return ca != cb ? ca > cb : a < b
            }
        }
        var requested = false
        for level in 0..<Self.levels {
            if thieves == 0 { break }
            if liveSaturated && level > 0 {
                victims.removeAll(keepingCapacity: true)
                for i in s.inSaturated.indices where s.inSaturated[i] { victims.append(WorkerID(i)) }
            }
            for victim in victims {
                guard thieves > 0, stealable[victim.index].count == Self.levels, !stealable[victim.index][level].isEmpty else { continue }
                // Visit the level in `orderHash` order (Dask: `for ts in list(stealable)`,
                // Python set order): O(n) to build the heap, O(log n) per task visited;
                // the loop usually stops after a few requests (no thief left).
                var candidates = visitingOrder(victim, level, in: s)
                while let entry = candidates.popMin() {
                    let t = entry.task
                    if thieves == 0 { break }
                    if stealWorker[t.index] < 0 || s.tasks[t.index].processingOn != victim.rawValue
                        || !s.workers[victim.index]!.processing.contains(t) {
                        stealable[victim.index][level].remove(t)
                        continue
                    }
                    guard let thief = thief(for: t, isThief: isThief, occupancies: occupancies, in: s) else { continue }
                    let occThief = combined(thief, occupancies)
                    let occVictim = combined(victim, occupancies)
                    let commThief = s.commCost(t, thief)
                    let commVictim = s.commCost(t, victim)
                    let compute = s.prefixDuration(Int(s.graph.prefixOf[t.index]))
                    if Double(occThief + commThief + compute) <= Double(occVictim) - Double(commVictim + compute) / 2 {
                        moveTaskRequest(t, victim: victim, thief: thief, level: level, in: s)
                        requested = true
                        let nowOcc = combined(thief, occupancies)
                        if !s.isUnoccupied(thief, occupancy: nowOcc, processing: combinedProcessing(thief, in: s)) {
                            isThief[thief.index] = false
                            thieves -= 1
                        }
                        stealable[victim.index][level].remove(t)
                    }
                }
                s.checkIdleSaturated(victim, occupancy: combined(victim, occupancies))
            }
        }
        if requested { count += 1 }
    }

    /// Dask's `_get_thief` with `stealing_objective`.
    func thief(for t: TaskID, isThief: [Bool], occupancies: [Int64], in s: SchedulerState) -> WorkerID? {
        var pool: [WorkerID] = []
        for i in isThief.indices where isThief[i] { pool.append(WorkerID(i)) }
        if let valid = s.validWorkers(t) {
            let validThieves = pool.filter { valid.contains($0) }
            if !validThieves.isEmpty {
                pool = validThieves
            } else if !s.workload.tasks[t.index].restrictions.loose {
                return nil
            }
        }
        var best: WorkerID? = nil
        var bestKey: (Int, Double, Int64, Int32) = (0, 0, 0, 0)
        for w in pool {
            let ws = s.workers[w.index]!
            let occ = Double(combined(w, occupancies)) / Double(max(ws.nthreads, 1)) + Double(s.commCost(t, w))
            let key = (s.tasks[t.index].actor ? ws.actors.count : 0, occ, ws.nbytes, w.rawValue)
            if best == nil || key < bestKey {
                best = w
                bestKey = key
            }
        }
        return best
    }

    /// Dask's `move_task_request`.
    func moveTaskRequest(_ t: TaskID, victim: WorkerID, thief: WorkerID, level: Int, in s: SchedulerState) {
        guard inFlight[t] == nil else { return }
        let stimulus = StimulusID("steal", requestCounter)
        requestCounter += 1
        removeKeyFromStealable(t)
        let compute = s.prefixDuration(Int(s.graph.prefixOf[t.index]))
        let info = InFlight(
            victim: victim, thief: thief,
            victimDuration: compute + s.commCost(t, victim),
            thiefDuration: compute + s.commCost(t, thief),
            stimulus: stimulus)
        s.send(victim, .stealRequest(key: t, stimulusID: stimulus))
        inFlight[t] = info
        inFlightOccupancy[victim.index] -= info.victimDuration
        inFlightOccupancy[thief.index] += info.thiefDuration
        inFlightTasks[victim.index] -= 1
        inFlightTasks[thief.index] += 1
        s.counters.stealsRequested += 1
        events.append(StealEvent(time: s.now, key: t, level: level, victim: victim, thief: thief, outcome: .request, stimulus: stimulus))
    }

    /// Dask's `move_task_confirm`.
    func moveTaskConfirm(key t: TaskID, state: WorkerTaskStateName?, worker: WorkerID, stimulus: StimulusID, in s: SchedulerState) {
        guard s.isLive(t) else { return }
        guard let info = inFlight[t] else {
            s.counters.stealsStale += 1
            events.append(StealEvent(time: s.now, key: t, level: -1, victim: worker, thief: worker, outcome: .alreadyAborted, stimulus: stimulus))
            return
        }
        guard info.stimulus == stimulus else {
            s.counters.stealsStale += 1
            events.append(StealEvent(time: s.now, key: t, level: -1, victim: worker, thief: worker, outcome: .staleResponse, stimulus: stimulus))
            return
        }
        removeFromInFlight(t)
        let thief = info.thief, victim = info.victim
        let thiefPresent = s.workers[thief.index]?.present == true
        let outcome: StealEvent.Outcome
        switch state {
        case nil, .released?:
            outcome = .reschedule
        case .ready?, .constrained?, .waiting?:
            outcome = thiefPresent ? .confirm : .reschedule
        default:
            // executing, long-running, memory, cancelled, resumed refuse; so do the
            // fetch-side states (Dask raises for them): the task stays where it is.
            outcome = .alreadyComputing
        }
        events.append(StealEvent(time: s.now, key: t, level: -1, victim: victim, thief: thief, outcome: outcome, stimulus: stimulus))
        switch outcome {
        case .reschedule:
            s.counters.stealsRescheduled += 1
            s.reschedule(t, worker: nil)
        case .confirm:
            s.counters.stealsConfirmed += 1
            removeKeyFromStealable(t)
            s.moveProcessing(t, from: victim, to: thief)
            putKeyInStealable(t, in: s)
            s.sendComputeTask(t, to: thief)
        default:
            s.counters.stealsRefused += 1
        }
        if s.workers[thief.index]?.present == true { s.checkIdleSaturated(thief) }
        if s.workers[victim.index]?.present == true { s.checkIdleSaturated(victim) }
    }
}
