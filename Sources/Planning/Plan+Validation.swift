import Messages
import Workload

extension Plan {
    /// Checks that the plan is a feasible schedule for the estimates it was made
    /// from: every compute task placed on an allowed worker slot, running exactly
    /// its estimated time, after its submission and after every input has arrived
    /// (finish of the dependency plus the transfer time), and no two tasks overlapping on one
    /// slot. Returns one line per problem, naming the task key; empty if valid.
    public func problems(_ workload: Workload, on cluster: PlanningCluster, estimates: Estimates) -> [String] {
        var problems: [String] = []
        var perSlot = [[Int]](repeating: [], count: cluster.totalSlots)
        let release = PlanState.releaseTimes(workload)
        for (t, spec) in workload.tasks.enumerated() {
            let w = Int(worker[t])
            guard w >= 0, w < cluster.count else {
                problems.append("task '\(spec.key)': worker index \(w) is not in the cluster")
                continue
            }
            if spec.kind == .data {
                if start[t] != .zero || finish[t] != .zero { problems.append("data task '\(spec.key)': not available at time 0") }
                continue
            }
            let s = Int(slot[t])
            guard s >= 0, s < cluster.workers[w].nthreads else {
                problems.append("task '\(spec.key)': slot \(s) is not a thread of worker \(w)")
                continue
            }
            perSlot[cluster.slotStart[w] + s].append(t)
            let duration = cluster.executionTime(seconds: estimates.durations[t], on: w)
            if finish[t].nanoseconds - start[t].nanoseconds != duration {
                problems.append("task '\(spec.key)': runs \(finish[t] - start[t]) s, estimate is \(Time(nanoseconds: duration)) s")
            }
            if start[t].nanoseconds < release[t] {
                problems.append("task '\(spec.key)': starts at \(start[t]) before its submission at \(Time(nanoseconds: release[t]))")
            }
            for (i, dep) in spec.dependencies.enumerated() {
                let from = Int(worker[dep.index])
                guard from >= 0, from < cluster.count else { continue }
                let arrival = finish[dep.index].nanoseconds
                    + cluster.transferTime(bytes: estimates.edgeBytes(consumer: TaskID(t), dependencyIndex: i), from: from, to: w)
                if start[t].nanoseconds < arrival {
                    problems.append("task '\(spec.key)': starts at \(start[t]) before input '\(workload[dep].key)' arrives at \(Time(nanoseconds: arrival))")
                }
            }
        }
        for tasks in perSlot {
            let sorted = tasks.sorted { (start[$0], finish[$0], $0) < (start[$1], finish[$1], $1) }
            for (a, b) in zip(sorted, sorted.dropFirst()) where finish[a] > start[b] {
                problems.append("tasks '\(workload.tasks[a].key)' and '\(workload.tasks[b].key)' overlap on worker \(worker[a]) slot \(slot[a])")
            }
        }
        return problems
    }
}
