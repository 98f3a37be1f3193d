import TraceFormats
import Workload

/// What `schedsim info` prints, as a table or as JSON, from the same facts.
struct TraceSummary {
    let path: String
    let trace: LoadedTrace
    let facts: GraphFacts
    let threads: [Int]

    var workload: Workload { trace.workload }

    var criticalPathEnds: (first: String, last: String)? {
        guard let first = facts.criticalPath.first, let last = facts.criticalPath.last else { return nil }
        return (workload[first].key, workload[last].key)
    }

    /// Σ bytes the consumers read over every edge of the graph (`nil` if that
    /// overflows `Int64`). The same before and after partial reads are split.
    var edgeBytes: Int64? {
        if let split = trace.partialReads { return split.edgeBytes }
        var total: Int64 = 0
        for t in workload.ids {
            for i in workload[t].dependencies.indices {
                let (sum, overflow) = total.addingReportingOverflow(workload.edgeBytes(consumer: t, dependencyIndex: i))
                if overflow { return nil }
                total = sum
            }
        }
        return total
    }

    /// Label / value rows, labels padded to one column.
    func table() -> String {
        var rows: [(String, String)] = [
            ("trace", workload.name),
            ("file", path),
            ("format", trace.format),
            ("tasks", Format.count(facts.tasks)),
            ("  compute", Format.count(facts.computeTasks)),
            ("  data", Format.count(facts.dataTasks)),
            ("edges", Format.count(facts.edges)),
        ]
        if let split = trace.partialReads, split.partTasks > 0 {
            rows += [
                ("  part tasks", "\(Format.count(split.partTasks)) added for the partial reads of \(Format.count(split.producers)) "
                    + "producer\(split.producers == 1 ? "" : "s") (the trace has \(Format.count(split.originalTasks)) tasks, "
                    + "\(Format.count(split.originalEdges)) edges)"),
                ("edge bytes", Format.bytes(split.edgeBytes)
                    + " read; whole outputs over the same edges: \(Format.bytes(split.wholeOutputEdgeBytes))"),
            ]
        }
        rows += [
            ("total work", Format.seconds(facts.totalWork)),
        ]
        var path = Format.seconds(facts.criticalPathLength)
        if let ends = criticalPathEnds {
            let count = facts.criticalPath.count
            path += " over \(Format.count(count)) task\(count == 1 ? "" : "s"), from \(ends.first) to \(ends.last)"
        }
        rows += [
            ("critical path", path),
            ("depth", Format.count(facts.depth)),
            ("max width", Format.count(facts.maxWidth)),
            ("total output", Format.bytes(facts.totalOutputBytes)),
            ("roots", Format.count(facts.roots)),
            ("leaves", Format.count(facts.leaves)),
            ("max in-degree", Format.count(facts.maxInDegree)),
            ("max out-degree", Format.count(facts.maxOutDegree)),
            ("submissions", Format.count(facts.submissions)),
            ("clients", Format.count(facts.clients)),
        ]
        for n in threads {
            rows.append(("lower bound, \(n) thread\(n == 1 ? "" : "s")", Format.seconds(facts.makespanLowerBound(threads: n))))
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { label, value in
            label + String(repeating: " ", count: width - label.count + 2) + value + "\n"
        }.joined()
    }

    /// One JSON object, keys in a fixed order; seconds as numbers, bytes as integers.
    func json() -> String {
        var fields: [(String, String)] = [
            ("trace", JSONText.quoted(workload.name)),
            ("file", JSONText.quoted(path)),
            ("format", JSONText.quoted(trace.format)),
            ("tasks", "\(facts.tasks)"),
            ("compute_tasks", "\(facts.computeTasks)"),
            ("data_tasks", "\(facts.dataTasks)"),
            ("edges", "\(facts.edges)"),
            ("part_tasks", "\(trace.partialReads?.partTasks ?? 0)"),
            ("edge_bytes", edgeBytes.map { "\($0)" } ?? "null"),
            ("total_work_seconds", "\(facts.totalWork)"),
            ("critical_path_seconds", "\(facts.criticalPathLength)"),
            ("critical_path_tasks", "\(facts.criticalPath.count)"),
            ("critical_path_first", criticalPathEnds.map { JSONText.quoted($0.first) } ?? "null"),
            ("critical_path_last", criticalPathEnds.map { JSONText.quoted($0.last) } ?? "null"),
            ("depth", "\(facts.depth)"),
            ("max_width", "\(facts.maxWidth)"),
            ("total_output_bytes", "\(facts.totalOutputBytes)"),
            ("roots", "\(facts.roots)"),
            ("leaves", "\(facts.leaves)"),
            ("max_in_degree", "\(facts.maxInDegree)"),
            ("max_out_degree", "\(facts.maxOutDegree)"),
            ("submissions", "\(facts.submissions)"),
            ("clients", "\(facts.clients)"),
        ]
        let bounds = threads.map { "\"\($0)\": \(facts.makespanLowerBound(threads: $0))" }
        fields.append(("lower_bound_seconds_by_threads", "{" + bounds.joined(separator: ", ") + "}"))
        let body = fields.map { "  \(JSONText.quoted($0.0)): \($0.1)" }.joined(separator: ",\n")
        return "{\n" + body + "\n}\n"
    }
}

/// Number formatting for tables.
enum Format {
    /// `1234567` -> `1,234,567`.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Seconds rounded to the microsecond, trailing zeros dropped: `5.75 s`, `17 s`.
    /// Spans of a minute or more also show hours/minutes: `3725.5 s (1h 02m 05.5s)`.
    static func seconds(_ s: Double) -> String {
        guard s.isFinite, abs(s) < 1e12 else { return "\(s) s" }
        let micros = Int64((s * 1e6).rounded())
        let whole = micros / 1_000_000
        var fraction = String(abs(micros % 1_000_000))
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = micros < 0 && whole == 0 ? "-" : ""
        var text = sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction) + " s"
        if whole >= 60 {
            let h = whole / 3600, m = (whole % 3600) / 60, sec = whole % 60
            let secText = (sec < 10 ? "0" : "") + String(sec) + (fraction.isEmpty ? "" : "." + fraction.prefix(1))
            text += h > 0 ? " (\(h)h \(m < 10 ? "0" : "")\(m)m \(secText)s)" : " (\(m)m \(secText)s)"
        }
        return text
    }

    /// Binary units with three significant digits: `230 B`, `1.5 KiB`, `953.67 MiB`.
    static func bytes(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(n)
        var unit = 0
        while abs(value) >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(n) B" }
        let rounded = (value * 100).rounded() / 100
        var text = "\(rounded)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return "\(text) \(units[unit]) (\(count(Int(n))) bytes)"
    }
}
