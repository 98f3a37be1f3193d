import HeapModule
import Workload

/// Static-priority list scheduling, shared by HEFT, b-level, t-level and MCP.
///
/// The planner ranks every task once by a static priority, then repeatedly
/// takes the highest-priority *ready* task (all dependencies placed) and puts
/// it on the worker and thread slot that minimise the planner's criterion.
/// A ready queue, rather than one pass over the sorted list, keeps the plan
/// valid even when a priority ties a task with its own dependency (zero-duration
/// tasks); when priorities strictly decrease along edges, as HEFT's upward rank
/// does for positive weights, the two are the same.
///
/// Cost: O(V log V) for the queue plus, per task, O(W · (indegree + T · g))
/// where W is the number of workers, T threads per worker and g the gaps a
/// slot search scans (insertion planners; bounded by a binary search and an
/// early stop at the best time found so far, typically a handful).
struct ListPlanner {
    /// What a worker/slot choice minimises.
    enum Criterion {
        /// Earliest finish time, ties by earlier start (HEFT).
        case finish
        /// Earliest start time, ties by earlier finish (HLFET, t-level, MCP).
        case start
    }

    var state: PlanState
    /// Dense priority rank per task; smaller is placed first. Unique per task.
    let rank: [Int32]
    let criterion: Criterion
    let insertion: Bool

    mutating func run() {
        let n = state.taskCount
        var taskAtRank = [Int32](repeating: 0, count: n)
        for t in 0..<n { taskAtRank[Int(rank[t])] = Int32(t) }
        var remaining = state.unplacedDependencyCounts()
        var ready = Heap<Int32>()
        for t in 0..<n where !state.placed[t] && remaining[t] == 0 { ready.insert(rank[t]) }
        while let r = ready.popMin() {
            let t = Int(taskAtRank[Int(r)])
            placeBest(t)
            for c in state.workload.dependents[t] {
                remaining[c.index] -= 1
                if remaining[c.index] == 0 { ready.insert(rank[c.index]) }
            }
        }
    }

    /// Puts `t` where the criterion is smallest. Ties: the other time, then the
    /// smaller worker index, then the smaller slot index (worker and slot ties
    /// fall out of the strict comparisons in increasing index order).
    private mutating func placeBest(_ t: Int) {
        var bestWorker = -1
        var bestSlot = 0
        var bestStart = Int64.max
        var bestFinish = Int64.max
        let workers = state.allowedWorkers(t)
        for i in 0..<workers.count {
            let w = workers[i]
            let ready = state.dataReady(t, on: w)
            let duration = state.executionTime(t, on: w)
            if insertion {
                let first = state.cluster.slotStart[w]
                for s in 0..<state.cluster.workers[w].nthreads {
                    // A start later than this cannot win, so the gap search may stop there.
                    let limit = criterion == .finish
                        ? (bestFinish == .max ? Int64.max : bestFinish - duration)
                        : bestStart
                    guard let begin = state.timelines[first + s].earliestStart(ready: ready, duration: duration, limit: limit)
                    else { continue }
                    if Self.better(begin, begin + duration, than: bestStart, bestFinish, criterion) {
                        (bestWorker, bestSlot, bestStart, bestFinish) = (w, s, begin, begin + duration)
                    }
                }
            } else {
                let (s, begin) = state.appendSlot(on: w, ready: ready)
                if Self.better(begin, begin + duration, than: bestStart, bestFinish, criterion) {
                    (bestWorker, bestSlot, bestStart, bestFinish) = (w, s, begin, begin + duration)
                }
            }
        }
        state.place(t, worker: bestWorker, slot: bestSlot, start: bestStart, duration: bestFinish - bestStart)
    }

    @inline(__always)
    private static func better(_ start: Int64, _ finish: Int64, than bestStart: Int64, _ bestFinish: Int64, _ criterion: Criterion) -> Bool {
        switch criterion {
        case .finish: finish < bestFinish || (finish == bestFinish && start < bestStart)
        case .start: start < bestStart || (start == bestStart && finish < bestFinish)
        }
    }
}
