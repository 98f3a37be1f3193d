import OrderedCollections
import Stochastics
import Workload

/// Collects generated tasks and draws their durations and sizes from named
/// streams derived from the request's seed: `generate/<kind>/durations`,
/// `.../sizes` and `.../structure` (random shapes). Separate streams mean that
/// changing the size distribution does not change the durations or the shape.
struct GraphAssembler {
    let request: GeneratorRequest
    let durations: RandomStream
    let sizes: RandomStream
    let structure: RandomStream
    private var builder: WorkloadBuilder
    /// Dask's prefix per tuple-key name, computed once per name: `key_split`
    /// is string work that would otherwise dominate million-task graphs.
    private var prefixByGroup: [String: String] = [:]
    /// Hard limit on generated tasks, so a typo cannot exhaust memory.
    static let maximumTasks = 20_000_000

    init(_ request: GeneratorRequest) {
        self.request = request
        let base = "generate/\(request.kind)"
        durations = RandomStream(seed: request.seed, name: base + "/durations")
        sizes = RandomStream(seed: request.seed, name: base + "/sizes")
        structure = RandomStream(seed: request.seed, name: base + "/structure")
        builder = WorkloadBuilder(name: request.kind, source: request.summary)
        builder.metadata["generator"] = request.kind
        builder.metadata["seed"] = "\(request.seed)"
        builder.metadata["duration"] = "\(request.duration)"
        builder.metadata["size"] = "\(request.size)"
        for (name, value) in request.parameters { builder.metadata["param.\(name)"] = value }
    }

    var count: Int { builder.taskCount }

    /// A duration drawn from the request's distribution, clamped at 0 (normal
    /// draws can be negative).
    func drawDuration() -> Double {
        max(0, request.duration.sample(durations))
    }

    /// A size drawn from the request's distribution, rounded to whole bytes and clamped at 0.
    func drawSize() -> Int64 {
        let value = request.size.sample(sizes)
        guard value.isFinite, value > 0 else { return 0 }
        return Int64(min(value.rounded(), Double(WorkloadBuilder.maximumBytes)))
    }

    /// Adds one task. `prefix` defaults to Dask's `key_split(key)` and the group
    /// to `key_split_group(key)` (the tuple's name for a tuple key).
    mutating func add(
        _ key: String, duration: Double, output: Int64, dependencies: [String] = [],
        dependencyBytes: [Int64]? = nil, dependencyParts: [Int]? = nil, prefix: String? = nil,
        annotations: OrderedDictionary<String, String> = [:]
    ) {
        var group: String? = nil
        var prefix = prefix
        if let name = Self.tupleName(key) {
            group = name
            if prefix == nil {
                if let known = prefixByGroup[name] {
                    prefix = known
                } else {
                    let computed = KeyNames.keySplit(key)
                    prefixByGroup[name] = computed
                    prefix = computed
                }
            }
        }
        builder.add(
            TaskSpec(key: key, prefix: prefix, group: group, duration: duration, outputBytes: output,
                     dependencyBytes: dependencyBytes, dependencyParts: dependencyParts, annotations: annotations),
            dependencies: dependencies, origin: key)
    }

    /// `name` of a generated tuple key `('name', i, ...)`; nil for other keys.
    static func tupleName(_ key: String) -> String? {
        let utf8 = key.utf8
        guard utf8.count > 3, utf8.first == UInt8(ascii: "("),
              utf8[utf8.index(after: utf8.startIndex)] == UInt8(ascii: "'") else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: 2)
        guard let end = utf8[start...].firstIndex(of: UInt8(ascii: "'")) else { return nil }
        return String(key[start..<end])
    }

    static func checkSize(_ tasks: Int, _ kind: String) throws(GeneratorError) {
        if tasks > maximumTasks {
            throw GeneratorError("\(kind): these parameters give \(tasks) tasks, more than the limit of \(maximumTasks)")
        }
    }

    func build() throws(GeneratorError) -> Workload {
        do {
            return try builder.build()
        } catch {
            // Generators build valid graphs by construction; this is a bug, reported plainly.
            throw GeneratorError("\(request.kind): generated graph is invalid: \(error)")
        }
    }
}

/// Dask-like tokens: 32 hex digits, a pure function of the request and a name,
/// so keys are stable across runs and machines (FNV-1a 64, twice).
enum DaskToken {
    static func make(_ request: GeneratorRequest, _ name: String) -> String {
        let text = "\(request.kind)/\(request.seed)/\(name)"
        let a = fnv1a(text, basis: 0xcbf2_9ce4_8422_2325)
        let b = fnv1a(text, basis: 0x6c62_272e_07bb_0142)
        return hex16(a) + hex16(b)
    }

    private static func fnv1a(_ text: String, basis: UInt64) -> UInt64 {
        var hash = basis
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Dask's tuple-key repr: `('name-token', 1, 2)`.
@inline(__always)
func tupleKey(_ name: String, _ indices: Int...) -> String {
    var key = "('" + name + "'"
    for i in indices { key += ", " + String(i) }
    return key + ")"
}
