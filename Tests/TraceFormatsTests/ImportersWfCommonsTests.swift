import Testing
@testable import TraceFormats
import Workload

/// One row of traces/SOURCES.md plus figures computed independently (Python)
/// from the 1.5 files: Σ per-task output bytes, Σ per-edge bytes over
/// task-to-task edges, and the external input files.
struct WfGolden: Sendable, CustomStringConvertible {
    var file: String
    var tasks: Int
    var edges: Int
    var criticalPath: Double
    var totalRuntime: Double
    var makespan: Double
    var outputBytes: Int64? = nil
    var edgeBytes: Int64? = nil
    var inputFiles: Int? = nil
    var description: String { file }
}

private let goldens: [WfGolden] = [
    WfGolden(file: "1000genome-chameleon-2ch-100k-001.json", tasks: 52, edges: 76, criticalPath: 204.686, totalRuntime: 2771.295,
             makespan: 776, outputBytes: 7_059_197, edgeBytes: 11_240_567, inputFiles: 12),
    WfGolden(file: "blast-chameleon-medium-001.json", tasks: 303, edges: 900, criticalPath: 119.349, totalRuntime: 31513.114,
             makespan: 5074.08, outputBytes: 403_333, edgeBytes: 236_520, inputFiles: 5),
    WfGolden(file: "epigenomics-chameleon-ilmn-6seq-50k-001.json", tasks: 1695, edges: 2108, criticalPath: 1084.123,
             totalRuntime: 26059.999, makespan: 2538, outputBytes: 9_405_854_769, edgeBytes: 9_382_784_915, inputFiles: 10),
    WfGolden(file: "legacy-v1.2/srasearch-chameleon-50a-001.json", tasks: 104, edges: 152, criticalPath: 2833.017,
             totalRuntime: 65893.525, makespan: 7349),
    WfGolden(file: "legacy-v1.3/srasearch-chameleon-50a-001.json", tasks: 104, edges: 152, criticalPath: 2833.017,
             totalRuntime: 65893.525, makespan: 7349),
    WfGolden(file: "legacy-v1.4/srasearch-chameleon-50a-001.json", tasks: 104, edges: 152, criticalPath: 2833.017,
             totalRuntime: 65893.525, makespan: 7349),
    WfGolden(file: "montage-chameleon-2mass-01d-001.json", tasks: 103, edges: 231, criticalPath: 21.122, totalRuntime: 362.633,
             makespan: 1362, outputBytes: 407_548_606, edgeBytes: 1_238_267_911, inputFiles: 35),
    WfGolden(file: "seismology-chameleon-1000p-001.json", tasks: 1001, edges: 1000, criticalPath: 5.437, totalRuntime: 538.433,
             makespan: 2194, outputBytes: 6_941_952, edgeBytes: 6_320_320, inputFiles: 2003),
    WfGolden(file: "srasearch-chameleon-50a-001.json", tasks: 104, edges: 152, criticalPath: 2833.017, totalRuntime: 65893.525,
             makespan: 7349, outputBytes: 69_050_549_506, edgeBytes: 69_468_340_825, inputFiles: 1),
]

private func load(_ file: String, _ importer: WfCommonsImporter = WfCommonsImporter()) throws -> ImportedTrace {
    try importer.importTrace(bytes: try TraceFiles.bytes("wfcommons/" + file), path: file)
}

/// A canonical text form of a workload: one line per task with its sorted dependencies and bytes.
private func canonical(_ w: Workload) -> [String] {
    w.tasks.map { spec in
        let deps = spec.dependencies.indices.map { i in "\(w[spec.dependencies[i]].key)=\(spec.dependencyBytes?[i] ?? -1)" }.sorted()
        return "\(spec.key) \(spec.prefix) \(spec.kind) \(spec.duration) \(spec.outputBytes) [\(deps.joined(separator: " "))]"
    }.sorted()
}

@Suite("WfCommons importer")
struct ImportersWfCommonsTests {
    /// Tasks and edges are counted as SOURCES.md counts them: compute tasks and
    /// parent links between them. The pure-data tasks for external input files
    /// (and their edges) are extra, checked separately, and cost nothing on the
    /// critical path.
    @Test(arguments: goldens)
    func goldenFacts(_ golden: WfGolden) throws {
        let trace = try load(golden.file)
        let w = trace.workload
        let facts = w.graphFacts()
        #expect(facts.computeTasks == golden.tasks)
        #expect(w.computeEdgeCount == golden.edges)
        // SOURCES.md prints 3 decimals (blast's critical path is 119.34932 s).
        #expect(abs(facts.criticalPathLength - golden.criticalPath) <= 5e-4)
        #expect(abs(facts.totalWork - golden.totalRuntime) <= 5e-4)
        #expect(w.metadata["wfcommons.makespan_s"].flatMap(Double.init) == golden.makespan)
        if let outputBytes = golden.outputBytes {
            let computeOutput = w.tasks.filter { $0.kind == .compute }.reduce(Int64(0)) { $0 + $1.outputBytes }
            #expect(computeOutput == outputBytes)
        }
        if let edgeBytes = golden.edgeBytes {
            var sum: Int64 = 0
            for spec in w.tasks {
                for (i, dep) in spec.dependencies.enumerated() where w[dep].kind == .compute {
                    sum += spec.dependencyBytes?[i] ?? 0
                }
            }
            #expect(sum == edgeBytes)
        }
        if let inputFiles = golden.inputFiles {
            #expect(facts.dataTasks == inputFiles)
        }
        // Ignoring external inputs gives exactly the SOURCES.md graph.
        let plain = try load(golden.file, WfCommonsImporter(externalInputs: .ignore)).workload
        #expect(plain.count == golden.tasks)
        #expect(plain.edgeCount == golden.edges)
    }

