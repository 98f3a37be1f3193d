import Foundation

/// Hand-written log folders shaped exactly as docs/logs.md describes, written to temporary folders.
///
/// The small run (cluster 2x2), checked by hand:
/// - worker-0: a-1 [0, 1] and a-2 [0, 2] run at once (threads 0 and 1); b-1 [1, 1.5] reuses thread 0.
/// - worker-1: a-3 [0, 1.5] on thread 0, then ('sum-x', 0) [2.5, 3] on thread 0; thread 1 stays idle.
/// - a-1 and a-2 move together worker-0 → worker-1 over [2, 2.5] (one gather_dep, 200 bytes): one
///   transfer bar on worker-1 thread 0, the lane of the sum that waited for them (lane 2).
/// - the sum's result goes to client-0 over [3, 3.1]: not drawn (a client has no lane).
/// - s is scattered data on worker-0: it never ran, so it has no bar.
enum Fixtures {
    static let tasks = """
        key,prefix,worker,submit,ready,start,end,duration,output_bytes,bytes_fetched,state,attempts
        a-1,a,worker-0,0.000000000,0.000000000,0.000000000,1.000000000,1.000000000,100,0,forgotten,1
        a-2,a,worker-0,0.000000000,0.000000000,0.000000000,2.000000000,2.000000000,100,0,forgotten,1
        a-3,a,worker-1,0.000000000,0.000000000,0.000000000,1.500000000,1.500000000,100,0,forgotten,1
        "('sum-x', 0)",sum,worker-1,0.000000000,2.000000000,2.500000000,3.000000000,0.500000000,8,200,memory,1
        b-1,b,worker-0,0.000000000,1.000000000,1.000000000,1.500000000,0.500000000,50,0,forgotten,1
        s,s,worker-0,0.000000000,0.000000000,,,,50,0,forgotten,0

        """

    static let transfers = """
        key,from_worker,to_worker,bytes,start,end
        a-1,worker-0,worker-1,100,2.000000000,2.500000000
        a-2,worker-0,worker-1,100,2.000000000,2.500000000
        "('sum-x', 0)",worker-1,client-0,8,3.000000000,3.100000000

        """

    static let transitions = """
        time,key,from,to,stimulus,worker
        0.000000000,a-1,released,waiting,update-graph-1,
        0.000000000,a-1,waiting,processing,update-graph-1,worker-0
        0.000000000,a-2,released,waiting,update-graph-1,
        0.000000000,a-2,waiting,processing,update-graph-1,worker-0
        0.000000000,a-3,released,waiting,update-graph-1,
        0.000000000,a-3,waiting,processing,update-graph-1,worker-1
        0.000000000,b-1,released,waiting,update-graph-1,
        0.000000000,"('sum-x', 0)",released,waiting,update-graph-1,
        1.000000000,a-1,processing,memory,task-finished-1,worker-0
        1.000000000,b-1,waiting,processing,task-finished-1,worker-0
        1.500000000,a-3,processing,memory,task-finished-2,worker-1
        1.500000000,b-1,processing,memory,task-finished-3,worker-0
        2.000000000,a-2,processing,memory,task-finished-4,worker-0
        2.000000000,"('sum-x', 0)",waiting,processing,task-finished-4,worker-1
        3.000000000,"('sum-x', 0)",processing,memory,task-finished-5,worker-1
        3.000000000,a-1,memory,forgotten,task-finished-5,
        3.000000000,a-2,memory,forgotten,task-finished-5,

        """

    static let workers = """
        time,worker,busy_threads,queued,memory_bytes,occupancy
        0.000000000,worker-0,2,1,0,3.000000000
        0.000000000,worker-1,1,0,0,1.500000000
        1.000000000,worker-0,2,0,100,1.500000000
        1.000000000,worker-1,1,0,0,0.500000000
        2.000000000,worker-0,0,0,250,0.000000000
        2.000000000,worker-1,0,0,100,0.500000000
        3.000000000,worker-0,0,0,250,0.000000000
        3.000000000,worker-1,0,0,308,0.000000000

        """

    static let summary = """
        trace,policy,cluster,seed,backend,makespan,tasks,utilisation,transfers,transfer_bytes,steals,events,wall_seconds,network,critical_path,work_bound,outcome,detail
        fixture,dask,2x2,1,sim,3.100000000,5,0.443548,2,208,0,40,,simple,2.500000000,1.375000000,completed,"the client holds every wanted key"

        """

    /// A fresh temporary folder.
    static func folder(_ name: String = "run") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("schedsim-report-tests-\(UUID().uuidString)")
            .appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ files: [String: String], into folder: URL) throws {
        for (name, text) in files {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
    }

    /// The small run, with every file unless some are left out.
    static func smallRun(without: Set<String> = []) throws -> URL {
        let url = try folder()
        let all = [
            "tasks.csv": tasks, "transfers.csv": transfers, "transitions.csv": transitions,
            "workers.csv": workers, "summary.csv": summary,
        ]
        try write(all.filter { !without.contains($0.key) }, into: url)
        return url
    }

    /// A generated run of `count` tasks on `workers` workers with `threads` threads each: task i runs
    /// on worker i % workers for 1 s, back to back per thread, with one transfer per 10 tasks.
    static func generatedRun(count: Int, workers: Int, threads: Int) throws -> URL {
        let url = try folder("big")
        var tasks = "key,prefix,worker,submit,ready,start,end,duration,output_bytes,bytes_fetched,state,attempts\n"
        var transfers = "key,from_worker,to_worker,bytes,start,end\n"
        var workersCSV = "time,worker,busy_threads,queued,memory_bytes,occupancy\n"
        let lanes = workers * threads
        for index in 0..<count {
            let worker = index % workers
            let slot = index / workers          // position among this worker's tasks
            let start = Double(slot / threads)  // `threads` tasks at a time, 1 s each
            let prefix = "p\(index % 7)"
            tasks += "\(prefix)-\(index),\(prefix),worker-\(worker),0.000000000,0.000000000,"
            tasks += String(format: "%.9f,%.9f,1.000000000,1000,0,memory,1\n", start, start + 1)
            if index % 10 == 0 && index > 0 {
                transfers += String(format: "\(prefix)-\(index - 1),worker-%d,worker-%d,1000,%.9f,%.9f\n", (index - 1) % workers, worker, start, start + 0.25)
            }
        }
        let end = Double((count + lanes - 1) / lanes)
        var time = 0.0
        while time <= end {
            for worker in 0..<workers {
                workersCSV += String(format: "%.9f,worker-%d,%d,0,0,0.000000000\n", time, worker, threads)
            }
            time += 1
        }
        let summary = """
            trace,policy,cluster,seed,backend,makespan,tasks,utilisation,transfers,transfer_bytes,steals,events,wall_seconds,network,critical_path,work_bound,outcome,detail
            generated,dask,\(workers)x\(threads),1,sim,\(String(format: "%.9f", end)),\(count),1.000000,0,0,0,0,,simple,1.000000000,\(String(format: "%.9f", Double(count) / Double(lanes))),completed,

            """
        try write(["tasks.csv": tasks, "transfers.csv": transfers, "workers.csv": workersCSV, "summary.csv": summary], into: url)
        return url
    }
}
