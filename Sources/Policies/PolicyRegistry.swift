import Planning
import Scheduler

/// Where the command line finds policies by name. To add a policy, write one
/// file declaring `extension PolicyEntry { static let name = ... }` and add one
/// line below (docs/policies.md walks through an example).
public enum PolicyRegistry {
    /// Every policy, in the order `--help` and `compare`'s tables list them.
    public static let entries: [PolicyEntry] = [
        .dask,
        .daskNoSteal,
        .daskNoQueue,
        .random,
        .roundRobin,
        .leastLoaded,
        .locality,
        .planned(.heft),
        .planned(.blevel),
        .planned(.tlevel),
        .planned(.dls),
        .planned(.etf),
        .planned(.mcp),
    ]

    /// Every registered name, in registry order.
    public static var names: [String] { entries.map(\.name) }

    /// The entry called `name`, if any.
    public static func entry(named name: String) -> PolicyEntry? {
        entries.first { $0.name == name }
    }

    /// Builds the named policy for one run: Dask's defaults, then the policy's
    /// own adjustments, then the user's `--set name=value` pairs in order (the
    /// user has the last word), then the policy itself.
    public static func prepare(
        _ name: String, context: PolicyContext, settings: [(name: String, value: String)] = []
    ) throws(PolicyError) -> PreparedPolicy {
        guard let entry = entry(named: name) else {
            throw PolicyError(policy: name, "unknown policy; known: \(names.joined(separator: ", "))")
        }
        let mode = InformationModeParsing.name(of: context.info)
        if entry.usesInformation, !entry.acceptedModes.contains(mode) {
            throw PolicyError(
                policy: name,
                "information mode '\(mode)' is not available to it; use one of \(entry.acceptedModes.joined(separator: ", "))")
        }
        var config = SchedulerConfig()
        entry.configure(&config)
        for setting in settings {
            do {
                try config.set(setting.name, setting.value)
            } catch {
                throw PolicyError(policy: name, "--set: \(error)")
            }
        }
        return try entry.prepare(context, config)
    }
}
