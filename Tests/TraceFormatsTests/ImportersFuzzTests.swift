import Foundation
import Testing
@testable import TraceFormats
import Workload

/// Seeded mutation fuzzing of every importer: each mutated file must either
/// import or fail with a `TraceImportError` naming the file; nothing may crash
/// or hang. 300 mutations per format by default, within a time budget of
/// 10 s per format (so a slow machine shortens the run rather than the CI
/// timing out); set `SCHEDSIM_FUZZ_ITERATIONS=5000` and
/// `SCHEDSIM_FUZZ_SECONDS=600` for a longer run.
@Suite("Importers: fuzz")
struct ImportersFuzzTests {
    static var iterations: Int {
        ProcessInfo.processInfo.environment["SCHEDSIM_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 300
    }

    static var budget: Duration {
        .seconds(ProcessInfo.processInfo.environment["SCHEDSIM_FUZZ_SECONDS"].flatMap(Int.init) ?? 10)
    }

    /// A small but complete capture: workers, graph, stream with a transfer, transfer log.
    static let daskCapture = """
    {"format": "dask-trace/0.1", "meta": {"workload": "fuzz", "distributed": "2026.8.0"},
     "workers": {"tcp://a:1": {"name": 0, "nthreads": 1}, "tcp://b:2": {"name": 1, "nthreads": 2}},
     "graph": [
       {"key": "('x-1f2e', 0)", "prefix": "x", "group": "x-1f2e", "dependencies": [], "priority": [0, 1, 0], "requested_by_client": false, "spec_type": "Task", "func": "f"},
       {"key": "('x-1f2e', 1)", "prefix": "x", "group": "x-1f2e", "dependencies": [], "priority": [0, 1, 1], "requested_by_client": false, "spec_type": "Task"},
       {"key": "sum-aa", "prefix": "sum", "group": "sum", "dependencies": ["('x-1f2e', 0)", "('x-1f2e', 1)"], "priority": [0, 1, 2], "requested_by_client": true, "spec_type": "Task"},
       {"key": "fin", "prefix": "fin", "group": "fin", "dependencies": ["sum-aa"], "priority": [0, 1, 3], "spec_type": "Alias", "alias_of": "sum-aa"}],
     "task_stream": [
       {"key": "('x-1f2e', 0)", "worker": "tcp://a:1", "nbytes": 8000, "startstops": [{"action": "compute", "start": 10.0, "stop": 10.5}]},
       {"key": "('x-1f2e', 1)", "worker": "tcp://b:2", "nbytes": 8000, "startstops": [{"action": "compute", "start": 10.1, "stop": 10.4}]},
       {"key": "sum-aa", "worker": "tcp://a:1", "nbytes": 8, "startstops": [{"action": "transfer", "start": 10.45, "stop": 10.5, "source": "tcp://b:2"}, {"action": "compute", "start": 10.5, "stop": 10.6}]},
       {"key": "fin", "worker": "tcp://a:1", "nbytes": 8, "startstops": [{"action": "compute", "start": 10.6, "stop": 10.61}]}],
     "worker_transfers": {"tcp://a:1": {"incoming": [{"start": 10.45, "stop": 10.5, "who": "tcp://b:2", "keys": {"('x-1f2e', 1)": 8000}, "total": 8000}], "outgoing": []}},
     "summary": {"makespan_s": 0.61}}
    """

    static let formats = ["stg", "dax", "dot", "wfcommons", "wfcommons-1.2", "dask-trace", "native"]

    static func seedFile(_ name: String) throws -> (name: String, importer: any TraceImporter, bytes: [UInt8]) {
        try #require(try seedFiles().first { $0.name == name })
    }

    static func seedFiles() throws -> [(name: String, importer: any TraceImporter, bytes: [UInt8])] {
        [
            ("stg", STGImporter(), try TraceFiles.bytes("stg/robot.stg")),
            ("dax", DAXImporter(), try TraceFiles.bytes("dax/CyberShake_30.xml")),
            ("dot", DOTImporter(), Array(ImportersDOTTests.daggen.utf8)
                + Array("\n// tail\n".utf8)),
            ("wfcommons", WfCommonsImporter(), try TraceFiles.bytes("wfcommons/1000genome-chameleon-2ch-100k-001.json")),
            // Jobs of the srasearch 1.2 file closed under their parents (keeps the fuzz fast).
            ("wfcommons-1.2", WfCommonsImporter(), try Fixtures.bytes("wfcommons-1.2-excerpt.json")),
            ("dask-trace", DaskCaptureImporter(), Array(Self.daskCapture.utf8)),
            // schedsim's own format, written from a real Dask capture (submissions, recorded order, sizes).
            ("native", NativeTraceFormat(), NativeTraceWriter.encode(
                try DaskCaptureImporter().read(bytes: try TraceFiles.bytes("dask/array_sum.json"), path: "array_sum.json").workload)),
        ]
    }

    /// Replacement snippets that hit number, type, reference and encoding checks.
    static let snippets: [[UInt8]] = [
        "99999999999999999999", "-1", "1e400", "0", "\"x\"", "null", "[", "}", "<", "\"", "->", "--",
        "ID00000", "task-1", "\n", " ", "#", "=", ",", "NaN", "1.5", "true",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82], [0x00]]

