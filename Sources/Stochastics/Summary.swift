import CGSL

/// Summary statistics of a sample: count, mean, standard deviation, extremes
/// and quantiles, computed with GSL.
///
/// Definitions:
/// - NaN values are left out of everything and counted in `nanCount`.
///   Infinite values are kept and follow IEEE arithmetic.
/// - `mean` is `gsl_stats_mean` over the values in ascending order, so the
///   result does not depend on the order the values were given in.
/// - `standardDeviation` is the sample standard deviation, dividing by n − 1
///   (`gsl_stats_sd_m`).
/// - `quantile(p)` is `gsl_stats_quantile_from_sorted_data`: linear
///   interpolation between order statistics, `(1 − δ)·x[i] + δ·x[i+1]` with
///   `i = floor((n − 1)·p)` and `δ = (n − 1)·p − i` (0-based, ascending) —
///   Hyndman & Fan type 7, the default of numpy's `quantile` and R's `quantile`.
///
/// Empty samples: `mean`, `min`, `max` and every quantile are nil;
/// `standardDeviation` is nil for fewer than two values. Nothing crashes.
public struct Summary: Sendable, Hashable {
    /// The values (without NaNs), ascending.
    public let sortedValues: [Double]
    /// How many NaN values were left out.
    public let nanCount: Int
    /// The arithmetic mean, nil for an empty sample.
    public let mean: Double?
    /// The sample standard deviation (n − 1 in the denominator), nil for fewer than two values.
    public let standardDeviation: Double?

    /// Summarises `values`. Costs one copy and one sort: O(n log n).
    public init(_ values: [Double]) {
        // Non-generic on purpose: a generic initialiser is not specialised
        // across module boundaries, and iterating an unspecialised Sequence
        // costs far more than the sort.
        var kept = values
        kept.removeAll(where: \.isNaN)
        kept.sort()
        sortedValues = kept
        nanCount = values.count - kept.count
        let n = kept.count
        let (mean, sd): (Double?, Double?) = kept.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, n > 0 else { return (nil, nil) }
            let mean = gsl_stats_mean(base, 1, n)
            let sd = n >= 2 ? gsl_stats_sd_m(base, 1, n, mean) : nil
            return (mean, sd)
        }
        self.mean = mean
        self.standardDeviation = sd
    }

    /// Summarises any sequence of values (copied into an array first).
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        self.init(Array(values))
    }

    /// The number of values summarised (NaNs excluded).
    public var count: Int { sortedValues.count }

    /// The smallest value, nil for an empty sample.
    public var min: Double? { sortedValues.first }

    /// The largest value, nil for an empty sample.
    public var max: Double? { sortedValues.last }

    /// The `p`-quantile by linear interpolation (type 7, see the type's
    /// documentation); nil for an empty sample or for `p` outside [0, 1] or NaN.
    public func quantile(_ p: Double) -> Double? {
        guard !sortedValues.isEmpty, p >= 0, p <= 1 else { return nil }
        return sortedValues.withUnsafeBufferPointer { buffer in
            // Non-empty, so baseAddress is not nil.
            buffer.baseAddress.map { gsl_stats_quantile_from_sorted_data($0, 1, buffer.count, p) }
        }
    }

    /// The median, `quantile(0.5)`.
    public var p50: Double? { quantile(0.5) }
    /// `quantile(0.95)`.
    public var p95: Double? { quantile(0.95) }
    /// `quantile(0.99)`.
    public var p99: Double? { quantile(0.99) }
}
