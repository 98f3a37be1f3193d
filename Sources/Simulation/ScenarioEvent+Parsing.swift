import Foundation
import Messages

/// A problem in a `--event` flag or scenario file, naming where it is.
public struct ScenarioSpecError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var place: String
    public var message: String

    public var description: String { place.isEmpty ? "\(source): \(message)" : "\(source): \(place): \(message)" }
}

extension ScenarioEvent {
    /// Parses one `--event` flag:
    ///
    ///     kill:worker-1@10s       the worker dies at 10 s
    ///     retire:worker-2@20s     graceful retirement at 20 s
    ///     pause:worker-0@1s       / unpause:worker-0@5s
    ///     slow:worker-0@5s*0.5    from 5 s on, worker-0 runs at half speed
    ///     add:2x4@30s             two 4-thread workers join at 30 s (compact cluster syntax)
    ///
    /// Times take the units of `Units.duration` (a bare number is seconds).
    /// `add` names the new workers `worker-N` after the `existing` ones.
    public static func parse(flag text: String, existing: Int) throws(ScenarioSpecError) -> [ScenarioEvent] {
        let source = "--event '\(text)'"
        func fail(_ message: String) -> ScenarioSpecError { ScenarioSpecError(source: source, place: "", message: message) }
        let kindAndRest = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard kindAndRest.count == 2 else { throw fail("expected KIND:TARGET@TIME, e.g. kill:worker-1@10s") }
        let kind = String(kindAndRest[0]).lowercased()
        let targetAndTime = kindAndRest[1].split(separator: "@", omittingEmptySubsequences: false)
        guard targetAndTime.count == 2, !targetAndTime[0].isEmpty else { throw fail("expected TARGET@TIME after '\(kind):'") }
        let target = String(targetAndTime[0])
        var timeText = String(targetAndTime[1])
        var factor: Double?
        if kind == "slow" {
            let parts = timeText.split(separator: "*", omittingEmptySubsequences: false)
            guard parts.count == 2, let value = Double(parts[1]), value > 0, value.isFinite else {
                throw fail("slow needs a positive factor: slow:WORKER@TIME*FACTOR, e.g. slow:worker-0@5s*0.5")
            }
            guard SimulationLimits.speeds.contains(value) else {
                throw fail("slow factor \(value) is outside \(SimulationLimits.speeds)")
            }
            factor = value
            timeText = String(parts[0])
        }
        guard let ns = Units.duration(timeText) else { throw fail("time '\(timeText)' is not a duration like 10s or 250ms") }
        let time = Time(nanoseconds: ns)
        switch kind {
        case "kill": return [ScenarioEvent(time: time, action: .kill(worker: target))]
        case "retire": return [ScenarioEvent(time: time, action: .retire(worker: target))]
        case "pause": return [ScenarioEvent(time: time, action: .pause(worker: target))]
        case "unpause": return [ScenarioEvent(time: time, action: .unpause(worker: target))]
        case "slow": return [ScenarioEvent(time: time, action: .slow(worker: target, factor: factor ?? 1))]
        case "add":
            let group: Cluster
            do {
                group = try Cluster.parse(flag: target)
            } catch {
                throw ScenarioSpecError(source: source, place: error.place, message: error.message)
            }
            return group.workers.enumerated().map { i, worker in
                var renamed = worker
                renamed.name = "worker-\(existing + i)"
                renamed.host = "added-host-\(existing + i)"
                return ScenarioEvent(time: time, action: .addWorker(renamed))
            }
        default:
            throw fail("unknown event '\(kind)' (known: add, kill, pause, retire, slow, unpause)")
        }
    }

