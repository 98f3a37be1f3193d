/// Why a distribution specification or parameter set was rejected.
///
/// `description` is the message to show the user: it quotes the specification
/// (when there is one) and names the bad part, e.g.
/// `invalid distribution "gamma:shape=-1,scale=1": parameter 'shape' must be > 0, got -1`.
public struct DistributionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The specification text being parsed, or nil when the distribution was
    /// built in code.
    public var spec: String?
    /// What is wrong, naming the kind, parameter or weight at fault.
    public var reason: String

    public init(spec: String? = nil, reason: String) {
        self.spec = spec
        self.reason = reason
    }

    public var description: String {
        if let spec {
            return "invalid distribution \"\(spec)\": \(reason)"
        }
        return "invalid distribution: \(reason)"
    }

    /// The same error, now quoting the specification it came from.
    func quoting(_ spec: String) -> DistributionError {
        DistributionError(spec: spec, reason: reason)
    }
}
