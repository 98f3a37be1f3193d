/// A problem in a JSON document: a syntax error found while parsing, or a
/// value of the wrong type or range found while reading it.
///
/// Printed the way compilers print errors, so editors can jump to it:
///
///     trace.json:14:5: tasks[3].duration: expected a number, got string "fast"
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file the document came from; `nil` until someone who knows it fills it in
    /// (the parser knows it, typed accessors on a `JSONValue` do not).
    public var file: String?
    public var location: JSONLocation
    /// Where in the document, when the error is about a value reached by a path.
    public var path: JSONPath?
    public var message: String

    public init(file: String? = nil, location: JSONLocation, path: JSONPath? = nil, message: String) {
        self.file = file
        self.location = location
        self.path = path
        self.message = message
    }

    /// The same error, naming `file` if it did not name one yet.
    public func inFile(_ file: String) -> JSONError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }

    public var description: String {
        var text = "\(file ?? "<json>"):\(location.line):\(location.column): "
        if let path, !path.isRoot { text += "\(path): " }
        return text + message
    }
}
