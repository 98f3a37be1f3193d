import Messages
import Workload

/// The scheduler's configuration, with Dask's names and defaults
/// (`distributed.scheduler.*` in `distributed.yaml`).
///
/// Every value can be set by its Dask name, as a command line `--set name=value` does:
///
///     var config = SchedulerConfig()
///     try config.set("worker-saturation", "2.0")
///     try config.set("unknown-task-duration", "1h")
///     try config.set("default-task-durations", "inc=100ms,rechunk-split=1us")
///
/// Durations accept `ns`, `us`, `ms`, `s`, `m`/`minutes`, `h` (a bare number is seconds);
/// sizes accept `B`, `kB`, `KiB`, `MB`, `MiB`, `GB`, `GiB` (a bare number is bytes).
public struct SchedulerConfig: Sendable, Hashable {
    /// `worker-saturation` (1.1): root-ish tasks sent per worker are at most
    /// `max(ceil(worker-saturation × nthreads), 1)`; `inf` disables queuing and
    /// switches root-ish placement to co-assignment.
    public var workerSaturation: Double = 1.1
    /// `unknown-task-duration` (500 ms): estimate for a prefix never seen finishing.
    public var unknownTaskDuration: Time = .milliseconds(500)
    /// `default-task-durations`: initial estimates per prefix. Dask ships the
    /// shuffle split prefixes at 1 µs; those (≤ 1 ms) are never stolen. The part
    /// tasks of split partial reads get no entry: their prefixes come from their
    /// keys (`P-part`), which Dask has no default for either.
    public var defaultTaskDurations: [String: Time] = [
        "rechunk-split": Time(nanoseconds: 1_000), "split-shuffle": Time(nanoseconds: 1_000),
        "split-taskshuffle": Time(nanoseconds: 1_000), "split-stage": Time(nanoseconds: 1_000),
    ]
    /// `default-data-size` (1 KiB): size assumed for a result whose size is not known yet.
    public var defaultDataSize: Int64 = 1024
    /// `bandwidth` (100 MB/s): the initial network bandwidth estimate, bytes per second.
    public var bandwidth: Double = 100_000_000
    /// `rootish-taskgroup` (5): a root-ish group has fewer dependency groups than this.
    public var rootishTaskgroup: Int = 5
    /// `rootish-taskgroup-dependencies` (5): and fewer tasks in its dependency groups than this.
    public var rootishTaskgroupDependencies: Int = 5
    /// `work-stealing` (true).
    public var workStealing: Bool = true
    /// `work-stealing-interval` (1 s): how often the driver should send `.balance`.
    public var workStealingInterval: Time = .seconds(1)
    /// `allowed-failures` (3): a task processing on more than this many dying
    /// workers errs with `KilledWorker`.
    public var allowedFailures: Int = 3
    /// `validate` (false): run `_checkInvariants()` after every stimulus and trap on a violation.
    public var validate: Bool = false
    /// `record-transitions` (true; schedsim's own): append a `TransitionRecord`
    /// per transition to `transitionLog` (Dask keeps the last
    /// `admin.low-level-log-length` = 1000; we keep all until drained).
    public var recordTransitions: Bool = true
    /// `fifo-timeout` (100 ms; the client's `fifo_timeout` of `submit`/`map`):
    /// a graph arriving more than this after the previous new generation starts a new one.
    public var fifoTimeout: Time = .milliseconds(100)
    /// `worker-memory-terminate` (0.95; `distributed.worker.memory.terminate`):
    /// when not 0, a task whose inputs exceed its worker's memory limit errs with
    /// `MemoryError` instead of being sent (Dask's huge-task guard).
    public var workerMemoryTerminate: Double = 0.95
    /// `no-workers-timeout` (null): fail tasks that waited longer than this for a
    /// valid worker (`NoValidWorkerError`) or for any running worker (`NoWorkerError`).
    /// Checked after every stimulus (Dask: every 250 ms).
    public var noWorkersTimeout: Time? = nil
    /// `stealing-order-salt` (0; schedsim's own): salts the hash that stands in for
    /// Python's set order when work stealing walks one cost level
    /// (`WorkStealing.orderHash(key:salt:)`). The scheduler has no run seed of its
    /// own; changing the salt gives another, equally deterministic, "random" order.
    public var stealingOrderSalt: UInt64 = SchedulerConfig.defaultStealingOrderSalt
    /// The default `stealing-order-salt`.
    public static let defaultStealingOrderSalt: UInt64 = 0

    public init() {}

    /// Every name `set` accepts, in documentation order.
    public static let names: [String] = [
        "worker-saturation", "unknown-task-duration", "default-task-durations", "default-data-size",
        "bandwidth", "rootish-taskgroup", "rootish-taskgroup-dependencies", "work-stealing",
        "work-stealing-interval", "allowed-failures", "validate", "record-transitions",
        "fifo-timeout", "worker-memory-terminate", "no-workers-timeout", "stealing-order-salt",
    ]

