/// Why a frame could not be decoded (or a connection was refused). The text names
/// the place in the frame (the op and the field), so a log line says what was wrong.
public struct WireError: Error, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
