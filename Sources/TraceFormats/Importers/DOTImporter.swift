import OrderedCollections
import Workload

/// Reads task graphs in Graphviz DOT as daggen (`--dot`) and SimGrid write them:
///
///     digraph G {
///       1 [size="2e9", alpha="0.05"]
///       2 [size="1.5e9", alpha="0.1"]
///       1 -> 2 [size="8e6"]
///     }
///
/// Node `size` is an amount of work in flops; its duration is
/// `size / flopsPerSecond` (or `duration`/`runtime` in seconds when a tool
/// writes that instead). Edge `size` is the bytes the edge carries: it becomes
/// the per-edge size (`dependencyBytes`), and a node's output size is its largest
/// outgoing edge, since Dask sends one object to every dependent. Keys are the
/// node names; other attributes (e.g. daggen's Amdahl `alpha`) are kept as
/// annotations. A node without a work attribute gets duration 0 and a warning.
public struct DOTImporter: TraceImporter {
    /// Speed used to turn flops into seconds. The default, 1 Gflop/s, matches
    /// the unit daggen's sizes are usually read in.
    public var flopsPerSecond: Double

    public init(flopsPerSecond: Double = 1e9) {
        self.flopsPerSecond = flopsPerSecond
    }

    public var name: String { "dot" }
    public var summary: String { "Graphviz DOT task graphs as daggen and SimGrid write them" }

    public func detect(prefix: ArraySlice<UInt8>, path: String) -> Bool {
        if path.lowercased().hasSuffix(".dot") || path.lowercased().hasSuffix(".gv") { return true }
        let text = String(decoding: prefix.prefix(1024), as: UTF8.self)
        let head = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return head.hasPrefix("digraph") || head.hasPrefix("strict digraph")
    }

    /// Reads a whole file for the format registry.
    public func read(bytes: [UInt8], path: String) throws -> LoadedTrace {
        try importTrace(bytes: bytes, path: path).loaded(format: name, path: path)
    }

    /// Reads a whole file, keeping the warnings' codes and counts.
    public func importTrace(bytes: [UInt8], path: String) throws(TraceImportError) -> ImportedTrace {
        let text = try TextInput.decode(bytes, file: path)
        var parser = try DOTParser(text: text, file: path)
        let graph = try parser.parse()
        var warnings = ImportWarnings()
        guard !graph.nodes.isEmpty else {
            throw TraceImportError(file: path, place: "", "the graph has no nodes")
        }

        func number(_ text: String, _ what: String, _ place: String, limit: Double) throws(TraceImportError) -> Double {
            guard let value = Double(text.trimmedBlanks), value.isFinite, value >= 0, value <= limit else {
                let bound = limit < 1e18 ? String(Int64(limit)) : "\(limit)"
                throw TraceImportError(file: path, place: place, "\(what) '\(text)' is not a number in 0...\(bound)")
            }
            return value
        }

        // Dependencies per node (first edge per pair wins), with their bytes.
        var dependencies: [String: [(String, Int64)]] = [:]
        var seenPairs = Set<[String]>()
        var largestOut: [String: Int64] = [:]
        for edge in graph.edges {
            guard seenPairs.insert([edge.from, edge.to]).inserted else {
                warnings.add("duplicate-edge", "edge \(edge.from) -> \(edge.to) appears more than once; the first is used", at: edge.place)
                continue
            }
            var bytes: Int64 = 0
            if let text = edge.attributes["size"] {
                bytes = Int64(try number(text, "edge \(edge.from) -> \(edge.to): size", edge.place,
                                         limit: Double(WorkloadBuilder.maximumBytes)))
            } else {
                warnings.add("edge-without-size", "edge \(edge.from) -> \(edge.to) has no size; 0 bytes assumed", at: edge.place)
            }
            dependencies[edge.to, default: []].append((edge.from, bytes))
            largestOut[edge.from] = max(largestOut[edge.from] ?? 0, bytes)
        }

        var builder = WorkloadBuilder(name: TextInput.stem(path), source: path)
        builder.metadata["format"] = "dot"
        if !graph.name.isEmpty { builder.metadata["dot.name"] = graph.name }
        builder.metadata["dot.flops_per_second"] = "\(flopsPerSecond)"
        for (key, node) in graph.nodes {
            var duration = 0.0
            if let size = node.attributes["size"] {
                duration = try number(size, "node \(key): size", node.place, limit: 1e30) / flopsPerSecond
            } else if let seconds = node.attributes["duration"] ?? node.attributes["runtime"] {
                duration = try number(seconds, "node \(key): duration", node.place, limit: WorkloadBuilder.maximumDuration)
            } else {
                warnings.add("node-without-size", "node \(key) has no size (flops); duration 0 assumed", at: node.place)
            }
            var annotations: OrderedDictionary<String, String> = [:]
            for name in node.attributes.keys.sorted() where !["size", "duration", "runtime", "label"].contains(name) {
                annotations[name] = node.attributes[name]
            }
            let deps = dependencies[key] ?? []
            builder.add(
                TaskSpec(key: key, duration: duration, outputBytes: largestOut[key] ?? 0,
                         dependencyBytes: deps.map(\.1), annotations: annotations),
                dependencies: deps.map(\.0), origin: node.place)
        }
        do {
            return ImportedTrace(workload: try builder.build(), warnings: warnings.list)
        } catch {
            throw TraceImportError(error)
        }
    }
}
