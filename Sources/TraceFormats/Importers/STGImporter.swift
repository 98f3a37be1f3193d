import Workload

/// Reads the Standard Task Graph Set format (Kasahara lab, Tobita & Kasahara 2002).
///
///     88                              number of real tasks n
///     0   0   0                       entry dummy: id, processing time, #preds
///     1   1   1   0                   id, time, #preds, pred ids...
///     ...
///     89  0   2   81  88              exit dummy (id n+1)
///     # CP Length : 569               trailer of '#' lines with statistics
///
/// The variant *with communication costs* gives each predecessor as a
/// `pred cost` pair, on the task's line or on lines of their own; both are read.
///
/// Mapping: the two zero-cost dummies and their edges are dropped by default
/// (SOURCES.md and the trailer count tasks and edges without them); keys are
/// `task-<id>`; durations are time units × `secondsPerUnit`; a communication
/// cost becomes the per-edge byte count cost × `bytesPerCommUnit` and the
/// producer's output size is its largest outgoing edge. The trailer's figures
/// (tasks, edges, dummy edges, processing-time statistics, CP length,
/// parallelism) are checked against the parsed graph; a mismatch is a warning.
public struct STGImporter: TraceImporter {
    public var keepDummies: Bool
    public var secondsPerUnit: Double
    /// Bytes per unit of communication cost. The default, 100 MB, is one second
    /// at Dask's default bandwidth estimate (100 MB/s), so a cost keeps its meaning
    /// as time when the simulator uses Dask's default.
    public var bytesPerCommUnit: Double

    public init(keepDummies: Bool = false, secondsPerUnit: Double = 1, bytesPerCommUnit: Double = 100_000_000) {
        self.keepDummies = keepDummies
        self.secondsPerUnit = secondsPerUnit
        self.bytesPerCommUnit = bytesPerCommUnit
    }

    public var name: String { "stg" }
    public var summary: String { "Standard Task Graph Set (Kasahara), with or without communication costs" }

    /// STG files start with a line holding one integer, then lines of integers.
    public func detect(prefix: ArraySlice<UInt8>, path: String) -> Bool {
        if path.lowercased().hasSuffix(".stg") { return true }
        let text = String(decoding: prefix.prefix(512), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).prefix(3)
        guard lines.count >= 2 else { return false }
        let first = lines[lines.startIndex].split(whereSeparator: \.isWhitespace)
        let second = lines[lines.startIndex + 1].split(whereSeparator: \.isWhitespace)
        return first.count == 1 && Int(first[0]) != nil && second.count >= 3 && second.allSatisfy { Int($0) != nil }
    }

    struct Record {
        var id: Int
        var time: Int
        var predecessors: [Int]
        var costs: [Int]?
        var line: Int
    }

    /// Reads a whole file for the format registry.
    public func read(bytes: [UInt8], path: String) throws -> LoadedTrace {
        try importTrace(bytes: bytes, path: path).loaded(format: name, path: path)
    }

    /// Reads a whole file, keeping the warnings' codes and counts.
    public func importTrace(bytes: [UInt8], path: String) throws(TraceImportError) -> ImportedTrace {
        let text = try TextInput.decode(bytes, file: path)
        var warnings = ImportWarnings()
        var dataLines: [(line: Int, tokens: [Substring])] = []
        var trailer: [(line: Int, text: Substring)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = raw.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("#") {
                trailer.append((index + 1, trimmed))
                continue
            }
            let tokens = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if tokens.isEmpty { continue }
            dataLines.append((index + 1, tokens))
        }
        guard let head = dataLines.first else {
            throw TraceImportError(file: path, place: "line 1", "empty STG file: expected the number of tasks")
        }
        guard head.tokens.count == 1, let n = Int(head.tokens[0]), n >= 0, n <= 50_000_000 else {
            throw TraceImportError(
                file: path, place: "line \(head.line)",
                "expected the number of tasks (one integer 0...50000000), found '\(head.tokens.joined(separator: " "))'")
        }
        let records = try parseRecords(dataLines.dropFirst(), count: n + 2, path: path)
        return try build(records: records, n: n, trailer: trailer, path: path, warnings: &warnings)
    }

