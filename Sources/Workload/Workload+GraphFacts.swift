/// Structural facts about a workload's graph: what `schedsim info` prints and
/// what the lower bounds of a run are computed from.
public struct GraphFacts: Sendable, Equatable {
    public var tasks: Int
    public var computeTasks: Int
    public var dataTasks: Int
    public var edges: Int
    /// Sum of all compute durations, seconds.
    public var totalWork: Double
    /// Length of the longest duration-weighted path, seconds (communication ignored).
    public var criticalPathLength: Double
    /// The tasks on one longest path, from a root to a leaf. Ties go to the smaller id.
    public var criticalPath: [TaskID]
    /// Number of tasks at each depth (roots are depth 0; depth = longest hop count from a root).
    public var levelWidths: [Int]
    public var totalOutputBytes: Int64
    public var roots: Int
    public var leaves: Int
    public var maxInDegree: Int
    public var maxOutDegree: Int
    public var submissions: Int
    public var clients: Int

    /// The largest number of tasks at one depth.
    public var maxWidth: Int { levelWidths.max() ?? 0 }
    public var depth: Int { levelWidths.count }

    /// The simple lower bound on makespan with `threads` identical threads of
    /// speed 1 and free communication: max(critical path, total work / threads).
    public func makespanLowerBound(threads: Int) -> Double {
        max(criticalPathLength, threads > 0 ? totalWork / Double(threads) : .infinity)
    }
}

extension Workload {
    /// Computes the graph facts in one pass over the topological order.
    public func graphFacts() -> GraphFacts {
        let n = tasks.count
        var finish = [Double](repeating: 0, count: n)       // longest path ending at the task, inclusive
        var via = [Int32](repeating: -1, count: n)          // predecessor on that path
        var level = [Int](repeating: 0, count: n)
        var totalWork = 0.0
        var totalBytes: Int64 = 0
        var edges = 0
        var maxIn = 0
        var computeCount = 0
        var roots = 0
        // Fields are read through `tasks[i]` rather than copying each spec out
        // (a copy retains every string and array in it; a million of them show up in profiles).
        for id in topologicalOrder {
            let i = id.index
            var best = 0.0
            var bestDep: Int32 = -1
            var depth = 0
            for dep in tasks[i].dependencies {
                let f = finish[dep.index]
                if bestDep < 0 || f > best || (f == best && dep.rawValue < bestDep) {
                    best = f
                    bestDep = dep.rawValue
                }
                depth = max(depth, level[dep.index] + 1)
            }
            let duration = tasks[i].duration
            let inDegree = tasks[i].dependencies.count
            finish[i] = best + duration
            via[i] = bestDep
            level[i] = depth
            totalWork += duration
            totalBytes += tasks[i].outputBytes
            edges += inDegree
            maxIn = max(maxIn, inDegree)
            if tasks[i].kind == .compute { computeCount += 1 }
            if inDegree == 0 { roots += 1 }
        }
        var end = -1
        var longest = -1.0
        // Only leaves can end the path: with zero-duration tasks an inner task
        // can tie with the leaf after it, and the path must still reach a leaf.
        for i in 0..<n where dependents[i].isEmpty && finish[i] > longest {
            longest = finish[i]
            end = i
        }
        var path: [TaskID] = []
        var cursor = Int32(end)
        while cursor >= 0 {
            path.append(TaskID(Int(cursor)))
            cursor = via[Int(cursor)]
        }
        path.reverse()
        var widths = [Int](repeating: 0, count: (level.max() ?? -1) + 1)
        for l in level { widths[l] += 1 }
        var leaves = 0
        var maxOut = 0
        for consumers in dependents {
            if consumers.isEmpty { leaves += 1 }
            maxOut = max(maxOut, consumers.count)
        }
        return GraphFacts(
            tasks: n,
            computeTasks: computeCount,
            dataTasks: n - computeCount,
            edges: edges,
            totalWork: totalWork,
            criticalPathLength: max(longest, 0),
            criticalPath: path,
            levelWidths: widths,
            totalOutputBytes: totalBytes,
            roots: roots,
            leaves: leaves,
            maxInDegree: maxIn,
            maxOutDegree: maxOut,
            submissions: submissions.count,
            clients: Set(submissions.map(\.client)).count
        )
    }
}
