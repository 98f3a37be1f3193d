import Testing
@testable import Workload

/// A small graph written as Dask's tests write theirs: keys in dict order, each
/// with its dependencies, some pure data. `order()` is schedsim's port of
/// `dask.order.order` on it.
struct OrderCase {
    var entries: [(key: String, dependencies: [String], data: Bool)] = []

    /// Dask's tuple key `(name, i)` as `str()` prints it: `('a', 0)`.
    static func key(_ name: String, _ parts: Int...) -> String {
        "('\(name)', " + parts.map(String.init).joined(separator: ", ") + ")"
    }

    /// A task `(f, deps...)`.
    mutating func task(_ key: String, _ dependencies: String...) { entries.append((key, dependencies, false)) }
    /// A literal value, Dask's `DataNode`.
    mutating func data(_ key: String) { entries.append((key, [], true)) }

    func workload() throws -> Workload {
        var b = WorkloadBuilder(name: "order-case", source: "test")
        for (i, e) in entries.enumerated() {
            let spec = e.data ? TaskSpec(key: e.key, kind: .data, outputBytes: 1) : TaskSpec(key: e.key, duration: 1, outputBytes: 1)
            b.add(spec, dependencies: e.dependencies, origin: "entries[\(i)]")
        }
        return try b.build()
    }

    /// `order(dsk)`: key → priority.
    func order() throws -> [String: Int] {
        let w = try workload()
        let o = w.staticOrder(method: .dask)
        var out: [String: Int] = [:]
        for (spec, p) in zip(w.tasks, o) { out[spec.key] = p }
        #expect(Set(out.values) == Set(0..<w.count), "priorities are 0 … n-1, each once")
        assertTopologicalSort(out)
        return out
    }

    /// Dask's `assert_topological_sort`: every task comes after all of its dependencies.
    func assertTopologicalSort(_ o: [String: Int]) {
        for e in entries {
            for d in e.dependencies {
                #expect(o[d]! < o[e.key]!, "\(d) must come before \(e.key)")
            }
        }
    }

    /// Dask's `diagnostics(dsk, o)[1]`: the number of results held in memory
    /// before each task runs, running tasks one at a time in priority order.
    func pressure(_ o: [String: Int]) -> [Int] {
        var dependents: [String: Int] = [:]
        for e in entries { for d in e.dependencies { dependents[d, default: 0] += 1 } }
        var needed = dependents
        var inMemory = 0
        var out: [Int] = []
        for e in entries.sorted(by: { o[$0.key]! < o[$1.key]! }) {
            out.append(inMemory)
            var released = 0
            for d in e.dependencies {
                needed[d]! -= 1
                if needed[d] == 0 { released += 1 }
            }
            if (dependents[e.key] ?? 0) > 0 { inMemory -= released - 1 } else { inMemory -= released }
        }
        return out
    }
}

/// Dask's `abcde` fixture: each test runs with the letters in both orders, so
/// no assertion can hold only because of how the names sort.
let letterOrders: [[String]] = [["a", "b", "c", "d", "e"], ["e", "d", "c", "b", "a"]]
