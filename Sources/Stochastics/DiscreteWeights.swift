import CGSL

/// Validated, non-negative weights of a discrete distribution over the
/// indices `0..<weights.count`, with GSL's Walker alias table prepared once
/// (`gsl_ran_discrete_preproc`) so that each draw costs O(1). The table is
/// freed when the last copy of the distribution goes away.
///
/// Equality and hashing look at the weights only, exactly as given (GSL
/// normalises internally, so `1/2/3` and `2/4/6` sample identically but are
/// different specifications).
public final class DiscreteWeights: Hashable, CustomStringConvertible, @unchecked Sendable {
    // @unchecked Sendable: the alias table is written once in init and only
    // read afterwards (`gsl_ran_discrete` takes it as `const`), so sharing it
    // between threads is safe.

    /// The weights, in index order.
    public let weights: [Double]
    /// GSL's alias table for `weights`.
    let table: UnsafeMutablePointer<gsl_ran_discrete_t>

    /// Checks the weights and prepares the alias table.
    ///
    /// - Throws: `DistributionError` if there are no weights, a weight is
    ///   negative, NaN or infinite, or all weights are zero. Weights are
    ///   numbered from 1 in messages.
    public init(_ weights: [Double]) throws(DistributionError) {
        guard !weights.isEmpty else {
            throw DistributionError(reason: "discrete needs at least one weight")
        }
        for (index, weight) in weights.enumerated() {
            guard weight.isFinite else {
                throw DistributionError(reason: "weight \(index + 1) must be a finite number, got \(weight)")
            }
            guard weight >= 0 else {
                throw DistributionError(reason: "weight \(index + 1) must be ≥ 0, got \(Distribution.format(weight))")
            }
        }
        guard weights.contains(where: { $0 > 0 }) else {
            throw DistributionError(reason: "discrete weights must not all be 0")
        }
        GSLLibrary.prepare()
        let prepared = weights.withUnsafeBufferPointer { buffer in
            gsl_ran_discrete_preproc(buffer.count, buffer.baseAddress)
        }
        guard let prepared else {
            // The checks above rule out GSL's own input errors, so this is malloc failing.
            throw DistributionError(reason: "gsl_ran_discrete_preproc failed for \(weights.count) weights (out of memory)")
        }
        self.weights = weights
        self.table = prepared
    }

    deinit {
        gsl_ran_discrete_free(table)
    }

    public static func == (lhs: DiscreteWeights, rhs: DiscreteWeights) -> Bool {
        lhs.weights == rhs.weights
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(weights)
    }

    /// The weights joined by `/`, as in the `discrete:weights=1/2/3` specification.
    public var description: String {
        weights.map(Distribution.format).joined(separator: "/")
    }
}
