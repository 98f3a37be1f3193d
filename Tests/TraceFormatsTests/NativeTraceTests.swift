import OrderedCollections
import Testing
import Workload
@testable import TraceFormats

@Suite struct NativeTraceReadTests {
    @Test func diamond() throws {
        let trace = try TraceLoader.load(path: Fixtures.path("valid/diamond.json"))
        let w = trace.workload
        #expect(trace.format == "schedsim-trace")
        #expect(trace.warnings.isEmpty)
        #expect(w.name == "diamond")
        #expect(w.tasks.map(\.key) == ["a", "b", "c", "d"])
        #expect(w.tasks.map(\.duration) == [1, 2, 3, 1])
        #expect(w.tasks.map(\.outputBytes) == [100, 50, 70, 10])
        #expect(w[TaskID(3)].dependencies == [TaskID(1), TaskID(2)])
        #expect(w.dependents[0] == [TaskID(1), TaskID(2)])
        #expect(w.origins[2] == "tasks[2] (line 8)")
        // No submissions in the file: one client-0 at time 0 wanting the leaf.
        #expect(w.submissions == [Submission(client: "client-0", time: 0, submitter: nil, wanted: [TaskID(3)])])
    }

    @Test func everyField() throws {
        let w = try TraceLoader.load(path: Fixtures.path("valid/full.json")).workload
        #expect(w.name == "every-field")
        #expect(w.metadata == ["application": "demo", "note": "héllo \"quoted\""])
        let data = w[TaskID(0)]
        #expect(data.kind == .data && data.duration == 0 && data.outputBytes == 4096)
        let load = w[TaskID(1)]
        #expect(load.key == "('load-7f3e', 0)")
        #expect(load.prefix == "load" && load.group == "load-7f3e")
        #expect(load.duration == 0.125)
        #expect(load.dependencies == [TaskID(0)])
        #expect(load.dependencyBytes == [512])
        #expect(load.dependencyParts == [0])
        #expect(load.restrictions == Restrictions(workers: ["w1", "w2"], hosts: ["node-a"], loose: true))
        #expect(load.resources == [ResourceRequest(name: "GPU", amount: 1), ResourceRequest(name: "memory", amount: 4e9)])
        #expect(load.userPriority == 10 && load.retries == 2 && load.order == 3)
        #expect(load.annotations == ["stage": "load", "été": "ok"])
        let counter = w[TaskID(2)]
        #expect(counter.prefix == "Counter" && counter.group == "actors" && counter.isActor)
        #expect(counter.duration == 1e-6)
        #expect(w[TaskID(3)].dependencies == [TaskID(1), TaskID(2)])
        let call = w[TaskID(4)]
        #expect(call.actor == TaskID(2) && call.submission == 1 && !call.isActor)
        #expect(w[TaskID(5)].secedes)
        #expect(w.submissions == [
            Submission(client: "client-0", time: 0, submitter: nil, wanted: [TaskID(3)]),
            Submission(client: "client-1", time: 2.5, submitter: TaskID(5), wanted: []),
        ])
    }

    /// The fixture is written in the writer's own layout, so it must come back byte for byte.
    @Test func everyFieldFileIsWhatTheWriterWrites() throws {
        let original = try Fixtures.bytes("valid/full.json")
        let w = try NativeTraceReader.read(bytes: original, path: "full.json").workload
        let written = NativeTraceWriter.encode(w)
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: original, as: UTF8.self))
        let diamond = try Fixtures.bytes("valid/diamond.json")
        let w2 = try NativeTraceReader.read(bytes: diamond, path: "diamond.json").workload
        #expect(NativeTraceWriter.encode(w2) == diamond)
    }

    @Test func unknownFieldsAreWarningsOncePerName() throws {
        let trace = try TraceLoader.load(path: Fixtures.path("valid/unknown-fields.json"))
        #expect(trace.workload.count == 2)
        #expect(trace.warnings.map(\.description) == [
            Fixtures.path("valid/unknown-fields.json") + ":5:3: warning: unknown top-level field \"generator\" ignored",
            Fixtures.path("valid/unknown-fields.json") + ":7:33: warning: unknown task field \"colour\" ignored (2 times)",
            Fixtures.path("valid/unknown-fields.json") + ":8:68: warning: unknown restrictions field \"gpus\" ignored",
        ])
    }

    @Test func membersMayComeInAnyOrder() throws {
        let text = """
        {"tasks": [{"output_bytes": 5, "dependencies": [], "key": "z", "duration": 2}],
         "version": 1, "name": "late-header", "format": "schedsim-trace"}
        """
        let w = try NativeTraceReader.read(bytes: Array(text.utf8), path: "x.json").workload
        #expect(w.name == "late-header")
        #expect(w.tasks == [TaskSpec(key: "z", duration: 2, outputBytes: 5)])
    }

    @Test func defaultNameIsTheFileStem() throws {
        let text = #"{"format": "schedsim-trace", "version": 1, "tasks": [{"key": "a"}]}"#
        let w = try NativeTraceReader.read(bytes: Array(text.utf8), path: "dir/my-trace.json.gz").workload
        #expect(w.name == "my-trace")
        #expect(w.source == "dir/my-trace.json.gz")
        #expect(w[TaskID(0)].duration == 0 && w[TaskID(0)].outputBytes == 0)
    }
}

