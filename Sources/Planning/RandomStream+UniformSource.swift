import Stochastics
import Workload

/// The project's seeded GSL streams feed the `user` information mode.
extension RandomStream: UniformSource {
    /// `gsl_rng_uniform`: uniform in [0, 1).
    public func nextUniform() -> Double { uniform() }
}

extension Estimates {
    /// The name of the stream the `user` mode draws from, under the run seed.
    public static let streamName = "planning/estimates"

    /// The estimates for `mode`, drawing `user` noise from the run's
    /// `planning/estimates` stream (so other components' draws never shift it).
    public static func make(_ workload: Workload, mode: InformationMode, seed: UInt64) throws(PlanningError) -> Estimates {
        var stream = RandomStream(seed: seed, name: streamName)
        return try make(workload, mode: mode, noise: &stream)
    }
}
