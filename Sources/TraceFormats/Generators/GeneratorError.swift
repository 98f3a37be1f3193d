/// A generator request that cannot be satisfied: unknown kind or parameter,
/// a value out of range, or a graph too large.
public struct GeneratorError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
