import Messages
import NIOCore

/// Encoding of `logs` (the scheduler's `RunRecords`).
extension WireCodec {
    static func encodeRecords(_ rec: RunRecords, into b: inout ByteBuffer) {
        b.put(rec.runStart)
        b.put(rec.workerNames)
        b.putCount(rec.workerThreads.count)
        for t in rec.workerThreads { b.put(t) }
        b.putCount(rec.tasks.count)
        for t in rec.tasks {
            b.put(t.worker)
            b.put(t.submit)
            b.put(t.ready)
            b.put(t.start)
            b.put(t.end)
            b.put(t.attempts)
            b.put(t.state)
        }
        b.putCount(rec.transitions.count)
        for t in rec.transitions {
            b.put(t.time)
            b.put(t.key)
            b.put(t.from)
            b.put(t.to)
            b.put(t.stimulus)
            b.put(t.worker)
        }
        b.putCount(rec.transfers.count)
        for e in rec.transfers { put(e, into: &b) }
        b.putCount(rec.samples.count)
        for s in rec.samples {
            b.put(s.time)
            b.put(s.worker)
            b.put(s.busyThreads)
            b.put(s.queued)
            b.put(s.memoryBytes)
            b.put(s.occupancy)
        }
        b.put(rec.steals)
        b.put(rec.stimuli)
        b.put(rec.notes)
    }

    static func decodeRecords(_ r: inout WireReader) throws(WireError) -> RunRecords {
        var rec = RunRecords()
        rec.runStart = try r.time("run_start")
        rec.workerNames = try r.strings("worker_names")
        let nThreads = try r.count("worker_threads", minimumSize: 4)
        for i in 0..<nThreads { rec.workerThreads.append(try r.threads("worker_threads[\(i)]")) }
        let nTasks = try r.count("tasks", minimumSize: 44)
        rec.tasks.reserveCapacity(nTasks)
        for i in 0..<nTasks {
            let f = "tasks[\(i)]"
            var t = RunRecords.TaskOutcome()
            t.worker = try r.workerNumber(f + ".worker")
            t.submit = try r.time(f + ".submit")
            t.ready = try r.time(f + ".ready")
            t.start = try r.time(f + ".start")
            t.end = try r.time(f + ".end")
            t.attempts = try r.natural32(f + ".attempts")
            t.state = try r.string(f + ".state")
            rec.tasks.append(t)
        }
        let nTransitions = try r.count("transitions", minimumSize: 28)
        rec.transitions.reserveCapacity(nTransitions)
        for i in 0..<nTransitions {
            let f = "transitions[\(i)]"
            rec.transitions.append(RunRecords.Transition(
                time: try r.time(f + ".time"), key: try r.task(f + ".key"), from: try r.string(f + ".from"),
                to: try r.string(f + ".to"), stimulus: try r.string(f + ".stimulus"), worker: try r.workerNumber(f + ".worker")))
        }
        let nTransfers = try r.count("transfers", minimumSize: 36)
        for i in 0..<nTransfers { rec.transfers.append(try transferEntry("transfers[\(i)]", &r)) }
        let nSamples = try r.count("samples", minimumSize: 36)
        for i in 0..<nSamples {
            let f = "samples[\(i)]"
            rec.samples.append(RunRecords.WorkerSample(
                time: try r.time(f + ".time"), worker: try r.workerNumber(f + ".worker"), busyThreads: try r.threads(f + ".busy_threads"),
                queued: try r.natural32(f + ".queued"), memoryBytes: try r.bytes(f + ".memory_bytes"),
                // Occupancy is an estimate the scheduler adjusts up and down; only its size is bounded.
                occupancy: Time(nanoseconds: try r.i64(f + ".occupancy", in: -Int64(1) << 62...Int64(1) << 62))))
        }
        rec.steals = try r.i64("steals", in: 0...Int64.max)
        rec.stimuli = try r.i64("stimuli", in: 0...Int64.max)
        rec.notes = try r.strings("notes")
        return rec
    }
}
