import Benchmark
import Foundation
import Report

/// `schedsim report` on a generated run: 50,000 tasks on 64x4 threads (aggregated task stream)
/// and 20,000 tasks (one bar per task, the largest un-aggregated stream). Writing the CSV files
/// is setup, outside the measurement; reading, layout and HTML are measured.
func reportBenchmarks() {
    for count in [20_000, 50_000] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("schedsim-report-bench-\(count)").path
        Benchmark("Report.render generated run \(count / 1000)k tasks on 64x4", closure: { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try? Report.render(directory: folder))
            }
        }, setup: {
            try writeGeneratedRun(count: count, workers: 64, threads: 4, into: folder)
        })
    }
}

/// Task i runs 1 s on worker i % workers, `threads` at a time; one transfer per 10 tasks; one
/// transition row per state change (released → waiting → processing → memory); workers sampled
/// every second.
private func writeGeneratedRun(count: Int, workers: Int, threads: Int, into path: String) throws {
    let folder = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var tasks = "key,prefix,worker,submit,ready,start,end,duration,output_bytes,bytes_fetched,state,attempts\n"
    var transfers = "key,from_worker,to_worker,bytes,start,end\n"
    var transitions = "time,key,from,to,stimulus,worker\n"
    for index in 0..<count {
        let worker = index % workers, start = Double(index / workers / threads)
        let key = "p\(index % 7)-\(index)"
        tasks += "\(key),p\(index % 7),worker-\(worker),0.000000000,0.000000000,\(String(format: "%.9f,%.9f", start, start + 1)),1.000000000,1000,0,memory,1\n"
        transitions += "0.000000000,\(key),released,waiting,update-graph-1,\n"
        transitions += "\(String(format: "%.9f", start)),\(key),waiting,processing,s,worker-\(worker)\n"
        transitions += "\(String(format: "%.9f", start + 1)),\(key),processing,memory,s,worker-\(worker)\n"
        if index % 10 == 0 && index > 0 {
            transfers += "\(key),worker-\((index - 1) % workers),worker-\(worker),1000,\(String(format: "%.9f,%.9f", start, start + 0.25))\n"
        }
    }
    let end = Double((count + workers * threads - 1) / (workers * threads))
    var samples = "time,worker,busy_threads,queued,memory_bytes,occupancy\n"
    var time = 0.0
    while time <= end {
        for worker in 0..<workers { samples += "\(String(format: "%.9f", time)),worker-\(worker),\(threads),0,0,0.000000000\n" }
        time += 1
    }
    let summary = "trace,policy,cluster,seed,backend,makespan\ngenerated,dask,\(workers)x\(threads),1,sim,\(String(format: "%.9f", end))\n"
    for (name, text) in ["tasks.csv": tasks, "transfers.csv": transfers, "transitions.csv": transitions, "workers.csv": samples, "summary.csv": summary] {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }
}
