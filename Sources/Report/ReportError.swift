/// A problem with the logs handed to `schedsim report`. Every case names the place:
/// the file, and where it applies the line and column.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadable(file: String, reason: String)
    /// A required column is missing from the header row.
    case missingColumn(file: String, column: String, header: [String])
    /// A field holds something that is not what its column needs.
    case badField(file: String, line: Int, column: String, value: String, expected: String)
    /// The CSV text itself is malformed (an unclosed quote, a stray quote).
    case malformed(file: String, line: Int, reason: String)
    /// The HTML page cannot be written (the output is a directory, a full disk): not a
    /// problem of the logs, so `schedsim report` exits 1 for it rather than 65.
    case unwritable(file: String, reason: String)
    /// The directory holds none of the files the report knows.
    case unknownDirectory(path: String, found: [String])

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .unwritable(file, reason):
            return "\(file): \(reason)"
        case let .missingColumn(file, column, header):
            return "\(file):1: missing required column '\(column)' (header has: \(header.joined(separator: ", ")))"
        case let .badField(file, line, column, value, expected):
            return "\(file):\(line): column '\(column)': '\(value)' is not \(expected)"
        case let .malformed(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .unknownDirectory(path, found):
            let listing = found.isEmpty ? "it is empty" : "it holds: \(found.joined(separator: ", "))"
            return "\(path): not a schedsim log directory: expected tasks.csv (a replay), "
                + "summary.csv with a run_id column (compare) or validation.csv (validate); \(listing)"
        }
    }
}
