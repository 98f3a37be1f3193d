import OrderedCollections
import Workload

extension NativeTraceReader {
    /// What the reader accumulates while it walks the document.
    struct ReadState {
        let file: String
        var builder: WorkloadBuilder
        var warnings: [TraceWarning] = []
        /// Unknown field name -> (how many times, where first), reported once per name.
        var unknownFields: OrderedDictionary<String, (count: Int, first: String)> = [:]

        init(file: String, builder: WorkloadBuilder) {
            self.file = file
            self.builder = builder
        }

        /// Counts an unknown field (`scope` is `task`, `submission`, `restrictions`).
        mutating func noteUnknownField(_ key: String, scope: String, place: String) {
            let name = "\(scope) field \(JSONText.quoted(key))"
            if let seen = unknownFields[name] {
                unknownFields[name] = (seen.count + 1, seen.first)
            } else {
                unknownFields[name] = (1, place)
            }
        }

        mutating func flushUnknownFieldWarnings() {
            for (name, seen) in unknownFields {
                let times = seen.count == 1 ? "" : " (\(seen.count) times)"
                warnings.append(TraceWarning(file: file, place: seen.first, message: "unknown \(name) ignored\(times)"))
            }
            unknownFields.removeAll()
        }
    }

    /// Reads task and submission fields, collecting type problems instead of
    /// stopping, so one run of `schedsim check` lists them all.
    struct FieldReader {
        /// `tasks` or `submissions`, and the index: the place is spelled out only when
        /// there is a problem to report (a string per task would cost time on big traces).
        let container: String
        let index: Int
        var problems: [(place: String, message: String)] = []

        init(_ container: String, index: Int) {
            self.container = container
            self.index = index
        }

        /// `tasks[3]`.
        var prefix: String { "\(container)[\(index)]" }

        mutating func problem(_ field: String, _ value: JSONValue, _ message: String) {
            problems.append((
                "\(prefix).\(field) (line \(value.location.line), column \(value.location.column))", message))
        }

        mutating func string(_ value: JSONValue, _ field: String) -> String? {
            if case .string(let s) = value.content { return s }
            problem(field, value, "expected a string, got \(value.summary)")
            return nil
        }

        mutating func bool(_ value: JSONValue, _ field: String) -> Bool? {
            if case .bool(let b) = value.content { return b }
            problem(field, value, "expected true or false, got \(value.summary)")
            return nil
        }

        mutating func double(_ value: JSONValue, _ field: String, unit: String) -> Double? {
            if case .number(let literal) = value.content, let number = Double(literal), number.isFinite { return number }
            problem(field, value, "expected a number (\(unit)), got \(value.summary)")
            return nil
        }

        mutating func int64(_ value: JSONValue, _ field: String) -> Int64? {
            guard case .number(let literal) = value.content else {
                problem(field, value, "expected an integer, got \(value.summary)")
                return nil
            }
            do {
                return try JSONValue.integer(fromLiteral: literal, location: value.location, path: nil)
            } catch {
                problem(field, value, error.message)
                return nil
            }
        }

        mutating func int(_ value: JSONValue, _ field: String) -> Int? {
            int64(value, field).flatMap { Int(exactly: $0) }
        }

        mutating func strings(_ value: JSONValue, _ field: String) -> [String]? {
            guard case .array(let items) = value.content else {
                problem(field, value, "expected an array of strings, got \(value.summary)")
                return nil
            }
            var result: [String] = []
            result.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                if case .string(let s) = item.content {
                    result.append(s)
                } else {
                    problem("\(field)[\(i)]", item, "expected a string, got \(item.summary)")
                }
            }
            return result
        }

        mutating func int64s(_ value: JSONValue, _ field: String) -> [Int64]? {
            guard case .array(let items) = value.content else {
                problem(field, value, "expected an array of integers, got \(value.summary)")
                return nil
            }
            var result: [Int64] = []
            result.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                result.append(int64(item, "\(field)[\(i)]") ?? 0)
            }
            return result
        }

        /// An object of strings (`annotations`).
        mutating func stringMap(_ value: JSONValue, _ field: String) -> OrderedDictionary<String, String> {
            guard case .object(let members) = value.content else {
                problem(field, value, "expected an object of strings, got \(value.summary)")
                return [:]
            }
            var map: OrderedDictionary<String, String> = [:]
            for member in members {
                if let s = string(member.value, "\(field).\(member.key)") { map[member.key] = s }
            }
            return map
        }
    }
}