    static func mutate(_ original: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        for _ in 0..<(1 + rng.below(4)) {
            guard !bytes.isEmpty else { break }
            let at = rng.below(bytes.count)
            switch rng.below(7) {
            case 0: bytes[at] = bytes[rng.below(bytes.count)]
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(contentsOf: snippets[rng.below(snippets.count)], at: at)
            case 3: bytes.replaceSubrange(at..<min(bytes.count, at + 1 + rng.below(6)), with: snippets[rng.below(snippets.count)])
            case 4: bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.below(200)))
            case 5:
                // Duplicate a chunk elsewhere (duplicate ids, repeated elements).
                let length = min(bytes.count - at, 1 + rng.below(300))
                let chunk = Array(bytes[at..<at + length])
                bytes.insert(contentsOf: chunk, at: rng.below(bytes.count))
            default: bytes = Array(bytes[0..<at])   // truncation
            }
        }
        return bytes
    }

    @Test(arguments: formats)
    func mutatedFilesNeverCrashOrHang(_ format: String) throws {
        var rng = SplitMix64(state: 0x5EED_2026 &+ UInt64(format.utf8.count))
        let clock = ContinuousClock()
        do {
            let seed = try Self.seedFile(format)
            // The unmutated seed must import, so mutations start from a valid file.
            #expect(throws: Never.self) { _ = try seed.importer.read(bytes: seed.bytes, path: "seed") }
            var imported = 0
            var rejected = 0
            var slowest = Duration.zero
            let runStart = clock.now
            var done = 0
            for i in 0..<Self.iterations where clock.now - runStart < Self.budget {
                done += 1
                let bytes = Self.mutate(seed.bytes, &rng)
                let path = "fuzz-\(seed.name)-\(i)"
                let started = clock.now
                do {
                    _ = try seed.importer.read(bytes: bytes, path: path)
                    imported += 1
                } catch let error as TraceImportError {
                    #expect(error.file == path, "\(error)")
                    #expect(!error.description.isEmpty)
                    rejected += 1
                } catch {
                    // The native reader reports its own located errors (JSONError, builder errors): they must name the file.
                    #expect(seed.name == "native" && "\(error)".hasPrefix(path + ":"),
                            "\(seed.name) mutation \(i): unexpected error \(type(of: error)): \(error)")
                    rejected += 1
                }
                slowest = max(slowest, clock.now - started)
            }
            // Both outcomes occur, so error paths and the success path are exercised.
            #expect(done >= min(Self.iterations, 50), "\(seed.name): only \(done) mutations within the budget")
            #expect(rejected > done / 10, "\(seed.name): only \(rejected) rejected")
            #expect(imported + rejected == done)
            // No input takes pathologically long (a hang would show up as seconds).
            #expect(slowest < .seconds(2), "\(seed.name): slowest input took \(slowest)")
        }
    }
}