@Suite struct NativeTraceWriteTests {
    /// A workload using every field, built directly (not from a file).
    static func sample() throws -> Workload {
        var b = WorkloadBuilder(name: "sample \"quoted\"\n", source: "test")
        b.metadata = ["z-first": "1", "a-second": "tab\there"]
        let s1 = b.addSubmission(client: "client-0", time: 0, wanted: nil, origin: "s0")
        let s2 = b.addSubmission(client: "other", time: 0.1, submitter: "spawn", wanted: ["late"], origin: "s1")
        #expect(s1 == 0 && s2 == 1)
        b.add(TaskSpec(key: "src", kind: .data, outputBytes: 1 << 40), dependencies: [], origin: "0")
        b.add(TaskSpec(key: "('x-1', 0)", prefix: "custom", duration: 0.1 + 0.2, outputBytes: 3,
                       dependencyBytes: [7], restrictions: Restrictions(workers: [], hosts: ["h"], loose: false),
                       resources: [ResourceRequest(name: "z", amount: 0.5), ResourceRequest(name: "a", amount: 2)],
                       userPriority: -3, retries: 1, order: 0, annotations: ["k": "v", "ü": "\u{1}"]),
              dependencies: ["src"], origin: "1")
        b.add(TaskSpec(key: "act", duration: Double.leastNonzeroMagnitude, isActor: true), dependencies: [], origin: "2")
        b.add(TaskSpec(key: "spawn", duration: 1.5e-7, secedes: true), dependencies: ["act"], actor: "act", origin: "3")
        b.add(TaskSpec(key: "late", duration: 1234567.125, submission: 1), dependencies: ["('x-1', 0)", "('x-1', 0)"], origin: "4")
        return try b.build()
    }