    @Test func fourSchemaVersionsGiveIdenticalGraphs() throws {
        let current = canonical(try load("srasearch-chameleon-50a-001.json").workload)
        #expect(current.count == 105)   // 104 tasks + 1 external input file
        for version in ["1.2", "1.3", "1.4"] {
            let legacy = canonical(try load("legacy-v\(version)/srasearch-chameleon-50a-001.json").workload)
            #expect(legacy == current, "schema \(version) differs")
        }
    }

    @Test func keysPrefixesAndAnnotations() throws {
        let w = try load("srasearch-chameleon-50a-001.json").workload
        let id = try #require(w.id(forKey: "fasterq-dump_ID0000002"))
        #expect(w[id].prefix == "fasterq-dump")
        #expect(w[id].duration == 799.849)
        #expect(w[id].outputBytes == 2 * 436_144_824)
        #expect(w[id].annotations["machine"] == "worker-3")
        #expect(w.dependentKeys(of: "fasterq-dump_ID0000002") == ["bowtie2_ID0000003"])
        let bowtie = try #require(w.id(forKey: "bowtie2_ID0000003"))
        let i = try #require(w[bowtie].dependencies.firstIndex(of: id))
        let edgeBytes = w[bowtie].dependencyBytes ?? []
        #expect(edgeBytes[i] == 872_289_648)
        #expect(WfCommonsImporter.prefix(ofName: "split_fasta_00000001") == "split_fasta")
        #expect(WfCommonsImporter.prefix(ofName: "NFCORE_RNASEQ.FASTQC") == "NFCORE_RNASEQ.FASTQC")
        // Pegasus names repeat the transformation before the job name.
        #expect(WfCommonsImporter.prefix(ofName: "fast2bfq_fast2bfq_080603_TAQ1_s_1_sequence_1_ID0000002") == "fast2bfq")
        #expect(WfCommonsImporter.prefix(ofName: "chr21_chr21_ID0000001") == "chr21")
        #expect(WfCommonsImporter.prefix(ofName: "individuals_merge_ID0000021") == "individuals_merge")
    }

    /// Every instance of one transformation shares a prefix, so the scheduler
    /// learns one duration per transformation (Dask learns one per function).
    @Test func epigenomicsPrefixesAreTransformations() throws {
        let w = try load("epigenomics-chameleon-ilmn-6seq-50k-001.json").workload
        let prefixes = Set(w.tasks.filter { $0.kind == .compute }.map(\.prefix))
        #expect(prefixes.sorted() == ["chr21", "fast2bfq", "fastqSplit", "filterContams", "map", "mapMerge", "pileup", "sol2sanger"])
    }

    /// Nextflow 1.4 style: names repeat, no parents, edges only through files
    /// matched by path + name; keys follow the migration rule name_id.
    @Test func nextflowStyleLegacyFile() throws {
        let json = """
        {"schemaVersion": "1.4", "wms": {"name": "Nextflow"}, "workflow": {"makespanInSeconds": 10, "tasks": [
          {"name": "FASTQC", "id": "00001", "runtimeInSeconds": 2, "parents": [], "children": [],
           "files": [{"name": "r.fq", "path": "/a/", "link": "input", "sizeInBytes": 100},
                     {"name": "out.html", "path": "/w/1/", "link": "output", "sizeInBytes": 7}]},
          {"name": "FASTQC", "id": "00002", "runtimeInSeconds": 3, "parents": [], "children": [],
           "files": [{"name": "r.fq", "path": "/b/", "link": "input", "sizeInBytes": 200},
                     {"name": "out.html", "path": "/w/2/", "link": "output", "sizeInBytes": 9}]},
          {"name": "MULTIQC", "id": "00003", "runtimeInSeconds": 1, "parents": [], "children": [],
           "files": [{"name": "out.html", "path": "/w/1/", "link": "input", "sizeInBytes": 7},
                     {"name": "out.html", "path": "/w/2/", "link": "input", "sizeInBytes": 9}]}
        ]}}
        """
        let trace = try WfCommonsImporter().importTrace(bytes: Array(json.utf8), path: "nf.json")
        let w = trace.workload
        #expect(w.tasks.map(\.key) == ["/a/r.fq", "/b/r.fq", "FASTQC_00001", "FASTQC_00002", "MULTIQC_00003"])
        #expect(w.dependencyKeys(of: "MULTIQC_00003") == ["FASTQC_00001", "FASTQC_00002"])
        #expect(w[w.id(forKey: "MULTIQC_00003")!].dependencyBytes == [7, 9])
        #expect(w.graphFacts().criticalPathLength == 4)
        #expect(trace.warnings.isEmpty)
    }

