import Messages
import Workload

/// The partial plan every planner builds: placements so far, slot occupancy,
/// and the estimates in the units the planners compute with (nanoseconds).
///
/// All per-task and per-slot data are arrays indexed by dense ids, so the
/// planners' loops never allocate per task and never iterate a hashed collection.
struct PlanState {
    let workload: Workload
    let cluster: PlanningCluster
    let estimates: Estimates
    let planner: Planner

    var worker: [Int32]
    var slot: [Int32]
    var start: [Int64]
    var finish: [Int64]
    var placed: [Bool]
    var decisions: [TaskID] = []

    /// Per flat slot: when it is free again (non-insertion planners).
    var slotFree: [Int64]
    /// Per flat slot: its busy/idle timeline (insertion planners); empty otherwise.
    var timelines: [SlotTimeline]

    /// Earliest start per task: its submission's time for an external client
    /// (a task cannot run before the scheduler has it), 0 otherwise.
    let release: [Int64]

    /// For restricted tasks, an index into `allowedLists`; -1 means every worker.
    let allowedIndex: [Int32]
    let allowedLists: [[Int32]]

    init(
        workload: Workload, cluster: PlanningCluster, estimates: Estimates, planner: Planner,
        insertion: Bool, dataPlacement: [Int]?
    ) throws(PlanningError) {
        try estimates.validate(for: workload)
        try Self.checkHorizon(workload: workload, cluster: cluster, estimates: estimates)
        let n = workload.count
        self.workload = workload
        self.cluster = cluster
        self.estimates = estimates
        self.planner = planner
        worker = [Int32](repeating: -1, count: n)
        slot = [Int32](repeating: -1, count: n)
        start = [Int64](repeating: 0, count: n)
        finish = [Int64](repeating: 0, count: n)
        placed = [Bool](repeating: false, count: n)
        slotFree = [Int64](repeating: 0, count: cluster.totalSlots)
        timelines = insertion ? [SlotTimeline](repeating: SlotTimeline(), count: cluster.totalSlots) : []
        (allowedIndex, allowedLists) = try Self.restrictions(workload: workload, cluster: cluster)
        release = Self.releaseTimes(workload)

        // Pure data is scattered before the run: in memory at time 0 on its worker.
        var nextData = 0
        for (t, spec) in workload.tasks.enumerated() where spec.kind == .data {
            let w: Int
            if let dataPlacement {
                guard let chosen = dataPlacement[safe: t], chosen >= 0, chosen < cluster.count else {
                    throw .invalidDataPlacement(key: spec.key, worker: dataPlacement[safe: t] ?? -1, workers: cluster.count)
                }
                w = chosen
            } else {
                w = nextData % cluster.count
                nextData += 1
            }
            worker[t] = Int32(w)
            placed[t] = true
        }
    }

    /// Every planned time and level is at most the latest release time plus the
    /// sum of every task's slowest execution and every edge's slowest transfer
    /// (a chain of distinct tasks and edges). Keeping that sum below `horizonLimitSeconds` rules out overflow.
    private static func checkHorizon(workload: Workload, cluster: PlanningCluster, estimates: Estimates) throws(PlanningError) {
        let slowest = cluster.workers.map(\.speed).min() ?? 1
        var seconds = estimates.durations.reduce(0, +) / slowest
        let network = cluster.network
        let secondsPerByte = max(1 / network.bandwidth, 1 / network.sameHostBandwidth)
        let latency = max(network.latency, network.sameHostLatency)
        for bytes in estimates.edgeBytes { seconds += latency + Double(bytes) * secondsPerByte }
        seconds += workload.submissions.map(\.time).max() ?? 0   // the latest release time
        if !(seconds < PlanningError.horizonLimitSeconds) { throw .horizonTooLong(seconds: seconds) }
    }

    /// Submission times of external clients as release times. Workloads that a
    /// running task submits (`worker_client`) are timed relative to that task's
    /// start, which is not known before planning; they are planned as if
    /// submitted at time 0.
    static func releaseTimes(_ workload: Workload) -> [Int64] {
        workload.tasks.map { spec in
            guard let submission = workload.submissions[safe: spec.submission], submission.submitter == nil else { return 0 }
            return Time(seconds: submission.time).nanoseconds
        }
    }

    /// Which workers each restricted task may use. Dask's rule: the listed worker
    /// names and hosts; with `allow_other_workers` (loose) any worker when none matches.
    private static func restrictions(
        workload: Workload, cluster: PlanningCluster
    ) throws(PlanningError) -> ([Int32], [[Int32]]) {
        var index = [Int32](repeating: -1, count: workload.count)
        var lists: [[Int32]] = []
        for (t, spec) in workload.tasks.enumerated() where spec.kind == .compute && !spec.restrictions.isEmpty {
            let r = spec.restrictions
            var allowed: [Int32] = []
            for (w, info) in cluster.workers.enumerated()
            where (r.workers.isEmpty || r.workers.contains(info.name)) && (r.hosts.isEmpty || r.hosts.contains(info.host)) {
                allowed.append(Int32(w))
            }
            if allowed.isEmpty {
                if r.loose { continue }
                let text = (r.workers.map { "worker '\($0)'" } + r.hosts.map { "host '\($0)'" }).joined(separator: ", ")
                throw .noAllowedWorker(key: spec.key, restriction: text)
            }
            index[t] = Int32(lists.count)
            lists.append(allowed)
        }
        return (index, lists)
    }

