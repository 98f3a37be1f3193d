/// The logs of one run (a `schedsim replay --out DIR` folder, or one side of a `validate`),
/// read from its CSV files. Times are seconds since the start of the run.
public struct RunLogs: Sendable {
    /// A name for headings (the folder name).
    public var name: String
    public var tasks: [TaskRecord]
    public var transfers: [TransferRecord]
    /// Worker samples from workers.csv; empty when the file is absent.
    public var samples: [WorkerSample]
    /// Scheduler transitions from transitions.csv; empty when the file is absent.
    public var transitions: [TransitionRecord]
    /// The rows of summary.csv as (column, value) pairs, in file order; empty when absent.
    public var summary: [[(column: String, value: String)]]
    /// Which of the optional files were absent, for a note in the report.
    public var missingFiles: [String]

    public init(
        name: String, tasks: [TaskRecord], transfers: [TransferRecord] = [], samples: [WorkerSample] = [],
        transitions: [TransitionRecord] = [], summary: [[(column: String, value: String)]] = [], missingFiles: [String] = []
    ) {
        self.name = name
        self.tasks = tasks
        self.transfers = transfers
        self.samples = samples
        self.transitions = transitions
        self.summary = summary
        self.missingFiles = missingFiles
    }

    /// A summary value of the first summary row, if the column exists and is not empty.
    public func summaryValue(_ column: String) -> String? {
        guard let row = summary.first, let pair = row.first(where: { $0.column == column }), !pair.value.isEmpty else {
            return nil
        }
        return pair.value
    }

    /// The end of the run: the summary's makespan, else the last event in the logs.
    public var endTime: Double {
        var last = 0.0
        for task in tasks {
            if let end = task.end { last = max(last, end) }
        }
        for transfer in transfers { last = max(last, transfer.end) }
        if let sample = samples.last { last = max(last, sample.time) }
        if let transition = transitions.last { last = max(last, transition.time) }
        if let text = summaryValue("makespan"), let makespan = Double(text) { last = max(last, makespan) }
        return last
    }
}

/// One row of tasks.csv (the columns the report uses).
public struct TaskRecord: Sendable, Equatable {
    public var key: String
    public var prefix: String
    /// The worker that ran the last attempt; empty if none.
    public var worker: String
    public var start: Double?
    public var end: Double?
    public var outputBytes: Int64
    public var bytesFetched: Int64
    public var state: String
    public var attempts: Int64

    public init(
        key: String, prefix: String, worker: String, start: Double?, end: Double?,
        outputBytes: Int64 = 0, bytesFetched: Int64 = 0, state: String = "", attempts: Int64 = 1
    ) {
        self.key = key
        self.prefix = prefix
        self.worker = worker
        self.start = start
        self.end = end
        self.outputBytes = outputBytes
        self.bytesFetched = bytesFetched
        self.state = state
        self.attempts = attempts
    }
}

/// One row of transfers.csv: one key moved over the network.
public struct TransferRecord: Sendable, Equatable {
    public var key: String
    public var from: String
    public var to: String
    public var bytes: Int64
    public var start: Double
    public var end: Double

    public init(key: String, from: String, to: String, bytes: Int64, start: Double, end: Double) {
        self.key = key
        self.from = from
        self.to = to
        self.bytes = bytes
        self.start = start
        self.end = end
    }
}

/// One row of workers.csv.
public struct WorkerSample: Sendable, Equatable {
    public var time: Double
    public var worker: String
    public var busyThreads: Int64
    public var queued: Int64
    public var memoryBytes: Int64
    /// The scheduler's occupancy estimate, seconds (0 when the column is absent).
    public var occupancy: Double

    public init(time: Double, worker: String, busyThreads: Int64, queued: Int64, memoryBytes: Int64, occupancy: Double = 0) {
        self.time = time
        self.worker = worker
        self.busyThreads = busyThreads
        self.queued = queued
        self.memoryBytes = memoryBytes
        self.occupancy = occupancy
    }
}

/// One row of transitions.csv (the columns the progress picture needs).
public struct TransitionRecord: Sendable, Equatable {
    public var time: Double
    public var key: String
    public var from: String
    public var to: String

    public init(time: Double, key: String, from: String, to: String) {
        self.time = time
        self.key = key
        self.from = from
        self.to = to
    }
}
