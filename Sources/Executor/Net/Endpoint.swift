/// A `host:port` or `tcp://host:port` address from the command line.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `tcp://HOST:PORT` or `HOST:PORT`; the error names the text.
    public init(parsing text: String) throws(WireError) {
        var rest = Substring(text)
        if rest.hasPrefix("tcp://") { rest = rest.dropFirst(6) }
        guard let colon = rest.lastIndex(of: ":") else {
            throw WireError("address '\(text)': expected HOST:PORT (e.g. 127.0.0.1:8786)")
        }
        let host = String(rest[..<colon])
        guard !host.isEmpty else { throw WireError("address '\(text)': empty host") }
        guard let port = Int(rest[rest.index(after: colon)...]), (0...65535).contains(port) else {
            throw WireError("address '\(text)': port must be a number from 0 to 65535")
        }
        self.host = host
        self.port = port
    }

    public var description: String { "tcp://\(host):\(port)" }
}
