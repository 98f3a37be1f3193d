import Foundation
import Messages
import Testing
import Workload
import Executor

/// The exact bytes of the five CSV logs a real run writes, for records built by
/// hand (docs/logs.md). Pins headers, column order, time and ratio formatting,
/// quoting, the transfer order and the derived columns (duration, bytes_fetched,
/// makespan, utilisation, lower bounds, outcome).
struct RunLogsCSVTests {
    static let second: Int64 = 1_000_000_000
    static let runStart: Int64 = 1000 * second

    /// Time `seconds` after the run start.
    static func at(_ seconds: Double) -> Time { Time(nanoseconds: runStart + Int64((seconds * 1e9).rounded())) }

    /// A scattered data task `x, "y"` → `inc-1` → `sum` (reads both) → `never-ran`, which erred.
    static func workload() throws -> Workload {
        var b = WorkloadBuilder(name: "golden", source: "test")
        b.add(TaskSpec(key: "x, \"y\"", prefix: "x", kind: .data, outputBytes: 100), dependencies: [], origin: "0")
        b.add(TaskSpec(key: "inc-1", prefix: "inc", duration: 1.5, outputBytes: 8), dependencies: ["x, \"y\""], origin: "1")
        b.add(TaskSpec(key: "sum", prefix: "sum", duration: 0.25, outputBytes: 16),
              dependencies: ["x, \"y\"", "inc-1"], origin: "2")
        b.add(TaskSpec(key: "never-ran", prefix: "never", duration: 2), dependencies: ["sum"], origin: "3")
        return try b.build()
    }

    static func records() -> RunRecords {
        var r = RunRecords()
        r.runStart = Time(nanoseconds: runStart)
        r.workerNames = ["w,0", "worker-1"]
        r.workerThreads = [2, 1]
        func outcome(_ worker: Int32, _ submit: Time, _ ready: Time, _ start: Time, _ end: Time,
                     _ attempts: Int32, _ state: String) -> RunRecords.TaskOutcome {
            var o = RunRecords.TaskOutcome()
            o.worker = worker
            o.submit = submit
            o.ready = ready
            o.start = start
            o.end = end
            o.attempts = attempts
            o.state = state
            return o
        }
        r.tasks = [
            outcome(0, at(0), at(0), .never, .never, 0, "memory"),
            outcome(1, Time(nanoseconds: runStart + 1), at(0.5), at(0.5), at(2), 1, "memory"),
            outcome(0, at(0), at(2), at(2.25), at(2.5), 1, "memory"),
            outcome(1, at(0), at(2.5), at(2.5), .never, 2, "erred"),
        ]
        r.transitions = [
            .init(time: at(0), key: TaskID(0), from: "released", to: "memory", stimulus: "update-data-1", worker: 0),
            .init(time: at(0.5), key: TaskID(1), from: "waiting", to: "processing", stimulus: "update-graph-2", worker: 1),
            .init(time: at(2), key: TaskID(1), from: "processing", to: "memory", stimulus: "task-finished-3", worker: 1),
            .init(time: at(2.5), key: TaskID(2), from: "processing", to: "memory", stimulus: "task-finished, \"4\"", worker: 0),
            .init(time: at(2.6), key: TaskID(3), from: "processing", to: "erred", stimulus: "task-erred-5", worker: -1),
        ]
        // Out of order on purpose: the log lists transfers by start time.
        r.transfers = [
            TransferEntry(key: TaskID(1), from: 1, to: 0, bytes: 8, start: at(2), end: at(2.1)),
            TransferEntry(key: TaskID(0), from: 0, to: 1, bytes: 100, start: at(0.2), end: at(0.4)),
            TransferEntry(key: TaskID(0), from: -1, to: 0, bytes: 100, start: at(0), end: at(0.1)),
        ]
        r.samples = [
            .init(time: at(1), worker: 0, busyThreads: 0, queued: 0, memoryBytes: 100, occupancy: .zero),
            .init(time: at(1), worker: 1, busyThreads: 1, queued: 3, memoryBytes: 0, occupancy: Time(nanoseconds: 3 * second / 2)),
        ]
        r.steals = 3
        r.stimuli = 42
        return r
    }

