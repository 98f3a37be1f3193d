/// What a planner is allowed to know about durations and sizes (Estee's
/// "information modes"). The simulator always runs with the true values; only
/// the plan is made from these estimates.
public enum InformationMode: Sendable, Hashable, CustomStringConvertible {
    /// True durations and sizes.
    case exact
    /// The user's own estimates: each true value times `1 + error × u`, with `u`
    /// uniform in [-1, 1) drawn from a seeded stream. `error` is in 0...1.
    case user(error: Double)
    /// Per-prefix means: every task gets the mean duration and mean output size
    /// of all tasks with its prefix (Dask's `key_split`).
    case mean
    /// Dask's learned per-prefix averages, updated as tasks finish. This exists
    /// only *during* a run, so a static planner (which plans before the run)
    /// cannot use it; asking for it is an error.
    case online

    public var description: String {
        switch self {
        case .exact: "exact"
        case .user(let error): "user(\(error))"
        case .mean: "mean"
        case .online: "online"
        }
    }
}

/// A source of uniform random numbers in [0, 1) for the `user` information mode.
///
/// The project's seeded GSL streams (`Stochastics.RandomStream`) conform to this
/// once that module lands; tests use a small fixed generator.
public protocol UniformSource {
    /// The next number, uniform in [0, 1).
    mutating func nextUniform() -> Double
}