    @Test func writeReadWriteIsByteIdentical() throws {
        let w = try Self.sample()
        let first = NativeTraceWriter.encode(w)
        let back = try NativeTraceReader.read(bytes: first, path: "sample.json").workload
        expectSameWorkload(w, back)
        #expect(NativeTraceWriter.encode(back) == first)
        // Defaults are omitted; overrides and explicit lists are written.
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains(#"{"key": "('x-1', 0)", "prefix": "custom", "duration": 0.30000000000000004, "output_bytes": 3, "dependencies": ["src"], "dependency_bytes": [7], "restrictions": {"hosts": ["h"]}, "resources": {"a": 2.0, "z": 0.5}, "priority": -3, "retries": 1, "order": 0, "annotations": {"k": "v", "ü": "\u0001"}}"#))
        #expect(text.contains(#"{"key": "spawn", "duration": 1.5e-07, "output_bytes": 0, "dependencies": ["act"], "calls_actor": "act", "secede": true}"#))
        #expect(text.contains(#"{"client": "client-0", "time": 0.0},"#))
        // `wanted` equals the default (the leaves of that submission), so it is left out.
        #expect(text.contains(#"{"client": "other", "time": 0.1, "submitter": "spawn"}"#))
        #expect(text.hasPrefix("{\n  \"format\": \"schedsim-trace\",\n  \"version\": 1,\n  \"name\": \"sample \\\"quoted\\\"\\n\",\n"))
    }

    /// Seeded random doubles survive the trip through text exactly.
    @Test func doublesRoundTripExactly() throws {
        var rng = SplitMix64(state: 7)
        var b = WorkloadBuilder(name: "doubles", source: "test")
        var expected: [Double] = []
        for i in 0..<500 {
            let bits = rng.next()
            // Random mantissa and a spread of exponents, kept in the valid duration range.
            let value = Double(bits >> 11) * 0x1p-53 * [1e-9, 1e-3, 1, 1e3, 1e6][i % 5]
            expected.append(value)
            b.add(TaskSpec(key: "t-\(i)", duration: value), dependencies: [], origin: "\(i)")
        }
        let w = try b.build()
        let back = try NativeTraceReader.read(bytes: NativeTraceWriter.encode(w), path: "d.json").workload
        #expect(back.tasks.map(\.duration) == expected)
    }

    @Test func gzipFilesAreWrittenAndDetectedByContent() throws {
        let dir = Fixtures.temporaryDirectory("gzip")
        let w = try Self.sample()
        let path = dir + "/sample.json.gz"
        try NativeTraceWriter.write(w, to: path)
        let raw = try TraceFile.readRawBytes(path: path)
        #expect(Gzip.hasMagic(raw))
        let back = try TraceLoader.load(path: path).workload
        expectSameWorkload(w, back)
        // Same bytes under a name without .gz: still detected as gzip by its magic number.
        let disguised = dir + "/disguised.json"
        try TraceFile.writeAtomically(raw, to: disguised)
        expectSameWorkload(w, try TraceLoader.load(path: disguised).workload)
        // Compression is deterministic.
        #expect(Gzip.compress(NativeTraceWriter.encode(w)) == raw)
        // Only the final files are left: no temporary files.
        #expect(try directoryEntries(dir) == ["disguised.json", "sample.json.gz"])
    }

    @Test func corruptAndTruncatedGzipAreClearErrors() throws {
        let payload = Gzip.compress(Array(String(repeating: "{\"format\": \"schedsim-trace\"} ", count: 200).utf8))
        var corrupt = payload
        corrupt[20] ^= 0xFF
        corrupt[21] ^= 0xFF
        #expect(throws: TraceFileError.self) { try Gzip.decompress(corrupt, file: "c.json.gz") }
        do {
            _ = try TraceLoader.load(bytes: corrupt, path: "c.json.gz")
        } catch {
            #expect("\(error)".hasPrefix("c.json.gz: corrupt gzip file: "))
        }
        let truncated = Array(payload[0..<(payload.count / 2)])
        do {
            _ = try Gzip.decompress(truncated, file: "t.json.gz")
            Issue.record("truncated gzip accepted")
        } catch {
            #expect(error.description == "t.json.gz: truncated gzip file: the compressed data ends after \(truncated.count) bytes")
        }
        let roundTrip = try Gzip.decompress(payload + Gzip.compress(Array("tail".utf8)), file: "m.gz")
        #expect(String(decoding: roundTrip.suffix(4), as: UTF8.self) == "tail")
    }

    @Test func atomicWriteReplacesAnExistingFile() throws {
        let dir = Fixtures.temporaryDirectory("atomic")
        let path = dir + "/t.json"
        try TraceFile.writeAtomically(Array("old".utf8), to: path)
        try TraceFile.writeAtomically(Array("new".utf8), to: path)
        #expect(try TraceFile.readRawBytes(path: path) == Array("new".utf8))
        #expect(try directoryEntries(dir) == ["t.json"])
        #expect(throws: TraceFileError.self) { try TraceFile.writeAtomically([1], to: dir + "/missing-dir/x.json") }
    }

    @Test func missingFileAndDirectoryErrors() {
        #expect(Fixtures.fatalError("no-such-file.json") == Fixtures.path("no-such-file.json") + ": cannot open: No such file or directory")
        #expect(Fixtures.fatalError("valid") == Fixtures.path("valid") + ": is a directory, not a trace file")
    }
}

func directoryEntries(_ dir: String) throws -> [String] {
    guard let handle = opendir(dir) else { return [] }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
