import Workload

/// The static task levels list schedulers rank tasks by, in nanoseconds.
/// Each is one pass over the topological order: O(V + E).
///
/// Weights: a task's weight is its *mean* estimated execution time over all
/// thread slots (`w̄`); an edge's weight, where a level counts communication,
/// is the mean transfer time over pairs of distinct workers (`c̄`).
struct Levels {
    let workload: Workload
    /// `w̄(t)` per task.
    let weight: [Int64]

    init(state: PlanState) {
        workload = state.workload
        let inverseSpeed = state.cluster.meanInverseSpeed
        weight = state.estimates.durations.map { PlanningCluster.nanoseconds($0 * inverseSpeed * 1e9) }
    }

    /// Static b-level without communication (HLFET's "static level", Estee's
    /// `compute_b_level_duration`): the longest weight sum from the task to an
    /// exit, the task itself included.
    func staticBLevel() -> [Int64] {
        bottomLevel { _ in 0 }
    }

    /// HEFT's upward rank (Topcuoglu et al. eq. 6): `rank(t) = w̄(t) + max over
    /// consumers c of (c̄(t, c) + rank(c))`. Equal to the b-level with
    /// communication that MCP's ALAP times are derived from.
    func upwardRank(estimates: Estimates, meanTransfer: PlanningCluster.MeanTransfer) -> [Int64] {
        bottomLevel { edge in meanTransfer.time(bytes: estimates.edgeBytes[edge]) }
    }

    /// Static t-level without communication (Estee's `compute_t_level_duration`):
    /// the longest weight sum from an entry to the task, the task itself excluded.
    func staticTLevel() -> [Int64] {
        var level = [Int64](repeating: 0, count: workload.count)
        for id in workload.topologicalOrder {
            var best: Int64 = 0
            for dep in workload.tasks[id.index].dependencies {
                best = max(best, level[dep.index] + weight[dep.index])
            }
            level[id.index] = best
        }
        return level
    }

    /// `level(t) = w̄(t) + max over consumers (edgeCost + level(consumer))`,
    /// computed in reverse topological order by pushing each finished level to
    /// the task's dependencies. `edgeCost` gets the flat edge index.
    private func bottomLevel(edgeCost: (Int) -> Int64) -> [Int64] {
        let n = workload.count
        var below = [Int64](repeating: 0, count: n)   // max over consumers, filled by them
        var level = [Int64](repeating: 0, count: n)
        var edgeStart = [Int](repeating: 0, count: n + 1)
        for t in 0..<n { edgeStart[t + 1] = edgeStart[t] + workload.tasks[t].dependencies.count }
        for id in workload.topologicalOrder.reversed() {
            let t = id.index
            level[t] = weight[t] + below[t]
            for (i, dep) in workload.tasks[t].dependencies.enumerated() {
                let candidate = edgeCost(edgeStart[t] + i) + level[t]
                if candidate > below[dep.index] { below[dep.index] = candidate }
            }
        }
        return level
    }
}

/// Turns a priority comparison into a dense rank (0 = placed first), so the
/// ready queue compares two integers instead of re-evaluating keys.
func ranks(count: Int, by areInIncreasingOrder: (Int, Int) -> Bool) -> [Int32] {
    let sorted = (0..<count).sorted(by: areInIncreasingOrder)
    var rank = [Int32](repeating: 0, count: count)
    for (position, t) in sorted.enumerated() { rank[t] = Int32(position) }
    return rank
}
