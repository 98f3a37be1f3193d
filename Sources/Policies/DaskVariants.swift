import Scheduler

/// Dask's own scheduling (`DaskPolicy`) in three configurations. They differ
/// only in `SchedulerConfig`, so `--set` can reach any other point between them.
/// Dask learns per-prefix durations while it runs: it always sees the
/// `online` information, whatever `--info` says.
extension PolicyEntry {
    /// Dask's defaults: root-task queuing at `worker-saturation` 1.1 and work stealing.
    public static let dask = PolicyEntry.dynamic(
        name: "dask", summary: "Dask's scheduler: queuing at worker-saturation 1.1, work stealing"
    ) { _, _ in DaskPolicy() }

    /// Dask without work stealing.
    public static let daskNoSteal = PolicyEntry.dynamic(
        name: "dask-nosteal", summary: "Dask with work-stealing off",
        configure: { $0.workStealing = false }
    ) { _, _ in DaskPolicy() }

    /// Dask without root-task queuing: `worker-saturation` inf, root-ish tasks co-assigned.
    public static let daskNoQueue = PolicyEntry.dynamic(
        name: "dask-noqueue", summary: "Dask with worker-saturation inf (no queuing, co-assignment)",
        configure: { $0.workerSaturation = .infinity }
    ) { _, _ in DaskPolicy() }
}