    static func logs() throws -> RunLogs {
        RunLogs(workload: try workload(), records: records(), trace: "golden, v2", policy: "dask", cluster: "2x1",
                network: "bandwidth=1e9", wallSeconds: 1.23456)
    }

    static let expected: [(name: String, text: String)] = [
        ("tasks.csv", #"""
            key,prefix,worker,submit,ready,start,end,duration,output_bytes,bytes_fetched,state,attempts
            "x, ""y""",x,"w,0",0.000000000,0.000000000,,,,100,0,memory,0
            inc-1,inc,worker-1,0.000000001,0.500000000,0.500000000,2.000000000,1.500000000,8,100,memory,1
            sum,sum,"w,0",0.000000000,2.000000000,2.250000000,2.500000000,0.250000000,16,108,memory,1
            never-ran,never,worker-1,0.000000000,2.500000000,2.500000000,,,0,0,erred,2

            """#),
        ("transitions.csv", #"""
            time,key,from,to,stimulus,worker
            0.000000000,"x, ""y""",released,memory,update-data-1,"w,0"
            0.500000000,inc-1,waiting,processing,update-graph-2,worker-1
            2.000000000,inc-1,processing,memory,task-finished-3,worker-1
            2.500000000,sum,processing,memory,"task-finished, ""4""","w,0"
            2.600000000,never-ran,processing,erred,task-erred-5,

            """#),
        ("transfers.csv", #"""
            key,from_worker,to_worker,bytes,start,end
            "x, ""y""",client,"w,0",100,0.000000000,0.100000000
            "x, ""y""","w,0",worker-1,100,0.200000000,0.400000000
            inc-1,worker-1,"w,0",8,2.000000000,2.100000000

            """#),
        ("workers.csv", #"""
            time,worker,busy_threads,queued,memory_bytes,occupancy
            1.000000000,"w,0",0,0,100,0.000000000
            1.000000000,worker-1,1,3,0,1.500000000

            """#),
        // makespan: the last `→ memory` transition (2.5 s); utilisation 1.75 s busy / (3 threads × 2.5 s);
        // critical path 0 + 1.5 + 0.25 + 2 s; work bound 3.75 s / 3 threads.
        ("summary.csv", #"""
            trace,policy,cluster,seed,backend,makespan,tasks,utilisation,transfers,transfer_bytes,steals,events,wall_seconds,network,critical_path,work_bound,outcome,detail,runtime
            "golden, v2",dask,2x1,0,real,2.500000000,2,0.233333,3,208,3,42,1.235,bandwidth=1e9,3.750000000,1.250000000,failed,1 task(s) erred,

            """#),
    ]

    @Test func eachFileHasTheDocumentedBytes() throws {
        let logs = try Self.logs()
        let texts = [logs.tasksCSV(), logs.transitionsCSV(), logs.transfersCSV(), logs.workersCSV(), logs.summaryCSV()]
        for (text, expected) in zip(texts, Self.expected) {
            #expect(text == expected.text, "\(expected.name)")
        }
        #expect(logs.makespan == 5 * Self.second / 2)
    }

    @Test func clientTimeSetsTheMakespan() throws {
        var logs = try Self.logs()
        logs.clientDone = Self.at(2.75)
        #expect(logs.makespan == 11 * Self.second / 4)
        #expect(logs.summaryCSV().split(separator: "\n")[1].hasPrefix("\"golden, v2\",dask,2x1,0,real,2.750000000,2,0.212121,"))
    }

    @Test func writeCreatesTheFiveFilesAndNoTemporaries() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schedsim-runlogs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.logs().write(to: dir)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(names == ["summary.csv", "tasks.csv", "transfers.csv", "transitions.csv", "workers.csv"])
        for expected in Self.expected {
            let text = try String(contentsOfFile: dir + "/" + expected.name, encoding: .utf8)
            #expect(text == expected.text, "\(expected.name)")
        }
    }
}
