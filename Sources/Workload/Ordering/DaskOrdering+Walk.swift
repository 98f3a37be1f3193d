import Collections

extension DaskOrdering {
    /// Dask's main loop: pick a target, build the critical path back to a
    /// runnable root, walk it (walking back into unmet dependencies, using
    /// parked runnable paths), and let `processRunnables` run cheap branches.
    func run() {
        leafNodesSorted = sortedByKey((0..<graph.nodeCount).lazy.filter { self.isLeaf[$0] }.map { Int32($0) })
        if !useLongestPath() { leafNodesSorted.reverse() }
        // leaf_nodes_sorted is popped from its end: with longest_path the most valuable leaf comes first.
        while resultCount < expectedCount {
            guard let target = target() else { break }  // Python would raise; see `finishUnreached`
            // A. The critical path: the target, then repeatedly its most valuable dependency.
            criticalPath.append(target)
            var nextDeps = Array(graph.dependencies(of: Int(target)))
            while let item = nextDeps.max(by: { sortsBefore($0, $1) }) {
                criticalPath.append(item)
                nextDeps = graph.dependencies(of: Int(item)).filter { !inResult($0) }
                criticalPath.append(contentsOf: nextDeps)
            }
            // B. Walk it.
            var walkedBack = false
            while let item = criticalPath.popLast() {
                if inResult(item) { continue }
                if numNeeded[Int(item)] > 0 {
                    criticalPath.append(item)
                    let missing = sortedByKey(graph.dependencies(of: Int(item)).lazy.filter { !self.inResult($0) })
                    var known: [Int32] = []
                    var unknown: [Int32] = []
                    for d in missing {
                        if knownRunnablePaths[d] != nil { known.append(d) } else { unknown.append(d) }
                    }
                    if unknown.count > 1 { walkedBack = true }
                    criticalPath.append(contentsOf: unknown)
                    for d in known {
                        for path in knownRunnablePaths.removeValue(forKey: d) ?? [] {
                            criticalPath.append(contentsOf: path.reversed())
                        }
                    }
                    continue
                }
                if walkedBack && runnable.count < criticalPath.count { processRunnables() }
                addToResult(item)
            }
            processRunnables()
        }
        finishUnreached()
    }

    /// Dask's algorithm numbers every node; should a graph ever leave one out
    /// (Python would raise or spin there), the rest follow in topological order
    /// rather than trapping or looping.
    private func finishUnreached() {
        guard resultCount < expectedCount else { return }
        for v32 in graph.topologicalOrder() ?? [] where !inResult(v32) { addToResult(v32) }
        for v in 0..<result.count where result[v] < 0 {
            result[v] = i
            resultCount += 1
            if !isExternal[v] { i += 1 }
        }
    }

    /// Dask's `process_runnables`: from each runnable task walk forward along
    /// single-dependency chains. A chain that ends in a leaf runs; one that
    /// ends at a reducer is parked there (`known_runnable_paths`) until enough
    /// chains reach it; at a splitter each genuinely split branch is followed.
    func processRunnables() {
        while !runnable.isEmpty {
            var candidates = runnable
            runnable.removeAll(keepingCapacity: true)
            while let key = candidates.popLast() {
                if runnableHull[Int(key)] || inResult(key) { continue }
                if isLeaf[Int(key)] {
                    addToResult(key)
                    continue
                }
                var branches: Deque<(nsplits: Int, path: [Int32])> = [(0, [key])]
                while let branch = branches.popFirst() {
                    walkBranch(nsplits: branch.nsplits, path: branch.path, branches: &branches)
                }
            }
        }
    }

    /// The `while True` loop of `process_runnables` for one branch.
    private func walkBranch(nsplits start: Int, path startPath: [Int32], branches: inout Deque<(nsplits: Int, path: [Int32])>) {
        var nsplits = start
        var path = startPath
        while true {
            let current = path[path.count - 1]
            let c = Int(current)
            runnableHull[c] = true
            let downstream = graph.dependents(of: c)
            if downstream.isEmpty {
                if numNeeded[c] <= 1 {
                    for k in path { addToResult(k) }
                } else {
                    runnableHull[c] = false
                }
                return
            }
            if path.count == 1 || graph.dependencyCount(c) == 1 {
                if downstream.count > 1 {
                    nsplits += 1
                    for d in sortedByKey(downstream) where graph.dependencyCount(Int(d)) == 1 {
                        branches.append((nsplits, path + [d]))
                    }
                    return
                }
                path.append(downstream[downstream.startIndex])
                continue
            }
            if var parked = knownRunnablePaths[current] {
                parked.append(path)
                runnableHull[c] = false
                if parked.count < Int(numNeeded[c]) {
                    knownRunnablePaths[current] = parked
                    return
                }
                knownRunnablePaths[current] = nil
                var pruned: Deque<[Int32]> = Deque(parked.filter { !inResult($0[$0.count - 2]) })
                if pruned.count < Int(numNeeded[c]) {
                    knownRunnablePaths[current] = Array(pruned)
                    return
                }
                if nsplits > 1 {
                    branches.append((nsplits - 1, pruned.flatMap { $0 }))
                    return
                }
                runPaths(&pruned)
                return
            }
            if graph.dependencyCount(c) > 1 && numNeeded[c] <= 1 {
                for k in path { addToResult(k) }
                return
            }
            knownRunnablePaths[current] = [path]
            runnableHull[c] = false
            return
        }
    }

    /// Run parked paths front to back; a path that meets a task still waiting
    /// for inputs goes to the back of the queue and is resumed there.
    private func runPaths(_ pruned: inout Deque<[Int32]>) {
        var stalled = 0  // consecutive paths that made no progress: a guard Python does not need
        while let path = pruned.popFirst() {
            var progressed = false
            var blocked = false
            for k in path {
                if numNeeded[Int(k)] > 0 {
                    pruned.append(path)
                    blocked = true
                    break
                }
                if !inResult(k) { progressed = true }
                addToResult(k)
            }
            if blocked && !progressed {
                stalled += 1
                if stalled > pruned.count { return }
            } else {
                stalled = 0
            }
        }
    }
}
