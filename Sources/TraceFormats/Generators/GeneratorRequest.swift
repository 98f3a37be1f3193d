import OrderedCollections
import Stochastics

/// Everything a generator needs: which graph, its shape parameters, the seed
/// and the distributions task durations and output sizes are drawn from.
///
/// Parameters are given by name (`blocks=8`, `split-every=4`) so the command
/// line can pass them through; every generator checks that it knows each name
/// and that each value is in range, and names the bad one otherwise.
public struct GeneratorRequest {
    public var kind: String
    public var seed: UInt64
    /// Compute time of a task in seconds (for generators whose tasks are not
    /// defined by a paper, e.g. Estee's families).
    public var duration: Distribution
    /// Output size of a data-carrying task in bytes.
    public var size: Distribution
    public var parameters: OrderedDictionary<String, String>

    public init(
        kind: String, seed: UInt64 = 1, duration: Distribution = .constant(1),
        size: Distribution = .constant(1_000_000), parameters: OrderedDictionary<String, String> = [:]
    ) {
        self.kind = kind
        self.seed = seed
        self.duration = duration
        self.size = size
        self.parameters = parameters
    }

    /// A one-line description of the request, kept as the workload's source.
    public var summary: String {
        let params = parameters.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return "generate \(kind) seed=\(seed) duration=\(duration) size=\(size)" + (params.isEmpty ? "" : " \(params)")
    }
}

/// Typed access to a request's named parameters, recording which were used so
/// unknown names can be reported.
struct ParameterReader {
    let request: GeneratorRequest
    private(set) var known: [String] = []

    init(_ request: GeneratorRequest) {
        self.request = request
    }

    mutating func int(_ name: String, default value: Int, in range: ClosedRange<Int>) throws(GeneratorError) -> Int {
        known.append(name)
        guard let text = request.parameters[name] else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            throw GeneratorError("\(request.kind): parameter \(name)=\(text) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return parsed
    }

    mutating func double(_ name: String, default value: Double, in range: ClosedRange<Double>) throws(GeneratorError) -> Double {
        known.append(name)
        guard let text = request.parameters[name] else { return value }
        guard let parsed = Double(text), parsed.isFinite, range.contains(parsed) else {
            throw GeneratorError("\(request.kind): parameter \(name)=\(text) must be a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return parsed
    }

    mutating func choice(_ name: String, default value: String, from options: [String]) throws(GeneratorError) -> String {
        known.append(name)
        guard let text = request.parameters[name] else { return value }
        guard options.contains(text) else {
            throw GeneratorError("\(request.kind): parameter \(name)=\(text) must be one of \(options.joined(separator: ", "))")
        }
        return text
    }

    /// Throws if the request names a parameter this generator did not read.
    func finish() throws(GeneratorError) {
        for name in request.parameters.keys where !known.contains(name) {
            throw GeneratorError("\(request.kind): unknown parameter '\(name)'; it takes \(known.joined(separator: ", "))")
        }
    }
}
