import Messages

extension RuntimeProfile {
    /// Dask's `BatchedSend` intervals (constants of `distributed/`, not fitted):
    /// scheduler → worker 5 ms (`Scheduler.add_worker`), worker → scheduler 2 ms
    /// (`Worker.__init__`), scheduler → client 2 ms (`Scheduler.add_client`),
    /// client → scheduler 10 ms (`Client._ensure_connected`).
    static func withDaskStreams(_ profile: RuntimeProfile) -> RuntimeProfile {
        var p = profile
        p.schedulerToWorkerInterval = .milliseconds(5)
        p.workerToSchedulerInterval = .milliseconds(2)
        p.schedulerToClientInterval = .milliseconds(2)
        p.clientToSchedulerInterval = .milliseconds(10)
        return p
    }

    /// Dask's stream intervals and nothing else: what `calibrate` starts from, so every
    /// cost it cannot identify from captures stays zero.
    public static let daskStreamsOnly = withDaskStreams(RuntimeProfile(name: "dask-streams", source: "Dask's BatchedSend intervals only"))

    /// Real Dask (dask/distributed 2026.8.0, LocalCluster of processes, Python 3.11)
    /// on this project's 2-core machines, as fitted by `schedsim calibrate` on every
    /// capture bundled in traces/dask/ (docs/runtime.md, "Fitting", gives the command
    /// and the procedure). `profiles/dask.yaml` holds the same values and the fit's
    /// residuals; a test keeps the two equal.
    public static let dask = withDaskStreams(RuntimeProfile(
        name: "dask", source: "schedsim calibrate on the Dask captures bundled in traces/dask (profiles/dask.yaml; docs/runtime.md)",
        schedulerBatch: Time(nanoseconds: 1_653_000), schedulerMessage: Time(nanoseconds: 21_000),
        schedulerTransition: Time(nanoseconds: 24_300), schedulerUpdateGraphTask: Time(nanoseconds: 130_600),
        workerBatch: Time(nanoseconds: 4_133_000), workerTask: Time(nanoseconds: 1_520_100),
        transferRequest: Time(nanoseconds: 4_162_800), transferBandwidth: 156_637_000))

    /// schedsim's own executor (`schedsim run`: child processes on loopback, `--work sleep`)
    /// on this project's 2-core machines, as fitted by
    /// `schedsim calibrate --executor --cluster 2x1 -o profiles/executor.yaml` from the
    /// built-in micro-benchmarks (docs/runtime.md, "The executor profile"). The executor
    /// never batches (every stimulus's messages are written and flushed at once), so every
    /// stream interval is zero. `profiles/executor.yaml` holds the same values and the
    /// fit's residuals; a test keeps the two equal.
    public static let executor = RuntimeProfile(
        name: "executor", source: "schedsim calibrate --executor on the built-in micro-benchmarks (profiles/executor.yaml; docs/runtime.md)",
        schedulerMessage: .zero, schedulerTransition: Time(nanoseconds: 26_700),
        schedulerUpdateGraphTask: Time(nanoseconds: 9_100),
        workerMessage: Time(nanoseconds: 45_900), workerTask: Time(nanoseconds: 72_100),
        workerOutputBandwidth: 730_600_000,
        transferRequest: Time(nanoseconds: 79_300), transferBandwidth: 75_622_000,
        clientSubmitTask: Time(nanoseconds: 16_100))
}
