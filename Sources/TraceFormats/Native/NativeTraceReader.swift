import OrderedCollections
import Workload

/// Reads `schedsim-trace` version 1 files into a `Workload`.
///
/// The top-level object and the `tasks` array are read member by member, and
/// each task as a small `JSONValue` that is dropped after conversion, so a
/// million-task trace never exists as a JSON tree in memory.
///
/// Problems are reported in three tiers:
/// - malformed JSON, a missing or wrong `format`/`version`, or a top-level field
///   of the wrong type: a `JSONError` (`trace.json:14:5: ...`), reading stops;
/// - a task or submission field of the wrong type, and every graph problem
///   (duplicate keys, cycles, unknown dependencies, bad values): collected, and
///   thrown together as one `WorkloadValidationError` whose issues name the task
///   key and place (`tasks[3].duration (line 14, column 17)`);
/// - unknown fields: warnings in `LoadedTrace.warnings`, one per field name
///   (newer writers may add fields; older readers keep working).
public enum NativeTraceReader {
    /// Reads a file (gzip or not).
    public static func read(path: String) throws -> LoadedTrace {
        try read(bytes: TraceFile.readBytes(path: path), path: path)
    }

    /// Reads a document in memory. `path` names the file in errors and is the
    /// workload's `source`; its stem is the default name.
    public static func read(bytes: consuming [UInt8], path: String) throws -> LoadedTrace {
        let (builder, warnings) = try parse(bytes: bytes, path: path)
        _ = consume bytes  // the text is no longer needed; free it before the workload is built
        // `consume` hands the builder's task list to the workload without copying it.
        let workload = try (consume builder).build()
        return LoadedTrace(workload: workload, warnings: warnings, format: NativeTraceFormat.formatName)
    }

    /// Reads the document into a builder (not yet validated as a graph) and its warnings.
    static func parse(bytes: borrowing [UInt8], path: String) throws -> (WorkloadBuilder, [TraceWarning]) {
        var state = ReadState(file: path, builder: WorkloadBuilder(name: defaultName(for: path), source: path))
        var format: JSONValue?
        var version: JSONValue?
        var sawTasks = false
        let topLocation: JSONLocation
        do {
            topLocation = try JSONParser.withParser(copy bytes, file: path) { parser in
                guard parser.peekKind() == .object else {
                    let value = try parser.parseValue()
                    throw JSONError(file: path, location: value.location,
                                    message: "expected a schedsim-trace object at the top level, got \(value.summary)")
                }
                let start = parser.location
                try parser.forEachMember { parser, key, keyLocation in
                    switch key {
                    case "format":
                        format = try parser.parseValue()
                    case "version":
                        version = try parser.parseValue()
                    case "name":
                        state.builder.name = try parser.parseValue().withPath(key).string
                    case "metadata":
                        state.builder.metadata = try readStringMap(parser.parseValue().withPath(key))
                    case "submissions":
                        let value = try parser.parseValue().withPath(key)
                        for (index, entry) in try value.array.enumerated() {
                            readSubmission(entry, index: index, into: &state)
                        }
                    case "tasks":
                        sawTasks = true
                        guard parser.peekKind() == .array else {
                            throw try parser.parseValue().withPath(key).typeError("an array of tasks")
                        }
                        try parser.forEachElement { parser, index in
                            readTask(try parser.parseValue(), index: index, into: &state)
                        }
                    default:
                        state.warnings.append(TraceWarning(
                            file: path, place: "\(keyLocation)", message: "unknown top-level field \(JSONText.quoted(key)) ignored"))
                        try parser.skipValue()
                    }
                }
                try parser.expectEnd()
                return start
            }
        } catch let error as JSONError {
            throw error.inFile(path)
        }
        try checkHeader(format: format, version: version, at: topLocation, path: path)
        if !sawTasks {
            throw JSONError(file: path, location: topLocation, message: "missing required field \"tasks\"")
        }
        state.flushUnknownFieldWarnings()
        return (state.builder, state.warnings)
    }

    /// `format` must be "schedsim-trace" and `version` 1. Checked after reading,
    /// because JSON does not fix the order of members.
    static func checkHeader(format: JSONValue?, version: JSONValue?, at top: JSONLocation, path: String) throws(JSONError) {
        do {
            try checkHeaderFields(format: format, version: version, at: top, path: path)
        } catch {
            throw error.inFile(path)
        }
    }

    static func checkHeaderFields(format: JSONValue?, version: JSONValue?, at top: JSONLocation, path: String) throws(JSONError) {
        guard let format else {
            throw JSONError(file: path, location: top,
                            message: "not a schedsim-trace file: the top-level object has no \"format\" field")
        }
        let name = try format.withPath("format").string
        guard name == NativeTraceFormat.formatName else {
            throw JSONError(file: path, location: format.location, path: JSONPath([.key("format")]),
                            message: "expected \"schedsim-trace\", got \(format.summary)")
        }
        guard let version else {
            throw JSONError(file: path, location: top, message: "missing required field \"version\" (this schedsim reads version 1)")
        }
        let number = try version.withPath("version").int64
        guard number == NativeTraceFormat.version else {
            throw JSONError(file: path, location: version.location, path: JSONPath([.key("version")]),
                            message: "unsupported schedsim-trace version \(number); this schedsim reads version \(NativeTraceFormat.version)")
        }
    }

    /// `traces/diamond.json.gz` -> `diamond`.
    static func defaultName(for path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".gz", ".json"] where name.hasSuffix(suffix) && name.count > suffix.count {
            name.removeLast(suffix.count)
        }
        return name
    }

    /// An object whose values are all strings (`metadata`, `annotations`).
    static func readStringMap(_ value: JSONValue) throws(JSONError) -> OrderedDictionary<String, String> {
        var map: OrderedDictionary<String, String> = [:]
        for member in try value.members {
            map[member.key] = try member.value.string
        }
        return map
    }
}

extension JSONValue {
    /// This top-level member with its path set, for error messages.
    func withPath(_ key: String) -> JSONValue {
        var copy = self
        copy.path = JSONPath.root.appending(key: key)
        return copy
    }
}
