import Messages
import Scheduler
import Worker

extension SchedulerState: SimulatedScheduler {
    public func drainTransitions(into sink: inout TransitionSink) {
        // Read the log in place and clear it (keeping its buffer), so no copy is made per stimulus.
        for record in transitionLog {
            sink.add(time: record.time, task: record.key, from: record.from.rawValue, to: record.to.rawValue,
                     stimulus: record.stimulus, worker: record.worker)
        }
        transitionLog.removeAll(keepingCapacity: true)
    }

    public var confirmedSteals: Int { counters.stealsConfirmed }
    public var transitionCount: Int { counters.transitions }

    public func currentState(of key: TaskID) -> String? { isKnown(key) ? state(of: key).rawValue : "" }

    public func invariantProblems() -> [String] {
        do { try _checkInvariants() } catch let error as SchedulerInvariantError { return error.violations } catch {
            return ["\(error)"]
        }
        return []
    }
}

extension WorkerState: SimulatedWorker {
    public var queuedTasks: Int { readyCount }
    public var missingTasks: Int { missingCount }

    public func fetchHolders(of key: TaskID) -> [WorkerID]? { state(of: key) == .fetch ? whoHas(key) : nil }

    public func invariantProblems() -> [String] {
        do { try _checkInvariants() } catch let error as WorkerInvariantError { return error.problems } catch {
            return ["\(error)"]
        }
        return []
    }
}

extension MachineFactory {
    /// The policies `dask(policy:)` builds here. `replay --policy` takes every
    /// policy of the Policies module's `PolicyRegistry` (which builds on this seam).
    public static let policyNames = ["dask"]

    /// Dask's scheduler (`SchedulerState`) with the named policy, and Dask's worker (`WorkerState`).
    public static func dask(
        policy: String = "dask", scheduler: SchedulerConfig = SchedulerConfig(), worker: WorkerConfig = WorkerConfig()
    ) -> MachineFactory? {
        let makePolicy: () -> any SchedulingPolicy
        switch policy {
        case "dask": makePolicy = { DaskPolicy() }
        default: return nil
        }
        return MachineFactory(
            makeScheduler: { workload in SchedulerState(workload: workload, config: scheduler, policy: makePolicy()) },
            makeWorker: { id, spec, workload, hostOf in
                WorkerState(id: id, spec: spec, workload: workload, peers: hostOf, config: worker)
            })
    }
}
