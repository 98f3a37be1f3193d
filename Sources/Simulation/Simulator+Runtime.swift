import DequeModule
import Messages

/// Messages handled together by the scheduler's event loop: one wire batch of a
/// stream, one RPC, or one periodic callback.
struct SchedulerJob {
    var stimuli: [SchedulerStimulus]
    /// From a periodic tick (balance, heartbeats): does not keep a run alive.
    var tick: Bool
}

/// Stimuli handled together by a worker's event loop.
struct WorkerJob {
    var stimuli: [WorkerStimulus]
    /// A batch from the scheduler's stream (pays `worker-batch`).
    var fromScheduler: Bool
}

/// Where the scheduler's event loop is in its current job.
enum SchedulerLoopPhase: UInt8 {
    case idle
    /// Reading and dispatching the batch (`scheduler-batch` + `scheduler-message`s); handled when it ends.
    case preparing
}

/// The runtime model (docs/runtime.md): Dask's batched streams, the scheduler's
/// and the workers' event loops, transfer serialisation, client submission.
/// With `RuntimeProfile.ideal` none of this runs and every message is handled
/// the instant it arrives.
extension Simulator {
    // MARK: - Streams

    /// Where a message to the scheduler comes from, which decides its stream.
    enum SchedulerStream {
        /// A worker's `batched_stream` (2 ms).
        case worker(Int)
        /// A client's batched comm (10 ms).
        case client(Int)
        /// An RPC or a local callback: no batching.
        case direct
    }

    /// Buffers `message` on `stream`; schedules the stream's write when none is pending.
    func enqueue<Message>(_ message: Message, on stream: inout BatchedStream<Message>, interval: Time, flush: Event) {
        if let at = stream.send(message, now: now, interval: interval.nanoseconds) { schedule(flush, at: at) }
    }

    /// A message enters the stream from worker `w` to the scheduler.
    func sendOnWorkerStream(_ stimulus: SchedulerStimulus, from w: Int) {
        enqueue(stimulus, on: &workerToScheduler[w], interval: runtime.workerToSchedulerInterval, flush: .flushFromWorker(Int32(w)))
    }

    /// A message enters the stream from client `c` to the scheduler.
    func sendOnClientStream(_ stimulus: SchedulerStimulus, from c: Int) {
        ensureClientStreams(c)
        enqueue(stimulus, on: &clientToScheduler[c], interval: runtime.clientToSchedulerInterval, flush: .flushFromClient(Int32(c)))
    }

    func sendOnSchedulerToWorkerStream(_ stimulus: WorkerStimulus, to w: Int) {
        enqueue(stimulus, on: &schedulerToWorker[w], interval: runtime.schedulerToWorkerInterval, flush: .flushToWorker(Int32(w)))
    }

    func sendOnSchedulerToClientStream(_ message: ClientInbox, to c: Int) {
        ensureClientStreams(c)
        enqueue(message, on: &schedulerToClient[c], interval: runtime.schedulerToClientInterval, flush: .flushToClient(Int32(c)))
    }

    func ensureClientStreams(_ c: Int) {
        while clientToScheduler.count <= c {
            clientToScheduler.append(BatchedStream())
            schedulerToClient.append(BatchedStream())
        }
    }

    /// A stream's write: the batch arrives as one message after the link latency.
    func flush(_ event: Event) {
        switch event {
        case .flushFromWorker(let w):
            let batch = workerToScheduler[Int(w)].flush(now: now)
            guard !batch.isEmpty else { return }
            let slot = schedulerBatches.put(batch)
            schedule(.batchToScheduler(slot), at: now + latency(host(ofWorker: Int(w)), schedulerHost))
        case .flushFromClient(let c):
            let batch = clientToScheduler[Int(c)].flush(now: now)
            guard !batch.isEmpty else { return }
            let slot = schedulerBatches.put(batch)
            schedule(.batchToScheduler(slot), at: now + latency(clientHostID(Int(c)), schedulerHost))
        case .flushToWorker(let w):
            let batch = schedulerToWorker[Int(w)].flush(now: now)
            guard !batch.isEmpty, life[Int(w)] == .running else { return }
            let slot = workerBatches.put(batch)
            schedule(.batchToWorker(w, slot), at: now + latency(schedulerHost, host(ofWorker: Int(w))))
        case .flushToClient(let c):
            let batch = schedulerToClient[Int(c)].flush(now: now)
            let at = now + latency(schedulerHost, clientHostID(Int(c)))
            for message in batch {
                schedule(.toClient(clientMessages.put(message)), at: at)
            }
        default:
            break
        }
    }

    // MARK: - The scheduler's event loop

    /// A job reaches the scheduler. Without scheduler costs it is handled at once;
    /// otherwise it waits for the loop (FIFO over all streams, like asyncio's ready queue).
    func arriveAtScheduler(_ job: SchedulerJob) {
        guard modelSchedulerLoop else {
            for stimulus in job.stimuli {
                for instruction in handleAtScheduler(stimulus) { dispatch(instruction) }
            }
            return
        }
        schedulerJobs.append(job)
        if schedulerPhase == .idle { startSchedulerJob() }
    }

