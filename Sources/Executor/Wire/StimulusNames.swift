import Messages

/// `StimulusID.name` is a `StaticString` (no allocation per stimulus in the state
/// machines), so a decoded name must be mapped back to one of a fixed set. Names
/// outside the set arrive as `remote`; the sequence number is kept either way.
enum StimulusNames {
    static let known: [StaticString] = [
        "add-worker", "remove-worker", "retire-workers", "scatter", "heartbeat", "balance",
        "update-graph", "update-data", "client-desires-keys", "client-releases-keys", "retry",
        "task-finished", "task-erred", "compute-task", "free-keys", "steal", "steal-request",
        "execute-success", "execute-failure", "find-missing", "gather-dep-busy", "gather-dep-failure",
        "gather-dep-network-failure", "gather-dep-success", "get-data", "get-data-done", "pause",
        "unpause", "retry-busy-worker", "secede", "close", "worker", "init", "acquire-replicas",
        "remove-replicas", "refresh-who-has", "worker-status-change", "client",
    ]

    static let byName: [String: StaticString] = {
        var map: [String: StaticString] = [:]
        for name in known { map[name.description] = name }
        return map
    }()

    static func lookup(_ name: String) -> StaticString { byName[name] ?? "remote" }
}
