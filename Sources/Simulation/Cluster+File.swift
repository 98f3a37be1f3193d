import Foundation
import Messages
import Yams

extension Cluster {
    /// Reads a cluster file (JSON, or YAML when the name ends in `.yaml`/`.yml`)
    /// for heterogeneous clusters and racks:
    ///
    ///     {
    ///       "workers": [
    ///         {"count": 4, "nthreads": 8, "speed": 2.0, "memory_limit": "16GiB",
    ///          "host": "gpu-node", "rack": "rack-a", "resources": {"GPU": 2}},
    ///         {"count": 8, "nthreads": 4, "rack": "rack-b", "name": "cpu"}
    ///       ],
    ///       "network": {
    ///         "model": "maxmin",
    ///         "same_host":  {"latency": "20us",  "bandwidth": "4GB/s"},
    ///         "same_rack":  {"latency": "100us", "bandwidth": "1.25GB/s"},
    ///         "cross_rack": {"latency": "250us", "bandwidth": "1.25GB/s"},
    ///         "host_uplink": "10Gbit/s", "host_downlink": "10Gbit/s"
    ///       }
    ///     }
    ///
    /// A group without `host` gives each worker its own host (`host-N`); with
    /// `host`, all `count` workers of the group share that host. `name` with
    /// `count > 1` becomes `name-0`, `name-1`, ...; without it, `worker-N`.
    ///
    /// The same description in YAML reads `workers:` as a list of mappings with
    /// the same field names; it is converted to the JSON value above, so both
    /// spellings are checked by one parser and give the same cluster.
    public static func load(file path: String) throws(ClusterSpecError) -> Cluster {
        // A cluster description is a few KiB; 64 MiB is a wrong file.
        var data: Data
        do { data = try SpecFile.read(path, limit: SimulationLimits.maximumFileBytes, kind: "cluster") } catch {
            throw ClusterSpecError(source: path, place: "", error.message)
        }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") {
            data = try jsonData(fromYAML: data, source: path)
        }
        let root: Any
        do { root = try SpecFile.jsonObject(data) } catch {
            throw ClusterSpecError(source: "\(path):\(error.location)", place: "", error.message)
        }
        return try parse(json: root, source: path)
    }

    /// Converts a YAML document to JSON bytes, so YAML and JSON cluster files go
    /// through the same parser and the same error messages.
    static func jsonData(fromYAML data: Data, source: String) throws(ClusterSpecError) -> Data {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ClusterSpecError(source: source, place: "", "not UTF-8 text")
        }
        // YAML aliases let a few lines stand for billions of nodes ("billion
        // laughs"), and Yams expands them while loading; a cluster description
        // never needs one, so any alias outside a quoted string is refused first.
        if let line = aliasLine(text) {
            throw ClusterSpecError(source: source, place: "line \(line)", "YAML aliases (*name) are not allowed in cluster files")
        }
        let value: Any?
        do {
            value = try Yams.load(yaml: text)
        } catch {
            throw ClusterSpecError(source: source, place: "", "not valid YAML (\(error))")
        }
        // Aliases let a few lines stand for billions of nodes ("billion
        // laughs"); count the expanded nodes, stopping at the limit, before
        // anything copies them.
        var budget = 1_000_000
        if let value, !withinNodeBudget(value, budget: &budget, depth: 0) {
            throw ClusterSpecError(source: source, place: "", "YAML expands to more than 1,000,000 nodes or nests deeper than 64 levels (aliases?); refused")
        }
        guard let value, JSONSerialization.isValidJSONObject(value) else {
            throw ClusterSpecError(source: source, place: "$", "expected a YAML mapping with `workers:`")
        }
        do {
            return try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        } catch {
            throw ClusterSpecError(source: source, place: "$", "cannot be represented as a cluster description (\(error))")
        }
    }

    /// The 1-based line of the first YAML alias (`*name` after a blank, `[`,
    /// `,`, `:` or `-`, outside quotes and comments), if any.
    static func aliasLine(_ text: String) -> Int? {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var quote: Character? = nil
            var previous: Character = " "
            for c in line {
                if let q = quote { if c == q { quote = nil }; previous = c; continue }
                if c == "#" && (previous == " " || previous == "\t") { break }
                if c == "\"" || c == "'" { quote = c }
                if c == "*" && " \t[,:-{".contains(previous) { return number + 1 }
                previous = c
            }
        }
        return nil
    }

    /// Whether a decoded YAML value has at most `budget` nodes and 64 levels.
    static func withinNodeBudget(_ value: Any, budget: inout Int, depth: Int) -> Bool {
        budget -= 1
        guard budget >= 0, depth <= 64 else { return false }
        if let array = value as? [Any] {
            for item in array where !withinNodeBudget(item, budget: &budget, depth: depth + 1) { return false }
        } else if let object = value as? [String: Any] {
            for item in object.values where !withinNodeBudget(item, budget: &budget, depth: depth + 1) { return false }
        }
        return true
    }

    /// Builds a cluster from an already-decoded JSON value (see `load(file:)`).
    public static func parse(json root: Any, source: String) throws(ClusterSpecError) -> Cluster {
        func fail(_ place: String, _ message: String) -> ClusterSpecError {
            ClusterSpecError(source: source, place: place, message)
        }
        guard let object = root as? [String: Any] else { throw fail("$", "expected a JSON object") }
        for key in object.keys.sorted() where key != "workers" && key != "network" {
            throw fail("$.\(key)", "unknown field (known: workers, network)")
        }
        var network = NetworkConfig()
        if let rawNetwork = object["network"] {
            network = try parseNetwork(rawNetwork, source: source)
        }
        var cluster = Cluster(label: source, network: network)
        guard let groups = object["workers"] as? [Any], !groups.isEmpty else {
            throw fail("$.workers", "expected a non-empty array of worker groups")
        }
        var ownHosts = 0
        var names: Set<String> = []
        let known: Set<String> = ["count", "nthreads", "speed", "memory_limit", "host", "rack", "name", "resources"]
        for (g, rawGroup) in groups.enumerated() {
            let place = "$.workers[\(g)]"
            guard let group = rawGroup as? [String: Any] else { throw fail(place, "expected an object") }
            for key in group.keys.sorted() where !known.contains(key) {
                throw fail("\(place).\(key)", "unknown field (known: \(known.sorted().joined(separator: ", ")))")
            }
            let count = try integer(group["count"], default: 1, place: "\(place).count", source: source)
            guard count > 0, count <= SimulationLimits.maximumWorkers - cluster.workers.count else {
                throw fail("\(place).count", "must be between 1 and \(SimulationLimits.maximumWorkers) (workers of all groups together)")
            }
            guard group["nthreads"] != nil else { throw fail("\(place).nthreads", "missing (threads per worker)") }
            let threads = try integer(group["nthreads"], default: 1, place: "\(place).nthreads", source: source)
            guard threads > 0 else { throw fail("\(place).nthreads", "must be a positive integer") }
            guard threads <= SimulationLimits.maximumThreads else {
                throw fail("\(place).nthreads", "\(threads) is above the limit of \(SimulationLimits.maximumThreads) threads per worker")
            }
            var speed = 1.0
            if let rawSpeed = group["speed"] {
                guard let value = number(rawSpeed), value.isFinite, value > 0 else {
                    throw fail("\(place).speed", "must be a positive number")
                }
                guard SimulationLimits.speeds.contains(value) else {
                    throw fail("\(place).speed", "\(value) is outside \(SimulationLimits.speeds)")
                }
                speed = value
            }
            var memory: Int64 = 0
            if let rawMemory = group["memory_limit"] {
                if let text = rawMemory as? String, let bytes = Units.bytes(text) {
                    memory = bytes
                } else if let value = number(rawMemory), value >= 0, value < 9e18 {
                    memory = Int64(value)
                } else {
                    throw fail("\(place).memory_limit", "must be a size like \"4GiB\" or a number of bytes")
                }
            }
            var resources: [ResourceRequest] = []
            if let rawResources = group["resources"] {
                guard let dictionary = rawResources as? [String: Any] else {
                    throw fail("\(place).resources", "expected an object like {\"GPU\": 1}")
                }
                for name in dictionary.keys.sorted() {
                    guard let amount = number(dictionary[name] as Any), amount.isFinite, amount >= 0 else {
                        throw fail("\(place).resources.\(name)", "must be a number >= 0")
                    }
                    resources.append(ResourceRequest(name: name, amount: amount))
                }
            }
            let rack = try string(group["rack"], default: "rack-0", place: "\(place).rack", source: source)
            let sharedHost = try group["host"].map { (value: Any) throws(ClusterSpecError) -> String in
                try string(value, default: "", place: "\(place).host", source: source)
            }
            let baseName = try group["name"].map { (value: Any) throws(ClusterSpecError) -> String in
                try string(value, default: "", place: "\(place).name", source: source)
            }
            for i in 0..<count {
                let index = cluster.workers.count
                let name = baseName.map { count == 1 ? $0 : "\($0)-\(i)" } ?? "worker-\(index)"
                // A set, not a scan of the workers so far: a million workers took 5e11 comparisons.
                if !names.insert(name).inserted {
                    throw fail("\(place).name", "worker name '\(name)' is used twice")
                }
                let host: String
                if let sharedHost {
                    host = sharedHost
                } else {
                    host = "host-\(ownHosts)"
                    ownHosts += 1
                }
                if let existing = cluster.existingHostID(host), cluster.racks[cluster.rackOfHost[existing]] != rack {
                    throw fail("\(place).rack", "host '\(host)' is already in rack '\(cluster.racks[cluster.rackOfHost[existing]])'")
                }
                cluster.add(ClusterWorker(
                    name: name, host: host, rack: rack, nthreads: threads, speed: speed,
                    memoryLimit: memory, resources: resources))
            }
        }
        return cluster
    }

    static func parseNetwork(_ raw: Any, source: String) throws(ClusterSpecError) -> NetworkConfig {
        func fail(_ place: String, _ message: String) -> ClusterSpecError {
            ClusterSpecError(source: source, place: place, message)
        }
        guard let object = raw as? [String: Any] else { throw fail("$.network", "expected an object") }
        var config = NetworkConfig()
        let linkKeys: [(String, LinkClass)] = [("same_host", .sameHost), ("same_rack", .sameRack), ("cross_rack", .crossRack)]
        let known = Set(linkKeys.map(\.0) + ["model", "host_uplink", "host_downlink"])
        for key in object.keys.sorted() where !known.contains(key) {
            throw fail("$.network.\(key)", "unknown field (known: \(known.sorted().joined(separator: ", ")))")
        }
        if let model = object["model"] {
            guard let text = model as? String, let kind = NetworkModelKind(rawValue: text) else {
                throw fail("$.network.model", "must be \"simple\" or \"maxmin\"")
            }
            config.model = kind
        }
        for (key, link) in linkKeys {
            guard let rawLink = object[key] else { continue }
            let place = "$.network.\(key)"
            guard let linkObject = rawLink as? [String: Any] else { throw fail(place, "expected {\"latency\": ..., \"bandwidth\": ...}") }
            var parameters = config.parameters(link)
            for field in linkObject.keys.sorted() where field != "latency" && field != "bandwidth" {
                throw fail("\(place).\(field)", "unknown field (known: bandwidth, latency)")
            }
            if let latency = linkObject["latency"] {
                guard let text = latency as? String, let ns = Units.duration(text) else {
                    throw fail("\(place).latency", "must be a duration like \"100us\"")
                }
                guard ns <= SimulationLimits.maximumLatency else {
                    throw fail("\(place).latency", "'\(text)' is longer than one day (the limit)")
                }
                parameters.latency = ns
            }
            if let bandwidth = linkObject["bandwidth"] {
                guard let value = bandwidthValue(bandwidth) else {
                    throw fail("\(place).bandwidth", "must be a bandwidth of at least 1MB/s like \"1.25GB/s\"")
                }
                parameters.bandwidth = value
            }
            config.setParameters(link, parameters)
        }
        if let up = object["host_uplink"] {
            guard let value = bandwidthValue(up) else { throw fail("$.network.host_uplink", "must be a bandwidth of at least 1MB/s like \"10Gbit/s\"") }
            config.hostUplink = value
        }
        if let down = object["host_downlink"] {
            guard let value = bandwidthValue(down) else { throw fail("$.network.host_downlink", "must be a bandwidth of at least 1MB/s like \"10Gbit/s\"") }
            config.hostDownlink = value
        }
        return config
    }

    /// A bandwidth of at least `SimulationLimits.minimumBandwidth` (1 MB/s).
    private static func bandwidthValue(_ raw: Any) -> Double? {
        var value: Double? = nil
        if let text = raw as? String { value = Units.bandwidth(text) }
        else if let number = number(raw), number.isFinite, number > 0 { value = number }
        guard let value, value.isFinite, value >= SimulationLimits.minimumBandwidth else { return nil }
        return value
    }

    private static func number(_ raw: Any) -> Double? {
        // JSON numbers arrive as NSNumber (a JSON `true` would read as 1; harmless here).
        if let value = raw as? NSNumber { return value.doubleValue }
        return nil
    }

    private static func integer(_ raw: Any?, default value: Int, place: String, source: String) throws(ClusterSpecError) -> Int {
        guard let raw else { return value }
        guard let number = number(raw), number == number.rounded(), abs(number) < 1e15 else {
            throw ClusterSpecError(source: source, place: place, "must be an integer")
        }
        return Int(number)
    }

    private static func string(_ raw: Any?, default value: String, place: String, source: String) throws(ClusterSpecError) -> String {
        guard let raw else { return value }
        guard let text = raw as? String, !text.isEmpty else {
            throw ClusterSpecError(source: source, place: place, "must be a non-empty string")
        }
        return text
    }
}
