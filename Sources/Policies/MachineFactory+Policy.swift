import Messages
import Scheduler
import Simulation
import Worker

extension MachineFactory {
    /// Dask's scheduler state machine running `prepared`'s policy (a fresh
    /// policy object per scheduler), and Dask's worker state machine.
    public static func policy(_ prepared: PreparedPolicy, worker: WorkerConfig = WorkerConfig()) -> MachineFactory {
        let config = prepared.config
        let makePolicy = prepared.makePolicy
        return MachineFactory(
            makeScheduler: { workload in SchedulerState(workload: workload, config: config, policy: makePolicy()) },
            makeWorker: { id, spec, workload, hostOf in
                WorkerState(id: id, spec: spec, workload: workload, peers: hostOf, config: worker)
            })
    }
}
