import Messages
import Workload

/// Small hand-made graphs shared by the executor tests.
enum Fixtures {
    /// a, b (roots) → c = f(a, b) → d = g(c). Durations in seconds, sizes in bytes.
    static func diamond(duration: Double = 0.05, bytes: Int64 = 1000) throws -> Workload {
        var b = WorkloadBuilder(name: "diamond", source: "test")
        b.add(TaskSpec(key: "a", duration: duration, outputBytes: bytes), dependencies: [], origin: "a")
        b.add(TaskSpec(key: "b", duration: duration, outputBytes: bytes + 1), dependencies: [], origin: "b")
        b.add(TaskSpec(key: "c", duration: duration, outputBytes: bytes + 2), dependencies: ["a", "b"], origin: "c")
        b.add(TaskSpec(key: "d", duration: duration, outputBytes: 7), dependencies: ["c"], origin: "d")
        return try b.build()
    }

    /// `width` independent chains of `depth` tasks each, every task `duration` s and
    /// `bytes` bytes, ending in one sum task; plus one scattered pure-data task `x`
    /// that the sum reads.
    static func chains(width: Int, depth: Int, duration: Double, bytes: Int64, scatter: Bool = true) throws -> Workload {
        var b = WorkloadBuilder(name: "chains", source: "test")
        var tails: [String] = []
        for w in 0..<width {
            var previous: String?
            for d in 0..<depth {
                let key = "('chain-\(w)', \(d))"
                b.add(TaskSpec(key: key, duration: duration, outputBytes: bytes),
                      dependencies: previous.map { [$0] } ?? [], origin: key)
                previous = key
            }
            tails.append(previous ?? "")
        }
        if scatter {
            b.add(TaskSpec(key: "x", kind: .data, outputBytes: 333), dependencies: [], origin: "x")
            tails.append("x")
        }
        b.add(TaskSpec(key: "sum", duration: duration, outputBytes: 8), dependencies: tails, origin: "sum")
        return try b.build()
    }
}
