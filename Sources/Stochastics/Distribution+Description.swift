/// Printing a distribution as its canonical command-line specification.
extension Distribution: CustomStringConvertible, LosslessStringConvertible {
    /// The canonical specification, e.g. `gamma:shape=2,scale=1`; parsing it
    /// gives back an equal distribution. Lognormals always print as
    /// `lognormal:mu=…,sigma=…`, also when they were given as mean and cv.
    public var description: String {
        let f = Self.format
        switch self {
        case .constant(let value):
            return "constant:\(f(value))"
        case .uniform(let low, let high):
            return "uniform:low=\(f(low)),high=\(f(high))"
        case .normal(let mean, let sd):
            return "normal:mean=\(f(mean)),sd=\(f(sd))"
        case .lognormal(let mu, let sigma):
            return "lognormal:mu=\(f(mu)),sigma=\(f(sigma))"
        case .exponential(let mean):
            return "exponential:mean=\(f(mean))"
        case .gamma(let shape, let scale):
            return "gamma:shape=\(f(shape)),scale=\(f(scale))"
        case .pareto(let shape, let scale):
            return "pareto:shape=\(f(shape)),scale=\(f(scale))"
        case .weibull(let scale, let shape):
            return "weibull:scale=\(f(scale)),shape=\(f(shape))"
        case .poisson(let mean):
            return "poisson:mean=\(f(mean))"
        case .discrete(let weights):
            return "discrete:weights=\(weights)"
        }
    }

    /// Parses a specification; nil if it is invalid. Use `parse(_:)` to learn why.
    public init?(_ description: String) {
        guard let parsed = try? Distribution.parse(description) else { return nil }
        self = parsed
    }

    /// A number as written in specifications: whole numbers without a
    /// fraction (`2`, not `2.0`), everything else in Swift's shortest form that
    /// reads back to the identical Double (`0.1`, `1e-05`).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}