    private func parseRecords(
        _ lines: ArraySlice<(line: Int, tokens: [Substring])>, count: Int, path: String
    ) throws(TraceImportError) -> [Record] {
        var records: [Record] = []
        // Not `count`: the first line is untrusted and may claim millions of tasks.
        records.reserveCapacity(min(count, lines.count))
        var cursor = lines.startIndex
        func integer(_ token: Substring, _ what: String, line: Int) throws(TraceImportError) -> Int {
            guard let value = Int(token), value >= 0, value <= Int(Int32.max) else {
                throw TraceImportError(file: path, place: "line \(line)", "\(what) '\(token)' is not an integer in 0...\(Int32.max)")
            }
            return value
        }
        while records.count < count {
            guard cursor < lines.endIndex else {
                let last = lines.last?.line ?? 1
                throw TraceImportError(
                    file: path, place: "line \(last)",
                    "file ends after \(records.count) task lines; expected \(count) (n + 2 dummies)")
            }
            let (line, tokens) = lines[cursor]
            cursor += 1
            guard tokens.count >= 3 else {
                throw TraceImportError(file: path, place: "line \(line)", "expected 'task_id proc_time num_preds [pred_id...]', found \(tokens.count) field(s)")
            }
            let id = try integer(tokens[0], "task id", line: line)
            guard id == records.count else {
                throw TraceImportError(file: path, place: "line \(line)", "expected task \(records.count), found task \(id) (tasks must be numbered 0...n+1 in order)")
            }
            let time = try integer(tokens[1], "processing time", line: line)
            let predCount = try integer(tokens[2], "predecessor count", line: line)
            let rest = tokens.dropFirst(3)
            var preds: [Int] = []
            var costs: [Int]? = nil
            if rest.count == predCount {
                for token in rest { preds.append(try integer(token, "predecessor id", line: line)) }
            } else if rest.count == 2 * predCount {
                costs = []
                var it = rest.makeIterator()
                while let p = it.next(), let c = it.next() {
                    preds.append(try integer(p, "predecessor id", line: line))
                    costs?.append(try integer(c, "communication cost", line: line))
                }
            } else if rest.isEmpty {
                // Communication-cost variant: one `pred cost` line per predecessor.
                costs = []
                for _ in 0..<predCount {
                    guard cursor < lines.endIndex, lines[cursor].tokens.count == 2 else {
                        let at = cursor < lines.endIndex ? lines[cursor].line : line
                        throw TraceImportError(
                            file: path, place: "line \(at)",
                            "task \(id) declares \(predCount) predecessors; expected a 'pred_id comm_cost' line for each")
                    }
                    let pairLine = lines[cursor].line
                    preds.append(try integer(lines[cursor].tokens[0], "predecessor id", line: pairLine))
                    costs?.append(try integer(lines[cursor].tokens[1], "communication cost", line: pairLine))
                    cursor += 1
                }
            } else {
                throw TraceImportError(
                    file: path, place: "line \(line)",
                    "task \(id) declares \(predCount) predecessors but the line lists \(rest.count) numbers")
            }
            for p in preds where p > count - 1 {
                throw TraceImportError(file: path, place: "line \(line)", "task \(id) names predecessor \(p), but the last task is \(count - 1)")
            }
            records.append(Record(id: id, time: time, predecessors: preds, costs: costs, line: line))
        }
        if cursor < lines.endIndex {
            throw TraceImportError(
                file: path, place: "line \(lines[cursor].line)",
                "unexpected data after the exit task \(count - 1) (the first line says n = \(count - 2))")
        }
        return records
    }

    private func key(_ id: Int) -> String { "task-\(id)" }