    /// Starts the oldest waiting job once the loop is free: it is handled after its
    /// preparation cost, and its messages leave after its transitions' cost.
    func startSchedulerJob() {
        guard let job = schedulerJobs.first else {
            schedulerPhase = .idle
            return
        }
        schedulerPhase = .preparing
        let at = Simulator.later(max(now, schedulerBusyUntil), by: schedulerPreparationCost(job))
        if at == now {
            handleSchedulerJob()
        } else {
            schedule(job.tick ? .schedulerFreeTick : .schedulerFree, at: at)
        }
    }

    /// `scheduler-batch` + `scheduler-message` per message (+ per task of an update-graph).
    func schedulerPreparationCost(_ job: SchedulerJob) -> Int64 {
        var graphTasks = 0
        for stimulus in job.stimuli {
            if case .client(.updateGraph(_, _, let tasks, _, _, _)) = stimulus { graphTasks += tasks.count }
        }
        let base = Simulator.later(runtime.scheduler(runtime.schedulerBatch), by: runtime.scheduler(runtime.schedulerMessage, times: job.stimuli.count))
        return Simulator.later(base, by: runtime.scheduler(runtime.schedulerUpdateGraphTask, times: graphTasks))
    }

    /// The preparation of the current job ended.
    func schedulerLoopStep() {
        if schedulerPhase == .preparing { handleSchedulerJob() }
    }

    /// Handles the oldest job now. Its transitions keep the loop busy for their cost; its
    /// messages are sent at the end of it (the clock is moved forward while they are
    /// dispatched, so the end of a job needs no event of its own).
    func handleSchedulerJob() {
        guard let job = schedulerJobs.popFirst() else {
            schedulerPhase = .idle
            return
        }
        let before = scheduler.transitionCount
        var out: [SchedulerInstruction] = []
        for stimulus in job.stimuli { out += handleAtScheduler(stimulus) }
        let cost = runtime.scheduler(runtime.schedulerTransition, times: scheduler.transitionCount - before)
        let saved = now
        now = Simulator.later(now, by: cost)
        for instruction in out { dispatch(instruction) }
        schedulerBusyUntil = now
        now = saved
        schedulerPhase = .idle
        startSchedulerJob()
    }

    // MARK: - Workers' event loops

    /// A job for worker `w`'s loop. It is handled when the loop is free, and its
    /// instructions are carried out after its cost.
    func enqueueWorkerJob(_ job: WorkerJob, to w: Int) {
        workerJobs[w].append(job)
        if !workerLoopBusy[w] { startWorkerJob(w) }
    }

    /// Handles waiting jobs while the loop is free; when it is busy, wakes up when it frees.
    func startWorkerJob(_ w: Int) {
        workerLoopBusy[w] = true
        while let job = workerJobs[w].first {
            guard life[w] == .running else {
                workerJobs[w].removeAll()
                break
            }
            if workerBusyUntil[w] > now {
                schedule(.workerLoopDone(Int32(w)), at: workerBusyUntil[w])
                return
            }
            workerJobs[w].removeFirst()
            var messages = 0
            var tasks = 0
            var outputBytes: Int64 = 0
            for stimulus in job.stimuli {
                switch stimulus {
                case .executeSuccess(_, _, _, _, let nbytes):
                    tasks += 1
                    outputBytes += nbytes
                case .executeFailure: tasks += 1
                default: messages += 1
                }
            }
            var cost = Simulator.later(job.fromScheduler ? runtime.worker(runtime.workerBatch) : 0, by: runtime.worker(runtime.workerMessage, times: messages))
            cost = Simulator.later(cost, by: runtime.worker(runtime.workerTask, times: tasks))
            if runtime.workerOutputBandwidth > 0 && outputBytes > 0 {
                let production = Simulator.transmissionTime(bytes: outputBytes, bandwidth: runtime.workerOutputBandwidth)
                cost = Simulator.later(cost, by: RuntimeProfile.scaled(production, 1, runtime.workerScale))
            }
            workerBusyUntil[w] = Simulator.later(now, by: cost)
            for stimulus in job.stimuli { handleAtWorker(stimulus, w, after: cost) }
        }
        workerLoopBusy[w] = false
    }

    // MARK: - Transfers and the client

    /// `time + delay`, saturating at `Simulator.latest` (costs from a hostile profile
    /// must not overflow the clock: a run that far out is past any event limit anyway).
    @inline(__always) static func later(_ time: Int64, by delay: Int64) -> Int64 {
        let (sum, overflow) = time.addingReportingOverflow(delay)
        return overflow || sum > latest ? latest : sum
    }

    /// Just past the clock's horizon: an event pushed this far is refused by `schedule`,
    /// which stops the run with outcome `time-limit` instead of running it at a wrong time.
    static let latest: Int64 = SimulationLimits.maximumSimulatedTime + 1

    /// Time to serialise, send and deserialise `bytes` besides the network model.
    @inline(__always) func serialisationDelay(bytes: Int64) -> Int64 {
        var delay = runtime.transferRequest.nanoseconds
        if runtime.transferBandwidth > 0 {
            delay = Simulator.later(delay, by: Simulator.transmissionTime(bytes: bytes, bandwidth: runtime.transferBandwidth))
        }
        return delay
    }
}
