import OrderedCollections
import Stochastics
import Workload

/// A task graph in Estee's model (tasks with several output objects, consumers
/// naming the objects they read), turned into schedsim's one-output-per-task
/// model: a task's output size is the sum of its objects, and each edge carries
/// the objects the consumer reads (`dependencyBytes`), labelled by which
/// objects they are (`dependencyParts`). Estee sizes are MiB.
struct EsteeGraph {
    struct Task {
        var name: String
        var duration: Double
        /// Output object sizes in MiB.
        var outputs: [Double]
        var cpus: Int
        /// (producer, output index) pairs, or index nil for "the producer's only output".
        var inputs: [(Int, Int?)] = []
    }

    var tasks: [Task] = []
    let durations: RandomStream
    let sizes: RandomStream
    let structure: RandomStream

    init(_ assembler: GraphAssembler) {
        durations = assembler.durations
        sizes = assembler.sizes
        structure = assembler.structure
    }

    /// Estee's `normal(loc, scale)`: a normal draw clamped at 1e-7.
    func normal(_ mean: Double, _ sd: Double, sizes useSizes: Bool = false) -> Double {
        max(0.0000001, Distribution.normal(mean: mean, sd: sd).sample(useSizes ? sizes : durations))
    }

    /// Estee's `exponential(scale)`: an exponential draw of that mean, clamped at 1e-7.
    func exponential(_ mean: Double) -> Double {
        max(0.0000001, Distribution.exponential(mean: mean).sample(durations))
    }

    @discardableResult
    mutating func task(_ name: String, _ duration: Double, outputs: [Double] = [], cpus: Int = 1) -> Int {
        tasks.append(Task(name: name, duration: duration, outputs: outputs, cpus: cpus))
        return tasks.count - 1
    }

    mutating func input(_ consumer: Int, _ producer: Int, output: Int? = nil) {
        tasks[consumer].inputs.append((producer, output))
    }

    /// Dask-like prefix of an Estee name: the name up to its first digit
    /// (`a12` -> `a`, `merge3` -> `merge`, `cat` -> `cat`).
    static func prefix(_ name: String) -> String {
        var text = String(name.prefix { !$0.isNumber })
        while text.hasSuffix("-") { text.removeLast() }
        return text.isEmpty ? "task" : text
    }

    static let mebibyte = 1024.0 * 1024.0

    /// Adds the graph to `g`, keyed `('<prefix>-<token>', i)` with i counting per prefix.
    func emit(into g: inout GraphAssembler, request: GeneratorRequest) {
        var counters: [String: Int] = [:]
        var keys: [String] = []
        keys.reserveCapacity(tasks.count)
        for task in tasks {
            let prefix = Self.prefix(task.name)
            let index = counters[prefix, default: 0]
            counters[prefix] = index + 1
            keys.append(tupleKey(prefix + "-" + DaskToken.make(request, prefix), index))
        }
        // Per producer: the distinct sets of its objects that consumers read, labelled 0, 1, …
        // in first-use order (`TaskSpec.dependencyParts`); only looked up, never iterated.
        var partLabels = [[[Int]: Int]](repeating: [:], count: tasks.count)
        for (i, task) in tasks.enumerated() {
            var producers = OrderedDictionary<Int, Double>()
            var objects = OrderedDictionary<Int, [Int]>()  // -1: the producer's whole output
            for (producer, output) in task.inputs {
                let outs = tasks[producer].outputs
                let mib = output.map { outs.indices.contains($0) ? outs[$0] : 0 } ?? outs.reduce(0, +)
                producers[producer, default: 0] += mib
                objects[producer, default: []].append(output ?? -1)
            }
            let labels = objects.elements.map { producer, read in
                let set = Array(Set(read)).sorted()
                if let label = partLabels[producer][set] { return label }
                partLabels[producer][set] = partLabels[producer].count
                return partLabels[producer].count - 1
            }
            var annotations: OrderedDictionary<String, String> = ["estee.name": task.name]
            if task.cpus != 1 { annotations["cpus"] = "\(task.cpus)" }
            g.add(keys[i], duration: task.duration, output: Self.bytes(task.outputs.reduce(0, +)),
                  dependencies: producers.keys.map { keys[$0] },
                  dependencyBytes: producers.values.map(Self.bytes), dependencyParts: labels,
                  prefix: Self.prefix(task.name), annotations: annotations)
        }
    }

    static func bytes(_ mib: Double) -> Int64 {
        Int64((max(0, mib) * mebibyte).rounded())
    }
}
