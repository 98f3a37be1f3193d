/// Parameter checks shared by the parser and by code that builds
/// distributions from user input.
extension Distribution {
    /// The largest Poisson mean accepted: `gsl_ran_poisson` returns a 32-bit
    /// count, so much larger means would overflow.
    public static let maximumPoissonMean: Double = 1e9

    /// Throws if a parameter is NaN, infinite or outside its domain.
    ///
    /// Domains: constant: any finite value; uniform: low < high; normal: sd ≥ 0;
    /// lognormal: sigma ≥ 0; exponential: mean > 0; gamma, pareto, weibull:
    /// shape > 0 and scale > 0; poisson: 0 ≤ mean ≤ 1e9; discrete: checked when
    /// its `DiscreteWeights` were built.
    public func validate() throws(DistributionError) {
        switch self {
        case .constant(let value):
            try Self.check("constant", "value", value, .any)
        case .uniform(let low, let high):
            try Self.check("uniform", "low", low, .any)
            try Self.check("uniform", "high", high, .any)
            guard low < high else {
                throw DistributionError(reason:
                    "uniform needs low < high, got low=\(Self.format(low)), high=\(Self.format(high)) (use constant:V for a fixed value)")
            }
        case .normal(let mean, let sd):
            try Self.check("normal", "mean", mean, .any)
            try Self.check("normal", "sd", sd, .nonNegative)
        case .lognormal(let mu, let sigma):
            try Self.check("lognormal", "mu", mu, .any)
            try Self.check("lognormal", "sigma", sigma, .nonNegative)
        case .exponential(let mean):
            try Self.check("exponential", "mean", mean, .positive)
        case .gamma(let shape, let scale):
            try Self.check("gamma", "shape", shape, .positive)
            try Self.check("gamma", "scale", scale, .positive)
        case .pareto(let shape, let scale):
            try Self.check("pareto", "shape", shape, .positive)
            try Self.check("pareto", "scale", scale, .positive)
        case .weibull(let scale, let shape):
            try Self.check("weibull", "scale", scale, .positive)
            try Self.check("weibull", "shape", shape, .positive)
        case .poisson(let mean):
            try Self.check("poisson", "mean", mean, .nonNegative)
            guard mean <= Self.maximumPoissonMean else {
                throw DistributionError(reason:
                    "poisson mean must be ≤ 1e9 (GSL returns a 32-bit count), got \(Self.format(mean))")
            }
        case .discrete:
            break // DiscreteWeights cannot be built from invalid weights.
        }
    }

    /// What a parameter's value must satisfy besides being finite.
    enum Domain {
        case any, positive, nonNegative
    }

    /// Throws `"<kind> <parameter> must be …, got <value>"` if `value` is outside `domain`.
    static func check(_ kind: String, _ parameter: String, _ value: Double, _ domain: Domain) throws(DistributionError) {
        guard value.isFinite else {
            // Spelled out because Swift prints a NaN with its sign bit set as "-nan".
            let shown = value.isNaN ? "nan" : "\(value)"
            throw DistributionError(reason: "\(kind) \(parameter) must be a finite number, got \(shown)")
        }
        switch domain {
        case .any:
            break
        case .positive:
            guard value > 0 else {
                throw DistributionError(reason: "\(kind) \(parameter) must be > 0, got \(format(value))")
            }
        case .nonNegative:
            guard value >= 0 else {
                throw DistributionError(reason: "\(kind) \(parameter) must be ≥ 0, got \(format(value))")
            }
        }
    }
}
