/// Something an importer could not map onto schedsim's model, reported with a
/// count rather than silently dropped (e.g. "a file has two producers").
public struct ImportWarning: Sendable, Hashable, CustomStringConvertible {
    /// A stable short name for the kind of problem, e.g. `file-two-producers`.
    public var code: String
    /// What happened, for the first occurrence.
    public var message: String
    /// Where the first occurrence was.
    public var place: String
    /// How many times this kind of problem occurred in the file.
    public var count: Int

    public init(code: String, message: String, place: String, count: Int = 1) {
        self.code = code
        self.message = message
        self.place = place
        self.count = count
    }

    public var description: String {
        let at = place.isEmpty ? "" : "\(place): "
        let times = count > 1 ? " (\(count) occurrences; first shown)" : ""
        return "\(at)\(message) [\(code)]\(times)"
    }
}

/// Collects warnings, merging repeats of one code into one entry with a count,
/// in the order codes first appear (deterministic output).
public struct ImportWarnings: Sendable {
    public private(set) var list: [ImportWarning] = []

    public init() {}

    public mutating func add(_ code: String, _ message: String, at place: String) {
        if let i = list.firstIndex(where: { $0.code == code }) {
            list[i].count += 1
        } else {
            list.append(ImportWarning(code: code, message: message, place: place))
        }
    }

    /// Count of occurrences of one code (0 when absent).
    public func count(of code: String) -> Int {
        list.first { $0.code == code }?.count ?? 0
    }
}
