/// The task stream laid out: one lane per worker thread, one bar per task execution, and one
/// bar per network transfer drawn on a lane of the receiving worker, as Dask's dashboard does.
///
/// tasks.csv does not say which thread of a worker ran a task, so threads are assigned the way a
/// worker fills them: tasks in start order take the lowest-numbered thread that is free. This
/// needs exactly as many lanes as the worker ever ran tasks at once.
public struct TaskStream: Sendable {
    /// One horizontal lane of the picture.
    public struct Lane: Sendable, Equatable {
        public var worker: String
        public var thread: Int
    }

    /// What a bar stands for.
    public enum BarKind: Sendable, Equatable {
        /// A task execution: the row of the task in tasks.csv.
        case task(Int)
        /// A transfer: rows of transfers.csv that moved together (same sender, receiver, start, end).
        case transfer([Int])
    }

    public struct Bar: Sendable, Equatable {
        public var lane: Int
        public var start: Double
        public var end: Double
        public var kind: BarKind
    }

    public var lanes: [Lane]
    /// Task bars first (in tasks.csv order), then transfer bars (in transfers.csv order).
    public var bars: [Bar]
    /// Workers in lane order (natural order of their names: worker-2 before worker-10).
    public var workers: [String]
    /// Task prefixes in first-appearance order; a prefix's colour is its index here.
    public var prefixes: [String]
    /// For each task row, the index of its prefix in `prefixes`.
    public var prefixIndex: [Int]
    /// Transfers that could not be drawn because the receiver is not a worker (gathers to a client).
    public var transfersToClients: Int

    public var taskBarCount: Int { bars.reduce(0) { if case .task = $1.kind { return $0 + 1 } else { return $0 } } }
    public var transferBarCount: Int { bars.count - taskBarCount }

    /// Lays out a run. `threadsPerWorker` (from the cluster spec, when known) gives each worker at
    /// least that many lanes, so idle threads show as empty lanes.
    public init(logs: RunLogs, threadsPerWorker: [String: Int] = [:]) {
        // Workers: every name that ran a task, was sampled, or received a transfer while also
        // being known as a worker.
        var known: Set<String> = []
        for task in logs.tasks where !task.worker.isEmpty && task.start != nil && task.end != nil { known.insert(task.worker) }
        for sample in logs.samples { known.insert(sample.worker) }
        for name in threadsPerWorker.keys { known.insert(name) }
        workers = known.sorted(by: naturalLess)
        var workerIndex: [String: Int] = [:]
        for (index, name) in workers.enumerated() { workerIndex[name] = index }

        // Prefix colours by first appearance in trace order.
        var prefixes: [String] = []
        var prefixLookup: [String: Int] = [:]
        prefixIndex = logs.tasks.map { task in
            if let index = prefixLookup[task.prefix] { return index }
            prefixLookup[task.prefix] = prefixes.count
            prefixes.append(task.prefix)
            return prefixes.count - 1
        }
        self.prefixes = prefixes

        // Tasks per worker in start order (ties by end, then row), then greedy thread assignment.
        var perWorker: [[Int]] = Array(repeating: [], count: workers.count)
        for (row, task) in logs.tasks.enumerated() {
            guard task.start != nil, task.end != nil, let worker = workerIndex[task.worker] else { continue }
            perWorker[worker].append(row)
        }
        var threadOfTask = [Int](repeating: -1, count: logs.tasks.count)
        var laneCount = [Int](repeating: 0, count: workers.count)
        for worker in workers.indices {
            perWorker[worker].sort { a, b in
                let ta = logs.tasks[a], tb = logs.tasks[b]
                if ta.start! != tb.start! { return ta.start! < tb.start! }
                if ta.end! != tb.end! { return ta.end! < tb.end! }
                return a < b
            }
            var freeAt: [Double] = []
            for row in perWorker[worker] {
                let task = logs.tasks[row]
                if let thread = freeAt.firstIndex(where: { $0 <= task.start! }) {
                    threadOfTask[row] = thread
                    freeAt[thread] = task.end!
                } else {
                    threadOfTask[row] = freeAt.count
                    freeAt.append(task.end!)
                }
            }
            laneCount[worker] = max(freeAt.count, threadsPerWorker[workers[worker]] ?? 0, 1)
        }
        var firstLane = [Int](repeating: 0, count: workers.count)
        var lanes: [Lane] = []
        for worker in workers.indices {
            firstLane[worker] = lanes.count
            for thread in 0..<laneCount[worker] { lanes.append(Lane(worker: workers[worker], thread: thread)) }
        }
        self.lanes = lanes

        var bars: [Bar] = []
        bars.reserveCapacity(logs.tasks.count)
        for (row, task) in logs.tasks.enumerated() where threadOfTask[row] >= 0 {
            let worker = workerIndex[task.worker]!
            bars.append(Bar(lane: firstLane[worker] + threadOfTask[row], start: task.start!, end: task.end!, kind: .task(row)))
        }

        // Transfers: rows that moved in one message share sender, receiver, start and end.
        struct MoveKey: Hashable { var from: String, to: String, start: Double, end: Double }
        var groupOf: [MoveKey: Int] = [:]
        var groups: [[Int]] = []
        var toClients = 0
        for (row, transfer) in logs.transfers.enumerated() {
            guard workerIndex[transfer.to] != nil else {
                toClients += 1
                continue
            }
            let key = MoveKey(from: transfer.from, to: transfer.to, start: transfer.start, end: transfer.end)
            if let group = groupOf[key] {
                groups[group].append(row)
            } else {
                groupOf[key] = groups.count
                groups.append([row])
            }
        }
        transfersToClients = toClients
        // A transfer goes on the lane of the thread that next starts a task on the receiver: the
        // task that was waiting for the data, which is where Dask's dashboard draws it.
        for rows in groups {
            let transfer = logs.transfers[rows[0]]
            let worker = workerIndex[transfer.to]!
            let order = perWorker[worker]
            var low = 0, high = order.count
            while low < high {
                let mid = (low + high) / 2
                if logs.tasks[order[mid]].start! < transfer.end { low = mid + 1 } else { high = mid }
            }
            let thread = low < order.count ? threadOfTask[order[low]] : 0
            bars.append(Bar(lane: firstLane[worker] + thread, start: transfer.start, end: transfer.end, kind: .transfer(rows)))
        }
        self.bars = bars
    }
}