    /// Reads a scenario file (JSON):
    ///
    ///     {"events": [
    ///       {"time": "10s", "kill": "worker-1"},
    ///       {"time": 20, "retire": "worker-2"},
    ///       {"time": "1s", "pause": "worker-0"}, {"time": "5s", "unpause": "worker-0"},
    ///       {"time": "5s", "slow": "worker-0", "factor": 0.5},
    ///       {"time": "30s", "add_worker": {"name": "extra", "nthreads": 4, "speed": 1.5,
    ///                                      "host": "h9", "rack": "rack-1", "memory_limit": "8GiB"}}
    ///     ]}
    public static func load(file path: String) throws(ScenarioSpecError) -> [ScenarioEvent] {
        // A scenario is a list of events, a few KiB; the cluster file's 64 MiB limit,
        // checked on the size on disk before the read, stops a wrong file early.
        let data: Data
        do { data = try SpecFile.read(path, limit: SimulationLimits.maximumFileBytes, kind: "scenario") } catch {
            throw ScenarioSpecError(source: path, place: "", message: error.message)
        }
        let root: Any
        do { root = try SpecFile.jsonObject(data) } catch {
            throw ScenarioSpecError(source: "\(path):\(error.location)", place: "", message: error.message)
        }
        return try parse(json: root, source: path)
    }

    public static func parse(json root: Any, source: String) throws(ScenarioSpecError) -> [ScenarioEvent] {
        func fail(_ place: String, _ message: String) -> ScenarioSpecError {
            ScenarioSpecError(source: source, place: place, message: message)
        }
        guard let object = root as? [String: Any], let list = object["events"] as? [Any] else {
            throw fail("$", "expected {\"events\": [...]}")
        }
        var events: [ScenarioEvent] = []
        let actions = ["kill", "retire", "pause", "unpause", "slow", "add_worker"]
        for (i, raw) in list.enumerated() {
            let place = "$.events[\(i)]"
            guard let entry = raw as? [String: Any] else { throw fail(place, "expected an object") }
            let time: Time
            if let text = entry["time"] as? String, let ns = Units.duration(text) {
                time = Time(nanoseconds: ns)
            } else if let number = entry["time"] as? NSNumber, number.doubleValue >= 0, number.doubleValue.isFinite {
                time = Time(seconds: number.doubleValue)
            } else {
                throw fail("\(place).time", "must be a duration like \"10s\" or a number of seconds >= 0")
            }
            let present = actions.filter { entry[$0] != nil }
            guard present.count == 1, let action = present.first else {
                throw fail(place, "needs exactly one of \(actions.joined(separator: ", "))")
            }
            let known = Set(["time", action] + (action == "slow" ? ["factor"] : []))
            for key in entry.keys.sorted() where !known.contains(key) {
                throw fail("\(place).\(key)", "unknown field for a '\(action)' event")
            }
            if action == "add_worker" {
                guard let spec = entry[action] as? [String: Any] else { throw fail("\(place).add_worker", "expected an object") }
                var group = spec
                group["count"] = 1
                let parsed: Cluster
                do {
                    parsed = try Cluster.parse(json: ["workers": [group]], source: source)
                } catch {
                    throw fail("\(place).add_worker", error.message + " (\(error.place))")
                }
                var worker = parsed.workers[0]
                if spec["name"] == nil { worker.name = "added-\(i)" }
                if spec["host"] == nil { worker.host = "added-host-\(i)" }
                events.append(ScenarioEvent(time: time, action: .addWorker(worker)))
                continue
            }
            guard let name = entry[action] as? String, !name.isEmpty else { throw fail("\(place).\(action)", "must be a worker name") }
            switch action {
            case "kill": events.append(ScenarioEvent(time: time, action: .kill(worker: name)))
            case "retire": events.append(ScenarioEvent(time: time, action: .retire(worker: name)))
            case "pause": events.append(ScenarioEvent(time: time, action: .pause(worker: name)))
            case "unpause": events.append(ScenarioEvent(time: time, action: .unpause(worker: name)))
            default:
                guard let factor = (entry["factor"] as? NSNumber)?.doubleValue, factor > 0, factor.isFinite else {
                    throw fail("\(place).factor", "a slow event needs a positive number 'factor'")
                }
                guard SimulationLimits.speeds.contains(factor) else {
                    throw fail("\(place).factor", "\(factor) is outside \(SimulationLimits.speeds)")
                }
                events.append(ScenarioEvent(time: time, action: .slow(worker: name, factor: factor)))
            }
        }
        return events
    }
}
