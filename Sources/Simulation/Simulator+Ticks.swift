/// The periodic ticks (work-stealing `balance`, heartbeats, `workers.csv` samples) and
/// when they stop. A tick that finds nothing real pending stops, so an idle run ends;
/// the first real event scheduled afterwards restarts it on its grid. Nothing here may
/// depend on which other ticks are queued: with or without sampling (`--out`), a run
/// makes the same decisions.
struct PeriodicTicks: OptionSet {
    let rawValue: UInt8
    static let balance = PeriodicTicks(rawValue: 1)
    static let heartbeat = PeriodicTicks(rawValue: 2)
    static let sample = PeriodicTicks(rawValue: 4)
}

extension Simulator {
    /// Dask's `balance()` every `work-stealing-interval`. While real events are pending
    /// it always runs. With nothing real pending it still runs once: tasks queued on a
    /// paused worker move only by stealing, and Dask's periodic callback would steal
    /// them. If that tick changed nothing (no real event since the previous idle tick),
    /// the state is frozen, every later tick would do the same, and the tick stops.
    func balanceTick() {
        if pendingRealEvents == 0 {
            guard realEventsHandled != realEventsAtIdleBalance else {
                stoppedTicks.insert(.balance)
                return
            }
            realEventsAtIdleBalance = realEventsHandled
        }
        sendToScheduler(.balance, fromHost: schedulerHost, latency: 0, tick: true)
        schedule(.balance, at: now + config.balanceInterval.nanoseconds)
    }

    /// A real event was scheduled while some ticks were stopped: each resumes at its next
    /// point after `now` (balance and samples on their fixed grids from time 0, heartbeats
    /// one interval from now, as after any heartbeat).
    func resumeTicks() {
        let stopped = stoppedTicks
        stoppedTicks = []
        if stopped.contains(.balance) {
            schedule(.balance, at: Self.nextGridPoint(after: now, every: config.balanceInterval.nanoseconds))
        }
        if stopped.contains(.heartbeat) {
            schedule(.heartbeat, at: now + heartbeatInterval())
        }
        if stopped.contains(.sample) {
            schedule(.sample, at: Self.nextGridPoint(after: now, every: config.sampleInterval.nanoseconds))
        }
    }

    /// The first multiple of `interval` strictly after `time` (`interval` > 0).
    public static func nextGridPoint(after time: Int64, every interval: Int64) -> Int64 {
        let (next, overflow) = (time / interval + 1).multipliedReportingOverflow(by: interval)
        return overflow ? Int64.max : next
    }
}
