import CGSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Analytic moments, for checks and for documenting what a specification means.
extension Distribution {
    /// The distribution's expected value, or nil where it is infinite
    /// (Pareto with shape ≤ 1).
    public var mean: Double? {
        // gsl_sf_gamma reports overflow through the error handler, which must be off.
        GSLLibrary.prepare()
        switch self {
        case .constant(let value):
            return value
        case .uniform(let low, let high):
            return (low + high) / 2
        case .normal(let mean, _):
            return mean
        case .lognormal(let mu, let sigma):
            return exp(mu + sigma * sigma / 2)
        case .exponential(let mean):
            return mean
        case .gamma(let shape, let scale):
            return shape * scale
        case .pareto(let shape, let scale):
            return shape > 1 ? shape * scale / (shape - 1) : nil
        case .weibull(let scale, let shape):
            return scale * gsl_sf_gamma(1 + 1 / shape)
        case .poisson(let mean):
            return mean
        case .discrete(let weights):
            let (first, _) = Self.indexMoments(weights.weights)
            return first
        }
    }

    /// The distribution's variance, or nil where it is infinite or undefined
    /// (Pareto with shape ≤ 2).
    public var variance: Double? {
        GSLLibrary.prepare()
        switch self {
        case .constant:
            return 0
        case .uniform(let low, let high):
            return (high - low) * (high - low) / 12
        case .normal(_, let sd):
            return sd * sd
        case .lognormal(let mu, let sigma):
            let s2 = sigma * sigma
            return expm1(s2) * exp(2 * mu + s2)
        case .exponential(let mean):
            return mean * mean
        case .gamma(let shape, let scale):
            return shape * scale * scale
        case .pareto(let shape, let scale):
            guard shape > 2 else { return nil }
            return scale * scale * shape / ((shape - 1) * (shape - 1) * (shape - 2))
        case .weibull(let scale, let shape):
            let g1 = gsl_sf_gamma(1 + 1 / shape)
            return scale * scale * (gsl_sf_gamma(1 + 2 / shape) - g1 * g1)
        case .poisson(let mean):
            return mean
        case .discrete(let weights):
            let (first, second) = Self.indexMoments(weights.weights)
            return second - first * first
        }
    }

    /// E[i] and E[i²] of an index drawn with probability proportional to its weight.
    private static func indexMoments(_ weights: [Double]) -> (Double, Double) {
        var total = 0.0, first = 0.0, second = 0.0
        for (index, weight) in weights.enumerated() {
            let i = Double(index)
            total += weight
            first += i * weight
            second += i * i * weight
        }
        return (first / total, second / total)
    }
}
