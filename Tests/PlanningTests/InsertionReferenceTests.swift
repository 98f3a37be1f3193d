import Messages
import Planning
import Testing
import Workload

/// HEFT and MCP search per-slot gap lists with a binary search and an early
/// stop. This reference keeps plain lists of busy intervals and tries every
/// candidate start, with the same priorities and tie rules; the plans must be
/// identical.
@Suite struct InsertionReferenceTests {
    static func referencePlan(_ planner: Planner, _ workload: Workload, _ cluster: PlanningCluster) -> (worker: [Int], start: [Int64]) {
        let n = workload.count
        // The cluster below has mean(1/speed) = 1 and one host per worker, so
        // w̄ = duration and c̄ = the transfer time between any two workers.
        let weight = workload.tasks.map { Int64(($0.duration * 1e9).rounded()) }
        func meanTransfer(_ bytes: Int64) -> Int64 { cluster.transferTime(bytes: bytes, from: 0, to: 1) }
        var rank = [Int64](repeating: 0, count: n)
        for id in workload.topologicalOrder.reversed() {
            let t = id.index
            var below: Int64 = 0
            for c in workload.dependents[t] {
                for (i, d) in workload.tasks[c.index].dependencies.enumerated() where d.index == t {
                    below = max(below, meanTransfer(workload.edgeBytes(consumer: c, dependencyIndex: i)) + rank[c.index])
                }
            }
            rank[t] = weight[t] + below
        }
        let criticalPath = rank.max()!
        let alap = rank.map { criticalPath - $0 }
        let childALAPs = workload.dependents.map { $0.map { alap[$0.index] }.sorted() }
        func before(_ a: Int, _ b: Int) -> Bool {
            switch planner {
            case .heft: return rank[a] != rank[b] ? rank[a] > rank[b] : a < b
            default:
                if alap[a] != alap[b] { return alap[a] < alap[b] }
                if childALAPs[a] != childALAPs[b] { return childALAPs[a].lexicographicallyPrecedes(childALAPs[b]) }
                return a < b
            }
        }
        var worker = [Int](repeating: -1, count: n)
        var start = [Int64](repeating: 0, count: n)
        var finish = [Int64](repeating: 0, count: n)
        var busy = cluster.workers.map { [[(Int64, Int64)]](repeating: [], count: $0.nthreads) }
        for _ in 0..<n {
            let ready = (0..<n).filter { t in worker[t] < 0 && workload.tasks[t].dependencies.allSatisfy { worker[$0.index] >= 0 } }
            let t = ready.min(by: before)!
            var best: (finish: Int64, start: Int64, worker: Int, slot: Int)? = nil
            for w in cluster.workers.indices {
                var dataReady: Int64 = 0
                for (i, d) in workload.tasks[t].dependencies.enumerated() {
                    dataReady = max(dataReady, finish[d.index] + cluster.transferTime(
                        bytes: workload.edgeBytes(consumer: TaskID(t), dependencyIndex: i), from: worker[d.index], to: w))
                }
                let duration = cluster.executionTime(seconds: workload.tasks[t].duration, on: w)
                for s in busy[w].indices {
                    let candidates = ([dataReady] + busy[w][s].map(\.1).filter { $0 >= dataReady }).sorted()
                    let begin = candidates.first { c in busy[w][s].allSatisfy { c + duration <= $0.0 || c >= $0.1 } }!
                    let key = planner == .heft ? (begin + duration, begin, w, s) : (begin, begin + duration, w, s)
                    let bestKey = best.map { planner == .heft ? ($0.finish, $0.start, $0.worker, $0.slot) : ($0.start, $0.finish, $0.worker, $0.slot) }
                    if bestKey == nil || key < bestKey! { best = (begin + duration, begin, w, s) }
                }
            }
            let b = best!
            worker[t] = b.worker
            start[t] = b.start
            finish[t] = b.finish
            busy[b.worker][b.slot].append((b.start, b.finish))
        }
        return (worker, start)
    }

    @Test(arguments: [UInt64(21), 22, 23, 24, 25, 26])
    func gapListsMatchTheNaiveSearch(seed: UInt64) throws {
        let workload = try randomDAG(seed: seed, tasks: 40, edgeProbability: 0.1, maxDuration: 6, bytes: 3_000_000)
        let cluster = try PlanningCluster(
            workers: [
                .init(name: "a", host: "h0", nthreads: 1, speed: 1),
                .init(name: "b", host: "h1", nthreads: 2, speed: 2),
                .init(name: "c", host: "h2", nthreads: 1, speed: 0.5),
            ],
            network: .init(bandwidth: 1_000_000, latency: 0.5))
        for planner in [Planner.heft, .mcp] {
            let plan = try planner.plan(workload, on: cluster, estimates: .exact(workload))
            let reference = Self.referencePlan(planner, workload, cluster)
            #expect(plan.worker.map(Int.init) == reference.worker, "\(planner) seed \(seed)")
            #expect(plan.start.map(\.nanoseconds) == reference.start, "\(planner) seed \(seed)")
            // Insertion happened: some task starts before an earlier-placed task on its slot.
            let inserted = plan.decisions.enumerated().contains { i, t in
                plan.decisions[..<i].contains { u in
                    plan.worker[u.index] == plan.worker[t.index] && plan.slot[u.index] == plan.slot[t.index]
                        && plan.start[u.index] > plan.start[t.index]
                }
            }
            #expect(inserted, "\(planner) seed \(seed): no gap was used, the test would not exercise insertion")
        }
    }
}