    var taskCount: Int { workload.count }

    @inline(__always)
    func isCompute(_ t: Int) -> Bool { workload.tasks[t].kind == .compute }

    /// The workers a task may run on, in increasing index order, without allocating.
    struct WorkerList {
        let all: Int
        let list: [Int32]?
        @inline(__always) var count: Int { list?.count ?? all }
        @inline(__always) subscript(i: Int) -> Int { list.map { Int($0[i]) } ?? i }
    }

    @inline(__always)
    func allowedWorkers(_ t: Int) -> WorkerList {
        let k = allowedIndex[t]
        return WorkerList(all: cluster.count, list: k < 0 ? nil : allowedLists[Int(k)])
    }

    /// Planned nanoseconds task `t` computes on worker `w`.
    @inline(__always)
    func executionTime(_ t: Int, on w: Int) -> Int64 {
        cluster.executionTime(seconds: estimates.durations[t], on: w)
    }

    /// When all of `t`'s inputs can be on worker `w`: each dependency's planned
    /// finish plus its transfer from the dependency's worker (inputs arrive in
    /// parallel, so the latest one decides), and not before the task's release
    /// time. Every dependency must be placed.
    @inline(__always)
    func dataReady(_ t: Int, on w: Int) -> Int64 {
        let deps = workload.tasks[t].dependencies
        let base = estimates.edgeStart[t]
        var ready = release[t]
        for i in deps.indices {
            let d = deps[i].index
            let arrival = finish[d] + cluster.transferTime(bytes: estimates.edgeBytes[base + i], from: Int(worker[d]), to: w)
            if arrival > ready { ready = arrival }
        }
        return ready
    }

    /// Number of distinct unplaced compute dependencies per task, for ready counting.
    func unplacedDependencyCounts() -> [Int32] {
        var remaining = [Int32](repeating: 0, count: taskCount)
        for p in 0..<taskCount where !placed[p] {
            for c in workload.dependents[p] { remaining[c.index] += 1 }
        }
        return remaining
    }

    /// Records the placement of compute task `t`.
    mutating func place(_ t: Int, worker w: Int, slot s: Int, start begin: Int64, duration: Int64) {
        worker[t] = Int32(w)
        slot[t] = Int32(s)
        start[t] = begin
        finish[t] = begin + duration
        placed[t] = true
        decisions.append(TaskID(t))
        let flat = cluster.slotStart[w] + s
        if timelines.isEmpty {
            slotFree[flat] = begin + duration
        } else {
            timelines[flat].occupy(start: begin, duration: duration)
        }
    }

    /// Non-insertion slot choice on worker `w` for a task whose inputs are ready at
    /// `ready`: the slot giving the earliest start; among slots that give the same
    /// start, the one that became free last (it leaves the smallest idle gap and
    /// keeps earlier-free slots for later tasks), then the smaller slot index.
    @inline(__always)
    func appendSlot(on w: Int, ready: Int64) -> (slot: Int, start: Int64) {
        let first = cluster.slotStart[w]
        var bestSlot = 0
        var bestStart = Int64.max
        var bestFree = Int64.min
        for s in 0..<cluster.workers[w].nthreads {
            let free = slotFree[first + s]
            let begin = max(free, ready)
            if begin < bestStart || (begin == bestStart && free > bestFree) {
                bestSlot = s
                bestStart = begin
                bestFree = free
            }
        }
        return (bestSlot, bestStart)
    }

    /// The earliest time any slot of worker `w` is free.
    @inline(__always)
    func earliestFree(_ w: Int) -> Int64 {
        let first = cluster.slotStart[w]
        var best = Int64.max
        for s in 0..<cluster.workers[w].nthreads where slotFree[first + s] < best { best = slotFree[first + s] }
        return best
    }

    /// The finished plan.
    func makePlan() -> Plan {
        var perWorker = [[Int]](repeating: [], count: cluster.count)
        var decisionIndex = [Int32](repeating: 0, count: taskCount)
        for (i, t) in decisions.enumerated() {
            decisionIndex[t.index] = Int32(i)
            perWorker[Int(worker[t.index])].append(t.index)
        }
        let order = perWorker.map { tasks in
            tasks.sorted { a, b in
                if start[a] != start[b] { return start[a] < start[b] }
                if slot[a] != slot[b] { return slot[a] < slot[b] }
                return decisionIndex[a] < decisionIndex[b]
            }.map(TaskID.init)
        }
        var makespan: Int64 = 0
        for t in decisions where finish[t.index] > makespan { makespan = finish[t.index] }
        return Plan(
            planner: planner, mode: estimates.mode, worker: worker, slot: slot,
            start: start.map(Time.init(nanoseconds:)), finish: finish.map(Time.init(nanoseconds:)),
            order: order, decisions: decisions, makespan: Time(nanoseconds: makespan))
    }
}
