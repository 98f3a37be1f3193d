/// A problem reading or writing a trace file as a whole (missing, unreadable,
/// corrupt compression), as opposed to a problem at a place inside it.
public struct TraceFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