    /// Sets one value by its Dask name (the `distributed.scheduler.` prefix is optional).
    public mutating func set(_ name: String, _ value: String) throws(SchedulerConfigError) {
        var key = name.trimmingSpaces()
        for prefix in ["distributed.scheduler.", "scheduler."] where key.hasPrefix(prefix) {
            key = String(key.dropFirst(prefix.count))
        }
        let text = value.trimmingSpaces()
        func fail(_ expected: String) -> SchedulerConfigError {
            SchedulerConfigError(name: name, value: value, problem: "expected \(expected)")
        }
        switch key {
        case "worker-saturation":
            guard let v = ConfigParsing.double(text), v > 0 else { throw fail("a number > 0 or 'inf'") }
            workerSaturation = v
        case "unknown-task-duration":
            guard let t = ConfigParsing.duration(text) else { throw fail("a duration such as 500ms") }
            unknownTaskDuration = t
        case "default-task-durations":
            var table: [String: Time] = [:]
            for item in text.split(separator: ",") where !item.trimmingSpaces().isEmpty {
                let parts = item.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let t = ConfigParsing.duration(parts[1].trimmingSpaces()) else {
                    throw fail("prefix=duration pairs separated by commas, e.g. inc=100ms,sum=1s")
                }
                table[parts[0].trimmingSpaces()] = t
            }
            defaultTaskDurations = table
        case "default-data-size":
            guard let b = ConfigParsing.bytes(text) else { throw fail("a size such as 1kiB") }
            defaultDataSize = b
        case "bandwidth":
            guard let b = ConfigParsing.bytes(text), b > 0 else { throw fail("bytes per second > 0, e.g. 100MB") }
            bandwidth = Double(b)
        case "rootish-taskgroup":
            guard let v = Int(text), v >= 0 else { throw fail("an integer >= 0") }
            rootishTaskgroup = v
        case "rootish-taskgroup-dependencies":
            guard let v = Int(text), v >= 0 else { throw fail("an integer >= 0") }
            rootishTaskgroupDependencies = v
        case "work-stealing":
            guard let v = ConfigParsing.bool(text) else { throw fail("true or false") }
            workStealing = v
        case "work-stealing-interval":
            guard let t = ConfigParsing.duration(text), t > .zero else { throw fail("a duration > 0 such as 1s") }
            workStealingInterval = t
        case "allowed-failures":
            guard let v = Int(text), v >= 0 else { throw fail("an integer >= 0") }
            allowedFailures = v
        case "validate":
            guard let v = ConfigParsing.bool(text) else { throw fail("true or false") }
            validate = v
        case "record-transitions":
            guard let v = ConfigParsing.bool(text) else { throw fail("true or false") }
            recordTransitions = v
        case "fifo-timeout":
            guard let t = ConfigParsing.duration(text) else { throw fail("a duration such as 100ms") }
            fifoTimeout = t
        case "worker-memory-terminate":
            if let b = ConfigParsing.bool(text), !b {
                workerMemoryTerminate = 0
            } else {
                guard let v = ConfigParsing.double(text), v >= 0, v.isFinite else { throw fail("a fraction such as 0.95, or false") }
                workerMemoryTerminate = v
            }
        case "no-workers-timeout":
            if ["null", "none", "", "off"].contains(text.lowercased()) {
                noWorkersTimeout = nil
            } else {
                guard let t = ConfigParsing.duration(text) else { throw fail("a duration such as 10s, or null") }
                noWorkersTimeout = t
            }
        case "stealing-order-salt":
            guard let v = UInt64(text) else { throw fail("an unsigned 64-bit integer") }
            stealingOrderSalt = v
        default:
            throw SchedulerConfigError(
                name: name, value: value,
                problem: "unknown scheduler setting; known: \(Self.names.joined(separator: ", "))")
        }
    }

    /// The duration estimate Dask starts a prefix with, if configured.
    func defaultDuration(prefix: String) -> Time? { defaultTaskDurations[prefix] }
}

/// A bad `--set name=value` for the scheduler.
public struct SchedulerConfigError: Error, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String
    public var problem: String
    public var description: String { "scheduler setting '\(name)=\(value)': \(problem)" }
}

/// Parsers for Dask-style config values (`parse_timedelta`, `parse_bytes`).
enum ConfigParsing {
    static func double(_ text: String) -> Double? {
        let t = text.lowercased()
        if t == "inf" || t == "infinity" || t == ".inf" { return .infinity }
        guard let v = Double(t), !v.isNaN else { return nil }
        return v
    }

    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }

    /// Splits "500ms" into (500, "ms"); spaces between are allowed.
    static func numberAndUnit(_ text: String) -> (Double, String)? {
        let chars = Array(text)
        var i = 0
        while i < chars.count, chars[i].isNumber || chars[i] == "." || chars[i] == "e" || chars[i] == "E"
            || ((chars[i] == "-" || chars[i] == "+") && (i == 0 || chars[i - 1] == "e" || chars[i - 1] == "E")) {
            // an "e" followed by a letter that is not a digit is the start of a unit, not an exponent
            if (chars[i] == "e" || chars[i] == "E"), i + 1 < chars.count, !(chars[i + 1].isNumber || chars[i + 1] == "-" || chars[i + 1] == "+") { break }
            i += 1
        }
        guard i > 0, let number = Double(String(chars[0..<i])), number.isFinite else { return nil }
        let unit = String(chars[i...]).trimmingSpaces().lowercased()
        return (number, unit)
    }

    static func duration(_ text: String) -> Time? {
        guard let (number, unit) = numberAndUnit(text), number >= 0 else { return nil }
        let scale: Double
        switch unit {
        case "ns", "nanoseconds": scale = 1e-9
        case "us", "µs", "microseconds": scale = 1e-6
        case "ms", "milliseconds": scale = 1e-3
        case "", "s", "second", "seconds": scale = 1
        case "m", "min", "minute", "minutes": scale = 60
        case "h", "hour", "hours": scale = 3600
        case "d", "day", "days": scale = 86400
        default: return nil
        }
        return Time(seconds: number * scale)
    }

    /// Sizes are read by the one shared parser (`Workload.ByteSize`).
    static func bytes(_ text: String) -> Int64? { ByteSize.parse(text) }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
