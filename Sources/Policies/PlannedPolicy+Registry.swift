import Planning
import Scheduler

extension PolicyEntry {
    /// A static list scheduler: plans the whole graph before the run from the
    /// estimates of `--info` (`exact`, `user:ERROR` or `mean`; `online` cannot
    /// exist before the run), then pins every task to its planned worker in
    /// planned order (`PlannedPolicy`). Part tasks of split partial reads
    /// follow their producer (`PlannedPolicy.prepareContractingParts`).
    public static func planned(_ planner: Planner) -> PolicyEntry {
        PolicyEntry(
            name: planner.rawValue, summary: "static \(planner.rawValue) plan pinned to workers (Estee-style)",
            usesInformation: true, acceptedModes: ["exact", "user", "mean"]
        ) { context, config throws(PolicyError) in
            do {
                let cluster = try PlanningCluster(specs: context.workers, speeds: context.speeds, network: context.network)
                let (workload, policy) = try PlannedPolicy.prepareContractingParts(
                    planner, workload: context.workload, cluster: cluster, mode: context.info, seed: context.seed)
                let plan = policy.plan
                return PreparedPolicy(workload: workload, config: config) { PlannedPolicy(plan: plan) }
            } catch {
                throw PolicyError(policy: planner.rawValue, "\(error)")
            }
        }
    }
}