    private func build(
        records: [Record], n: Int, trailer: [(line: Int, text: Substring)], path: String,
        warnings: inout ImportWarnings
    ) throws(TraceImportError) -> ImportedTrace {
        let exit = n + 1
        func isDummy(_ id: Int) -> Bool { id == 0 || id == exit }
        for dummy in [records[0], records[exit]] where dummy.time != 0 {
            warnings.add("dummy-with-cost", "dummy task \(dummy.id) has processing time \(dummy.time); it is \(keepDummies ? "kept" : "dropped") anyway", at: "line \(dummy.line)")
        }
        // Largest outgoing communication cost per task, for its output size.
        var maxOut = [Int](repeating: 0, count: records.count)
        let hasCosts = records.contains { $0.costs != nil && !$0.predecessors.isEmpty }
        for record in records {
            for (i, p) in record.predecessors.enumerated() {
                maxOut[p] = max(maxOut[p], record.costs?[i] ?? 0)
            }
        }
        var builder = WorkloadBuilder(name: TextInput.stem(path), source: path)
        builder.metadata["format"] = "stg"
        var realEdges = 0
        var dummyEdges = 0
        for record in records {
            var deps: [String] = []
            var bytes: [Int64] = []
            var seen = Set<Int>()
            for (i, p) in record.predecessors.enumerated() {
                if !seen.insert(p).inserted {
                    warnings.add("duplicate-edge", "task \(record.id) lists predecessor \(p) twice; kept once", at: "line \(record.line)")
                    continue
                }
                if isDummy(p) || isDummy(record.id) {
                    dummyEdges += 1
                    if !keepDummies { continue }
                } else {
                    realEdges += 1
                }
                deps.append(key(p))
                bytes.append(Int64(Double(record.costs?[i] ?? 0) * bytesPerCommUnit))
            }
            if isDummy(record.id) && !keepDummies { continue }
            let spec = TaskSpec(
                key: key(record.id), duration: Double(record.time) * secondsPerUnit,
                outputBytes: Int64(Double(maxOut[record.id]) * bytesPerCommUnit),
                dependencyBytes: hasCosts ? bytes : nil)
            builder.add(spec, dependencies: deps, origin: "line \(record.line)")
        }
        let workload: Workload
        do {
            workload = try builder.build()
        } catch {
            throw TraceImportError(error)
        }
        checkTrailer(trailer, records: records, n: n, realEdges: realEdges, dummyEdges: dummyEdges,
                     workload: workload, warnings: &warnings)
        return ImportedTrace(workload: workload, warnings: warnings.list)
    }

    /// Compares the trailer's statistics with the parsed graph.
    private func checkTrailer(
        _ trailer: [(line: Int, text: Substring)], records: [Record], n: Int, realEdges: Int, dummyEdges: Int,
        workload: Workload, warnings: inout ImportWarnings
    ) {
        let real = records[1...n]
        let times = real.map(\.time)
        let total = times.reduce(0, +)
        // Critical path in time units over real tasks (dummies cost 0, so they do not change it).
        let cp = workload.graphFacts().criticalPathLength / secondsPerUnit
        for (line, text) in trailer {
            let parts = text.dropFirst().split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let label = parts[0].trimmedBlanks
            let valueText = parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "(" }).first ?? ""
            guard let value = Double(valueText) else { continue }
            let actual: Double?
            switch label {
            case "Tasks": actual = Double(n)
            case "Edges":
                actual = Double(realEdges)
                // "(+dummy edges : 4)" — the second number on the line.
                if let dummyText = parts[1].split(separator: ":").dropFirst().first?
                    .split(whereSeparator: { $0 == " " || $0 == ")" }).first,
                   let stated = Int(dummyText), stated != dummyEdges {
                    warnings.add("trailer-mismatch", "trailer says \(stated) dummy edges, the graph has \(dummyEdges)", at: "line \(line)")
                }
            case "Max. Predecessors": actual = Double(records.map(\.predecessors.count).max() ?? 0)
            case "Min. Predecessors": actual = Double(records.map(\.predecessors.count).min() ?? 0)
            case "Ave. Predecessors": actual = n > 0 ? Double(realEdges) / Double(n) : 0
            // Like the predecessor counts, the extremes include the two dummies.
            case "Max. Proc. Time": actual = Double(records.map(\.time).max() ?? 0)
            case "Min. Proc. Time": actual = Double(records.map(\.time).min() ?? 0)
            case "Ave. Proc. Time": actual = n > 0 ? Double(total) / Double(n) : 0
            case "CP Length": actual = cp
            case "Parallelism": actual = cp > 0 ? Double(total) / cp : nil
            default: actual = nil
            }
            guard let actual else { continue }
            // Averages are printed with 6 decimals; allow for that rounding.
            if abs(actual - value) > 1e-6 * max(1, abs(value)) + 5e-7 {
                warnings.add("trailer-mismatch", "trailer says \(label) = \(valueText), the parsed graph gives \(actual)", at: "line \(line)")
            }
        }
    }
}
