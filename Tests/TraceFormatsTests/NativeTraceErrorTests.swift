import Testing
import Workload
@testable import TraceFormats

/// One fixture per validation problem a file can have; each must be reported
/// with its code, the right task key and the place in the file.
@Suite struct NativeTraceValidationFixtureTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let fixture: String
        let issues: [WorkloadIssue]
        var testDescription: String { fixture }
    }

    static let cases: [Case] = [
        Case(fixture: "duplicate-key.json", issues: [
            WorkloadIssue(.duplicateKey, key: "a", place: "tasks[2] (line 8)", "duplicate key (first defined at tasks[0] (line 6))"),
        ]),
        Case(fixture: "empty-key.json", issues: [
            WorkloadIssue(.emptyKey, key: nil, place: "tasks[1] (line 7)", "task has an empty key"),
        ]),
        Case(fixture: "missing-key.json", issues: [
            WorkloadIssue(.emptyKey, key: nil, place: "tasks[1] (line 7)", "task has no \"key\" field"),
        ]),
        Case(fixture: "unknown-dependency.json", issues: [
            WorkloadIssue(.unknownDependency, key: "b", place: "tasks[1] (line 7)", "depends on unknown key 'nope'"),
        ]),
        // p depends on r, q on p, r on q: the cycle p -> q -> r -> p, printed from its first task.
        Case(fixture: "cycle.json", issues: [
            WorkloadIssue(.cycle, key: "p", place: "tasks[1] (line 7)", "dependency cycle: p -> q -> r -> p"),
        ]),
        Case(fixture: "negative-duration.json", issues: [
            WorkloadIssue(.invalidDuration, key: "inc-2", place: "tasks[1] (line 7)",
                          "duration -1.0 is not a finite number of seconds >= 0"),
        ]),
        Case(fixture: "too-long-duration.json", issues: [
            WorkloadIssue(.invalidDuration, key: "a", place: "tasks[0] (line 6)",
                          "duration 1000000000.0 s is longer than a year; check the unit"),
        ]),
        Case(fixture: "negative-size.json", issues: [
            WorkloadIssue(.invalidSize, key: "a", place: "tasks[0] (line 6)",
                          "output size -5 bytes is outside 0...1125899906842624 (1 PiB)"),
        ]),
        Case(fixture: "huge-size.json", issues: [
            WorkloadIssue(.invalidSize, key: "a", place: "tasks[0] (line 6)",
                          "output size 1125899906842625 bytes is outside 0...1125899906842624 (1 PiB)"),
        ]),
        Case(fixture: "huge-edge-size.json", issues: [
            WorkloadIssue(.invalidSize, key: "b", place: "tasks[1] (line 7)",
                          "per-edge size -1 bytes is outside 0...1125899906842624 (1 PiB)"),
        ]),
        Case(fixture: "edge-size-count.json", issues: [
            WorkloadIssue(.invalidValue, key: "b", place: "tasks[1] (line 7)", "has 2 per-edge sizes for 1 dependencies"),
        ]),
        Case(fixture: "data-with-dependencies.json", issues: [
            WorkloadIssue(.dataTaskWithDependencies, key: "d", place: "tasks[1] (line 7)",
                          "is pure data (scattered) but has 1 dependencies"),
        ]),
        Case(fixture: "data-with-duration.json", issues: [
            WorkloadIssue(.invalidDuration, key: "d", place: "tasks[0] (line 6)",
                          "is pure data (scattered) but has a compute duration 2.0"),
        ]),
        Case(fixture: "unknown-actor.json", issues: [
            WorkloadIssue(.unknownActor, key: "call-1", place: "tasks[1] (line 7)",
                          "calls a method of 'plain', which is not an actor task of this workload"),
            WorkloadIssue(.unknownActor, key: "call-2", place: "tasks[2] (line 8)",
                          "calls a method of 'ghost', which is not an actor task of this workload"),
        ]),
        Case(fixture: "bad-submission.json", issues: [
            WorkloadIssue(.badSubmission, key: nil, place: "submissions[0] (line 6)",
                          "submission time -1.0 is not a finite number of seconds >= 0"),
            WorkloadIssue(.badSubmission, key: "zz", place: "submissions[0] (line 6)", "wanted key is not part of the workload"),
            WorkloadIssue(.badSubmission, key: "ghost", place: "submissions[1] (line 7)", "submitting task is not part of the workload"),
            WorkloadIssue(.badSubmission, key: "b", place: "tasks[1] (line 11)", "belongs to submission 3, but there are 2"),
        ]),
        Case(fixture: "negative-retries.json", issues: [
            WorkloadIssue(.invalidValue, key: "a", place: "tasks[0] (line 6)", "retries -1 is negative"),
            WorkloadIssue(.invalidValue, key: "a", place: "tasks[0] (line 6)", "resource 'GPU' amount -2.0 is not a finite number >= 0"),
        ]),
        Case(fixture: "empty-workload.json", issues: [
            WorkloadIssue(.emptyWorkload, key: nil, place: "", "the workload has no tasks"),
        ]),
        Case(fixture: "wrong-types.json", issues: [
            WorkloadIssue(.invalidValue, key: "a", place: "tasks[0].duration (line 6, column 30)", "expected a number (seconds), got string \"fast\""),
            WorkloadIssue(.invalidValue, key: "a", place: "tasks[0].output_bytes (line 6, column 54)", "expected an integer, got number 1.5"),
            WorkloadIssue(.invalidValue, key: "b", place: "tasks[1].dependencies (line 7, column 34)", "expected an array of strings, got string \"a\""),
            WorkloadIssue(.invalidValue, key: "b", place: "tasks[1].kind (line 7, column 47)", "expected \"compute\" or \"data\", got string \"gpu\""),
            WorkloadIssue(.invalidValue, key: nil, place: "tasks[2].key (line 8, column 13)", "expected a string, got number 7"),
            WorkloadIssue(.invalidValue, key: nil, place: "tasks[3] (line 9)", "expected a task object, got string \"not an object\""),
            WorkloadIssue(.invalidValue, key: "c", place: "tasks[4].restrictions.workers[0] (line 10, column 47)", "expected a string, got number 1"),
            WorkloadIssue(.invalidValue, key: "c", place: "tasks[4].secede (line 10, column 62)", "expected true or false, got string \"yes\""),
            WorkloadIssue(.invalidValue, key: "c", place: "tasks[4].annotations.n (line 10, column 90)", "expected a string, got number 3"),
        ]),
    ]

    @Test(arguments: cases)
    func reportsEveryIssueAtItsPlace(_ c: Case) {
        #expect(Fixtures.issues("invalid/" + c.fixture) == c.issues)
    }

    /// The printed form: file, place, key, message, code.
    @Test func printedMessageNamesFilePlaceAndKey() {
        let path = Fixtures.path("invalid/negative-duration.json")
        do {
            _ = try TraceLoader.load(path: path)
        } catch {
            #expect("\(error)" == """
                \(path): 1 problem found
                  \(path): tasks[1] (line 7): task 'inc-2': duration -1.0 is not a finite number of seconds >= 0 [invalid-duration]
                """)
        }
    }
}

/// Files that cannot be read at all: one located error, reading stops.
@Suite struct NativeTraceFatalErrorTests {
    static let cases: [(String, String)] = [
        ("truncated.json", "6:18: unexpected end of input, expected a string key after ','"),
        ("trailing-comma.json", "6:32: unexpected '}', expected a string key after ','"),
        ("non-utf8.json", "7:15: invalid UTF-8 at byte offset 125 (byte 0xFF)"),
        ("unsupported-version.json", "3:14: version: unsupported schedsim-trace version 2; this schedsim reads version 1"),
        ("tasks-not-array.json", "4:12: tasks: expected an array of tasks, got an object"),
    ]

    @Test(arguments: cases)
    func locatedError(_ fixture: String, _ expected: String) {
        let path = Fixtures.path("invalid/" + fixture)
        #expect(Fixtures.fatalError("invalid/" + fixture) == path + ":" + expected)
    }

    @Test func missingFormatIsNotDetectedAndForcedFormatSaysWhy() throws {
        let path = Fixtures.path("invalid/missing-format.json")
        #expect(Fixtures.fatalError("invalid/missing-format.json")
                == path + ": cannot tell the trace format from the content; pass --format (known formats: \(TraceLoader.knownNames))")
        do {
            _ = try TraceLoader.load(path: path, format: "schedsim-trace")
            Issue.record("loaded a file without format")
        } catch {
            #expect("\(error)" == path + ":1:1: not a schedsim-trace file: the top-level object has no \"format\" field")
        }
        do {
            _ = try TraceLoader.load(path: path, format: "nope")
        } catch {
            #expect("\(error)" == path + ": unknown format 'nope'; known formats: \(TraceLoader.knownNames)")
        }
    }

    @Test func headerErrors() {
        func message(_ text: String) -> String {
            do {
                _ = try NativeTraceReader.read(bytes: Array(text.utf8), path: "h.json")
                return "ok"
            } catch {
                return "\(error)"
            }
        }
        #expect(message(#"[1]"#) == "h.json:1:1: expected a schedsim-trace object at the top level, got an array of 1")
        #expect(message(#"{"format": "other", "version": 1, "tasks": []}"#) == "h.json:1:12: format: expected \"schedsim-trace\", got string \"other\"")
        #expect(message(#"{"format": "schedsim-trace", "tasks": []}"#) == "h.json:1:1: missing required field \"version\" (this schedsim reads version 1)")
        #expect(message(#"{"format": "schedsim-trace", "version": "1", "tasks": []}"#) == "h.json:1:41: version: expected an integer, got string \"1\"")
        #expect(message(#"{"format": "schedsim-trace", "version": 1}"#) == "h.json:1:1: missing required field \"tasks\"")
        #expect(message(#"{"format": "schedsim-trace", "version": 1, "name": 3, "tasks": []}"#) == "h.json:1:52: name: expected a string, got number 3")
        #expect(message(#"{"format": "schedsim-trace", "version": 1, "metadata": {"a": 1}, "tasks": []}"#) == "h.json:1:62: metadata.a: expected a string, got number 1")
        #expect(message(#"{"format": "schedsim-trace", "version": 1, "tasks": [], "tasks": []}"#) == "h.json:1:57: duplicate key \"tasks\" (first at 1:44)")
    }

    @Test func detection() {
        let native = NativeTraceFormat()
        #expect(native.detect(prefix: ArraySlice(" \n{\"format\": \"schedsim-trace\"".utf8), path: "x"))
        #expect(!native.detect(prefix: ArraySlice("{\"name\": \"wf\", \"schemaVersion\": \"1.5\"}".utf8), path: "x.json"))
        #expect(!native.detect(prefix: ArraySlice("[\"schedsim-trace\"]".utf8), path: "x.json"))
        #expect(!native.detect(prefix: ArraySlice("".utf8), path: "x.json"))
    }
}
