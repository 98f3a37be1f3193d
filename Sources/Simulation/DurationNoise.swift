import Stochastics

/// Multiplicative lognormal noise on task durations: each execution takes
/// `duration × X` with X lognormal of mean 1 and coefficient of variation `cv`.
/// Draws come from the run's own stream named `duration-noise` (derived from
/// the run seed), one draw per execution in event order.
final class DurationNoise {
    private let stream: RandomStream
    private let distribution: Distribution

    init(cv: Double, seed: UInt64) {
        stream = RandomStream(seed: seed, name: "duration-noise")
        distribution = .lognormal(mean: 1, cv: cv)
    }

    /// `duration × X`, rounded to whole nanoseconds.
    func apply(to duration: Int64) -> Int64 {
        guard duration > 0 else { return duration }
        let scaled = (Double(duration) * distribution.sample(stream)).rounded()
        return scaled >= 9e18 ? Int64.max / 4 : Int64(scaled)
    }
}
