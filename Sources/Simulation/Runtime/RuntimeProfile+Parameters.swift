import Messages

/// One settable parameter of a runtime profile: its name in `--set runtime.NAME=`,
/// profile files, summaries and docs (the same spelling everywhere).
/// Key paths are immutable values, so sharing them across threads is safe.
public struct RuntimeParameter: @unchecked Sendable {
    public enum Kind: Sendable { case duration, bandwidth, factor }
    public let name: String
    public let kind: Kind
    public let help: String
    let duration: WritableKeyPath<RuntimeProfile, Time>?
    let number: WritableKeyPath<RuntimeProfile, Double>?

    init(_ name: String, _ path: WritableKeyPath<RuntimeProfile, Time>, _ help: String) {
        self.name = name
        self.kind = .duration
        self.help = help
        self.duration = path
        self.number = nil
    }

    init(_ name: String, _ kind: Kind, _ path: WritableKeyPath<RuntimeProfile, Double>, _ help: String) {
        self.name = name
        self.kind = kind
        self.help = help
        self.duration = nil
        self.number = path
    }
}

/// A bad runtime setting or profile file, with the place it came from.
public struct RuntimeProfileError: Error, CustomStringConvertible, Sendable {
    public let source: String
    public let message: String
    public init(source: String, _ message: String) {
        self.source = source
        self.message = message
    }
    public var description: String { source.isEmpty ? message : "\(source): \(message)" }
}

extension RuntimeProfile {
    /// Every parameter, in the order summaries and files print them.
    public static let parameters: [RuntimeParameter] = [
        RuntimeParameter("scheduler-to-worker-interval", \.schedulerToWorkerInterval, "BatchedSend interval scheduler → worker (Dask: 5ms)"),
        RuntimeParameter("worker-to-scheduler-interval", \.workerToSchedulerInterval, "BatchedSend interval worker → scheduler (Dask: 2ms)"),
        RuntimeParameter("scheduler-to-client-interval", \.schedulerToClientInterval, "BatchedSend interval scheduler → client (Dask: 2ms)"),
        RuntimeParameter("client-to-scheduler-interval", \.clientToSchedulerInterval, "BatchedSend interval client → scheduler (Dask: 10ms)"),
        RuntimeParameter("scheduler-batch", \.schedulerBatch, "scheduler loop time per incoming batch"),
        RuntimeParameter("scheduler-message", \.schedulerMessage, "scheduler loop time per message"),
        RuntimeParameter("scheduler-transition", \.schedulerTransition, "scheduler loop time per transition"),
        RuntimeParameter("scheduler-update-graph-task", \.schedulerUpdateGraphTask, "scheduler loop time per task of an update-graph"),
        RuntimeParameter("worker-batch", \.workerBatch, "worker loop time per batch from the scheduler"),
        RuntimeParameter("worker-message", \.workerMessage, "worker loop time per message"),
        RuntimeParameter("worker-task", \.workerTask, "worker loop time per finished task (result, task-finished, next execute)"),
        RuntimeParameter("worker-output-bandwidth", .bandwidth, \.workerOutputBandwidth, "worker loop throughput producing each finished task's result, B/s (0 = free; Dask: 0, schedsim's executor writes and checksums every result)"),
        RuntimeParameter("transfer-request", \.transferRequest, "time per get_data request besides network latency"),
        RuntimeParameter("transfer-bandwidth", .bandwidth, \.transferBandwidth, "serialisation throughput of transfers, B/s (0 = unlimited)"),
        RuntimeParameter("client-submit-task", \.clientSubmitTask, "client time per task packed into update-graph"),
        RuntimeParameter("scheduler-scale", .factor, \.schedulerScale, "multiplies every scheduler cost"),
        RuntimeParameter("worker-scale", .factor, \.workerScale, "multiplies every worker cost"),
    ]

    public static func parameter(named name: String) -> RuntimeParameter? {
        parameters.first { $0.name == name }
    }

    /// Sets one parameter from its text (`200us`, `80MB/s`, `0.1`); errors name the parameter.
    public mutating func set(_ name: String, to text: String, source: String = "--set") throws(RuntimeProfileError) {
        guard let parameter = Self.parameter(named: name) else {
            throw RuntimeProfileError(source: source, "unknown runtime parameter '\(name)'; known: \(Self.parameters.map(\.name).joined(separator: ", "))")
        }
        switch parameter.kind {
        case .duration:
            guard let ns = Units.duration(text), ns <= 3_600_000_000_000 else {
                throw RuntimeProfileError(source: source, "runtime.\(name) = '\(text)' is not a duration between 0 and 1h like 200us")
            }
            self[keyPath: parameter.duration!] = Time(nanoseconds: ns)
        case .bandwidth:
            if text.trimmingSpaces == "0" {
                self[keyPath: parameter.number!] = 0
                return
            }
            guard let value = Units.bandwidth(text), value >= 1 else {
                throw RuntimeProfileError(source: source, "runtime.\(name) = '\(text)' is not a bandwidth like 100MB/s (or 0 for unlimited)")
            }
            self[keyPath: parameter.number!] = value
        case .factor:
            guard let value = Double(text.trimmingSpaces), value.isFinite, value >= 0, value <= 1e6 else {
                throw RuntimeProfileError(source: source, "runtime.\(name) = '\(text)' is not a number between 0 and 1e6")
            }
            self[keyPath: parameter.number!] = value
        }
    }

    /// One parameter's value as text, in the units its kind reads back exactly.
    public func text(of parameter: RuntimeParameter) -> String {
        switch parameter.kind {
        case .duration: return Self.durationText(self[keyPath: parameter.duration!].nanoseconds)
        case .bandwidth:
            let value = self[keyPath: parameter.number!]
            return value == 0 ? "0" : "\(Self.shortest(value))B/s"
        case .factor: return Self.shortest(self[keyPath: parameter.number!])
        }
    }

    /// `name=value` pairs of every parameter, for summaries and CSV (`;`-separated).
    public var settingsText: String {
        Self.parameters.map { "\($0.name)=\(text(of: $0))" }.joined(separator: ";")
    }

    /// Durations in the largest unit that keeps them integral (`5ms`, `250us`, `1234ns`).
    public static func durationText(_ ns: Int64) -> String {
        if ns == 0 { return "0" }
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        if ns % 1_000 == 0 { return "\(ns / 1_000)us" }
        return "\(ns)ns"
    }

    /// A double's shortest round-trip spelling without a trailing `.0`.
    static func shortest(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
