import CGSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Multiplicative lognormal noise on task durations: each execution takes
/// `duration × X` with X lognormal of mean 1 and coefficient of variation `cv`
/// (σ² = ln(1 + cv²), μ = −σ²/2). Draws come from their own GSL mt19937
/// stream, seeded from the run seed, one draw per execution in event order.
final class DurationNoise {
    private let rng: UnsafeMutablePointer<gsl_rng>?
    private let mu: Double
    private let sigma: Double

    init(cv: Double, seed: UInt64) {
        gsl_set_error_handler_off()
        let variance = log(1 + cv * cv)
        sigma = variance.squareRoot()
        mu = -variance / 2
        rng = gsl_rng_alloc(schedsim_gsl_rng_mt19937())
        // Derive this component's seed from the run seed (splitmix64 of seed ^ "duration").
        var z = seed ^ 0x6475_7261_7469_6F6E
        z = z &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let derived = UInt(truncatingIfNeeded: z & 0xFFFF_FFFF)
        if let rng { gsl_rng_set(rng, derived == 0 ? 1 : derived) }
    }

    deinit {
        if let rng { gsl_rng_free(rng) }
    }

    /// `duration × X`, rounded to whole nanoseconds.
    func apply(to duration: Int64) -> Int64 {
        guard let rng, duration > 0 else { return duration }
        let factor = gsl_ran_lognormal(rng, mu, sigma)
        let scaled = (Double(duration) * factor).rounded()
        return scaled >= 9e18 ? Int64.max / 4 : Int64(scaled)
    }
}
