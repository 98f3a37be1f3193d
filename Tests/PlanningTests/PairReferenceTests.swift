import Messages
import Planning
import Testing
import Workload

/// ETF and DLS use per-worker heaps with lazy updates instead of scanning every
/// (ready task, worker) pair. This reference scans every pair at every step
/// (O(V²·W)) with the same rules; both must give the identical plan.
@Suite struct PairReferenceTests {
    enum Rule { case etf, dls }

    static func referencePlan(_ rule: Rule, _ workload: Workload, _ cluster: PlanningCluster) -> (worker: [Int], start: [Int64]) {
        let n = workload.count
        let workers = cluster.workers
        // Mean weight over thread slots; the test uses speeds whose inverse mean is exact.
        let threads = Double(workers.reduce(0) { $0 + $1.nthreads })
        let meanInverse = workers.reduce(0.0) { $0 + Double($1.nthreads) / $1.speed } / threads
        let weight = workload.tasks.map { Int64(($0.duration * meanInverse * 1e9).rounded()) }
        var level = [Int64](repeating: 0, count: n)
        for id in workload.topologicalOrder.reversed() {
            level[id.index] = weight[id.index] + (workload.dependents[id.index].map { level[$0.index] }.max() ?? 0)
        }
        var worker = [Int](repeating: -1, count: n)
        var start = [Int64](repeating: 0, count: n)
        var finish = [Int64](repeating: 0, count: n)
        var slotFree = workers.map { [Int64](repeating: 0, count: $0.nthreads) }
        func execution(_ t: Int, _ w: Int) -> Int64 { cluster.executionTime(seconds: workload.tasks[t].duration, on: w) }
        func ready(_ t: Int, _ w: Int) -> Int64 {
            var r: Int64 = 0
            for (i, d) in workload.tasks[t].dependencies.enumerated() {
                r = max(r, finish[d.index] + cluster.transferTime(
                    bytes: workload.edgeBytes(consumer: TaskID(t), dependencyIndex: i), from: worker[d.index], to: w))
            }
            return r
        }
        for _ in 0..<n {
            // (key1, key2, task, worker): smallest wins.
            var best: (Int64, Int64, Int, Int)? = nil
            for t in 0..<n where worker[t] < 0 && workload.tasks[t].dependencies.allSatisfy({ worker[$0.index] >= 0 }) {
                for w in workers.indices {
                    let est = max(ready(t, w), slotFree[w].min()!)
                    let key: (Int64, Int64, Int, Int) = switch rule {
                    case .etf: (est, -level[t], t, w)
                    case .dls: (-(level[t] - est + weight[t] - execution(t, w)), 0, t, w)
                    }
                    if best == nil || key < best! { best = key }
                }
            }
            let (t, w) = (best!.2, best!.3)
            let r = ready(t, w)
            // Slot: earliest start, then the one free last, then the smaller index.
            var slot = 0
            for s in slotFree[w].indices {
                let (a, b) = (max(r, slotFree[w][s]), max(r, slotFree[w][slot]))
                if a < b || (a == b && slotFree[w][s] > slotFree[w][slot]) { slot = s }
            }
            worker[t] = w
            start[t] = max(r, slotFree[w][slot])
            finish[t] = start[t] + execution(t, w)
            slotFree[w][slot] = finish[t]
        }
        return (worker, start)
    }

    @Test(arguments: [UInt64(11), 12, 13, 14, 15, 16])
    func heapsMatchTheExhaustiveScan(seed: UInt64) throws {
        let workload = try randomDAG(seed: seed, tasks: 40, edgeProbability: 0.08, maxDuration: 6, bytes: 2_000_000)
        let cluster = try PlanningCluster(
            workers: [
                .init(name: "a", host: "h0", nthreads: 1, speed: 1),
                .init(name: "b", host: "h0", nthreads: 2, speed: 2),
                .init(name: "c", host: "h1", nthreads: 1, speed: 0.5),
            ],
            network: .init(bandwidth: 1_000_000, latency: 0.5, sameHostBandwidth: 4_000_000, sameHostLatency: 0))
        for (planner, rule) in [(Planner.etf, Rule.etf), (.dls, .dls)] {
            let plan = try planner.plan(workload, on: cluster, estimates: .exact(workload))
            let reference = Self.referencePlan(rule, workload, cluster)
            #expect(plan.worker.map(Int.init) == reference.worker, "\(planner) seed \(seed)")
            #expect(plan.start.map(\.nanoseconds) == reference.start, "\(planner) seed \(seed)")
        }
    }
}