    @Test func lossyMappingsAreCountedWarnings() throws {
        let json = """
        {"schemaVersion": "1.5", "workflow": {"specification": {
          "tasks": [
            {"name": "a", "id": "a", "parents": [], "children": [], "inputFiles": [], "outputFiles": ["f"]},
            {"name": "b", "id": "b", "parents": [], "children": [], "inputFiles": [], "outputFiles": ["f"]},
            {"name": "c", "id": "c", "parents": [], "children": [], "inputFiles": ["f", "g"], "outputFiles": []}],
          "files": [{"id": "f", "sizeInBytes": 5}]},
          "execution": {"makespanInSeconds": 3, "tasks": [{"id": "a", "runtimeInSeconds": 1}, {"id": "c", "runtimeInSeconds": 2}]}}}
        """
        let trace = try WfCommonsImporter().importTrace(bytes: Array(json.utf8), path: "w.json")
        #expect(trace.warnings.map(\.code) == ["no-execution-record", "file-two-producers", "file-without-size"])
        #expect(trace.workload.dependencyKeys(of: "c") == ["g", "a"])
        let loaded = trace.loaded(format: "wfcommons", path: "w.json")
        #expect(loaded.warnings.map(\.description).contains(
            "w.json:line 4, column 5 (workflow.specification.tasks[1]): warning: file 'f' is written by 'a' and 'b'; the first writer is its producer [file-two-producers]"))
    }

    @Test func malformedInputNamesThePlace() {
        let cases: [(String, String)] = [
            ("{\"workflow\": {\"specification\": {\"tasks\": [", "line 1, column 43"),
            ("{\"workflow\": {\"specification\": {\"tasks\": [{\"id\": 3}]}}}", "(workflow.specification.tasks[0].id): expected a string, got number 3"),
            ("{\"workflow\": {\"specification\": {\"tasks\": [], \"files\": [{\"id\": \"f\", \"sizeInBytes\": -1}]}}}", "sizeInBytes -1 bytes is outside"),
            ("{\"workflow\": {\"specification\": {\"tasks\": [], \"files\": [{\"id\": \"f\", \"sizeInBytes\": 1e400}]}}}", "line 1, column 83: number 1e400 is too large"),
            ("{\"workflow\": {\"specification\": {\"tasks\": [{\"id\": \"a\", \"parents\": [\"zz\"]}]}}}", "depends on unknown key 'zz'"),
            ("{\"workflow\": {\"specification\": {\"tasks\": [{\"id\": \"a\", \"children\": [\"zz\"]}]}}}", "lists unknown child 'zz'"),
            ("{\"workflow\": {\"specification\": {\"tasks\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}}}", "duplicate key"),
            ("{\"workflow\": {\"specification\": {\"tasks\": [{\"id\": \"a\", \"parents\": [\"b\"]}, {\"id\": \"b\", \"parents\": [\"a\"]}]}}}", "dependency cycle"),
            ("{\"workflow\": {\"specification\": {\"tasks\": []}, \"execution\": {\"tasks\": [{\"id\": \"a\", \"runtimeInSeconds\": \"x\"}]}}}", "no tasks"),
            ("{\"workflow\": {\"specification\": {\"tasks\": [{\"id\": \"a\"}]}, \"execution\": {\"tasks\": [{\"id\": \"a\", \"runtimeInSeconds\": -2}]}}}", "runtimeInSeconds -2.0 is outside"),
            ("{\"workflow\": {}}", "missing required field \"specification\" (schema 1.5), \"tasks\""),
            ("[1, 2]", "expected a WfFormat object"),
            ("{\"workflow\": {\"jobs\": [{\"name\": \"x\", \"runtime\": 1, \"files\": [{\"name\": \"f\", \"link\": \"output\", \"size\": \"big\"}]}]}}", "(workflow.jobs[0].files[0].size): expected an integer"),
        ]
        for (text, expected) in cases {
            let message = importErrorText { _ = try WfCommonsImporter().importTrace(bytes: Array(text.utf8), path: "bad.json") }
            #expect(message.contains(expected), "input \(text) gave: \(message)")
            #expect(message.hasPrefix("bad.json"))
        }
    }

    @Test func detectedByTheLoader() throws {
        let trace = try TraceLoader.load(path: TraceFiles.path("wfcommons/legacy-v1.3/srasearch-chameleon-50a-001.json"))
        #expect(trace.format == "wfcommons")
        #expect(trace.workload.graphFacts().computeTasks == 104)
    }
}
