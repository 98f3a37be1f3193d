import CGSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A probability distribution of task durations, output sizes, noise factors,
/// inter-arrival times and so on, sampled through GSL.
///
/// Parameter names follow GSL's documentation, with the meaning spelled out
/// on each case. Build one in code, or parse a command-line specification
/// such as `lognormal:mean=1,cv=0.5` with `Distribution.parse(_:)`;
/// `description` prints the canonical specification back.
///
/// Distributions built in code are not checked (enum cases cannot validate);
/// call `validate()` on any built from user input. `parse` always validates.
public enum Distribution: Sendable, Hashable {
    /// Always `value`; draws nothing from the stream.
    case constant(Double)
    /// Uniform on [low, high) (`gsl_ran_flat`).
    case uniform(low: Double, high: Double)
    /// Normal with the given mean and standard deviation
    /// (`mean + gsl_ran_gaussian(sd)`). Can be negative: clamp where that matters.
    case normal(mean: Double, sd: Double)
    /// Lognormal: `exp(X)` with `X ~ Normal(mu, sigma)` (`gsl_ran_lognormal`).
    /// See `lognormal(mean:cv:)` to give the mean and coefficient of variation instead.
    case lognormal(mu: Double, sigma: Double)
    /// Exponential with the given **mean** (= 1 / rate; `gsl_ran_exponential`
    /// takes the mean, not the rate).
    case exponential(mean: Double)
    /// Gamma with shape k and scale θ; mean kθ (`gsl_ran_gamma(k, θ)`).
    case gamma(shape: Double, scale: Double)
    /// Pareto (type I) with shape α and scale (minimum) x_m:
    /// density α x_mᵅ / x^(α+1) for x ≥ x_m (`gsl_ran_pareto(α, x_m)`).
    case pareto(shape: Double, scale: Double)
    /// Weibull with scale λ and shape k: density (k/λ)(x/λ)^(k−1) e^(−(x/λ)^k)
    /// (`gsl_ran_weibull(λ, k)`; note GSL's order: scale first).
    case weibull(scale: Double, shape: Double)
    /// Poisson count with the given mean (`gsl_ran_poisson`), returned as a Double.
    case poisson(mean: Double)
    /// An index `i` in `0..<weights.count` with probability
    /// `weights[i] / sum(weights)` (`gsl_ran_discrete`), returned as a Double.
    case discrete(DiscreteWeights)

    /// The lognormal distribution with the given mean and coefficient of
    /// variation (standard deviation / mean):
    /// `sigma = sqrt(ln(1 + cv²))`, `mu = ln(mean) − sigma²/2`.
    ///
    /// Needs `mean > 0` and `cv ≥ 0`; otherwise `mu` or `sigma` is NaN and
    /// `validate()` rejects the result. `parse` checks both before converting.
    public static func lognormal(mean: Double, cv: Double) -> Distribution {
        let sigmaSquared = log1p(cv * cv)
        return .lognormal(mu: log(mean) - sigmaSquared / 2, sigma: sqrt(sigmaSquared))
    }

    /// A discrete distribution over indices with the given weights.
    ///
    /// - Throws: `DistributionError` for no weights, a negative or
    ///   non-finite weight, or all weights zero.
    public static func discrete(weights: [Double]) throws(DistributionError) -> Distribution {
        .discrete(try DiscreteWeights(weights))
    }

    /// Draws one value from `stream`.
    ///
    /// How many numbers a draw consumes from the stream depends on the kind
    /// (constant: none; uniform, exponential: one; normal, lognormal, gamma,
    /// poisson: a variable number). This is one reason each component gets its
    /// own stream: changing one component's distribution then cannot shift
    /// another component's draws.
    @inline(__always)
    public func sample(_ stream: RandomStream) -> Double {
        let r = stream.generator
        switch self {
        case .constant(let value):
            return value
        case .uniform(let low, let high):
            return gsl_ran_flat(r, low, high)
        case .normal(let mean, let sd):
            return mean + gsl_ran_gaussian(r, sd)
        case .lognormal(let mu, let sigma):
            return gsl_ran_lognormal(r, mu, sigma)
        case .exponential(let mean):
            return gsl_ran_exponential(r, mean)
        case .gamma(let shape, let scale):
            return gsl_ran_gamma(r, shape, scale)
        case .pareto(let shape, let scale):
            return gsl_ran_pareto(r, shape, scale)
        case .weibull(let scale, let shape):
            return gsl_ran_weibull(r, scale, shape)
        case .poisson(let mean):
            return Double(gsl_ran_poisson(r, mean))
        case .discrete(let weights):
            return Double(gsl_ran_discrete(r, weights.table))
        }
    }

    /// The kind's name as used in specifications, e.g. `"lognormal"`.
    public var kind: String {
        switch self {
        case .constant: return "constant"
        case .uniform: return "uniform"
        case .normal: return "normal"
        case .lognormal: return "lognormal"
        case .exponential: return "exponential"
        case .gamma: return "gamma"
        case .pareto: return "pareto"
        case .weibull: return "weibull"
        case .poisson: return "poisson"
        case .discrete: return "discrete"
        }
    }
}
