import Messages
import NIOCore
import Worker
import Workload

extension WorkerNode {
    /// Hands one stimulus to the state machine and carries out its instructions.
    /// Stimuli raised while instructions run (a failed connect, a closed channel)
    /// are queued, so `handle` never re-enters.
    func feed(_ stimulus: WorkerStimulus) {
        pendingStimuli.append(stimulus)
        guard !feeding else { return }
        feeding = true
        var i = 0
        while i < pendingStimuli.count {
            process(pendingStimuli[i])
            i += 1
        }
        pendingStimuli.removeAll(keepingCapacity: true)
        feeding = false
        schedulerChannel?.flush()
    }

    func process(_ stimulus: WorkerStimulus) {
        guard let state, !stopped else { return }
        let now = ExecutorClock.now()
        for instruction in state.handle(stimulus, now: now) {
            switch instruction {
            case let .execute(key, runID):
                execute(key, runID: runID, now: now)
            case let .gatherDep(peer, keys, totalBytes, _):
                gather(from: peer, keys: keys, totalBytes: totalBytes, now: now)
            case let .retryBusyWorkerLater(peer, after):
                loop.scheduleTask(in: TimeAmount(after)) { [self] in feed(.retryBusyWorker(peer: peer)) }
            case .toScheduler(let m):
                schedulerChannel?.write(WireCodec.encode(.toScheduler(m)), promise: nil)
            case let .sendData(to, keys):
                serve(to: to, keys: keys.map(\.key), now: now)
            case let .busy(to, keys):
                servingChannels[to]?.send(.busy(keys: keys))
            case .spill, .unspill:
                break  // no disk emulation: spilled keys stay in process memory
            case .terminate(let reason):
                stop("memory terminate threshold: \(reason)")
            }
        }
    }

    /// Runs a task: a timer (`sleep`) or a busy loop on the pool (`spin`) for its
    /// duration over the worker's speed; then its result buffer is made and stored.
    func execute(_ key: TaskID, runID: Int64, now start: Time) {
        guard let workload else { return }
        let spec = workload[key]
        executing[key] = start
        let duration = Time(seconds: spec.duration / max(config.speed, 1e-9))
        switch config.work {
        case .sleep:
            if duration.nanoseconds <= 0 {
                loop.execute { [self] in finished(key, runID: runID, start: start) }
            } else {
                loop.scheduleTask(in: TimeAmount(duration)) { [self] in finished(key, runID: runID, start: start) }
            }
        case .spin:
            guard let pool else { return }
            let deadline = start + duration
            pool.runIfActive(eventLoop: loop) {
                var spins: UInt64 = 0
                while ExecutorClock.now() < deadline { spins &+= 1 }
                return spins
            }.whenComplete { [self] _ in finished(key, runID: runID, start: start) }
        }
    }

    func finished(_ key: TaskID, runID: Int64, start: Time) {
        guard let workload, !stopped else { return }
        executing[key] = nil
        let stop = ExecutorClock.now()
        let nbytes = workload[key].outputBytes
        let made = TaskData.makeWithChecksum(key: workload[key].key, nbytes: Int(nbytes))
        store[key] = Stored(data: made.data, checksum: made.checksum)
        feed(.executeSuccess(key: key, runID: runID, start: start, stop: stop, nbytes: nbytes))
        dropUnheld([key])
    }
}