/// Orders names so that embedded numbers compare by value: worker-2 < worker-10.
func naturalLess(_ a: String, _ b: String) -> Bool {
    let left = Array(a.utf8), right = Array(b.utf8)
    var i = 0, j = 0
    let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
    while i < left.count && j < right.count {
        let x = left[i], y = right[j]
        if (zero...nine).contains(x) && (zero...nine).contains(y) {
            var endI = i, endJ = j
            while endI < left.count && (zero...nine).contains(left[endI]) { endI += 1 }
            while endJ < right.count && (zero...nine).contains(right[endJ]) { endJ += 1 }
            let numberA = left[i..<endI].drop(while: { $0 == zero }), numberB = right[j..<endJ].drop(while: { $0 == zero })
            if numberA.count != numberB.count { return numberA.count < numberB.count }
            if !numberA.elementsEqual(numberB) { return numberA.lexicographicallyPrecedes(numberB) }
            i = endI
            j = endJ
        } else {
            if x != y { return x < y }
            i += 1
            j += 1
        }
    }
    if left.count - i != right.count - j { return left.count - i < right.count - j }
    return a < b
}

/// Threads per worker from a cluster spec such as `8x4` or `2x4@2.0,2x8:mem=4GiB`: workers are
/// named worker-0, worker-1, ... in group order. Nil when the spec is not in that form (a file).
public func threadsFromClusterSpec(_ spec: String) -> [String: Int]? {
    var result: [String: Int] = [:]
    var next = 0
    for group in spec.split(separator: ",") {
        let head = group.prefix { $0 != "@" && $0 != ":" }
        let parts = head.split(separator: "x")
        guard parts.count == 2, let count = Int(parts[0]), let threads = Int(parts[1]), count > 0, threads > 0,
              count <= 100_000 else { return nil }
        for _ in 0..<count {
            result["worker-\(next)"] = threads
            next += 1
        }
    }
    return result.isEmpty ? nil : result
}
