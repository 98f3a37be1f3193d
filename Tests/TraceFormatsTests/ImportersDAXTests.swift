import Testing
@testable import TraceFormats
import Workload

@Suite("Pegasus DAX importer")
struct ImportersDAXTests {
    /// Golden figures: SOURCES.md (jobs, edges) and an independent Python
    /// computation over the XML (critical path, work, sizes).
    @Test func montage25() throws {
        let trace = try DAXImporter().importTrace(bytes: try TraceFiles.bytes("dax/Montage_25.xml"), path: "Montage_25.xml")
        let w = trace.workload
        let facts = w.graphFacts()
        #expect(facts.computeTasks == 25)
        #expect(facts.dataTasks == 9)           // 2mass-atlas images and region.hdr: read, never written
        #expect(w.computeEdgeCount == 45)
        #expect(abs(facts.criticalPathLength - 46.51) < 1e-9)
        #expect(abs(facts.totalWork - 227.75) < 1e-9)
        // WorkflowGenerator's quirks, reported with counts: readers state other
        // sizes than writers (49 times), and several jobs write one file name
        // (e.g. nine mDiffFit jobs write `fit.txt`; 16 extra writers in all).
        #expect(trace.warnings.map(\.code) == ["file-size-conflict", "file-two-producers"])
        #expect(trace.warnings.map(\.count) == [49, 16])
        // Per-edge bytes: the files ID00000 writes and ID00005 reads; region.hdr is external.
        let consumer = try #require(w.id(forKey: "ID00005"))
        let keys = w.dependencyKeys(of: "ID00005")
        #expect(keys == ["region.hdr", "ID00000", "ID00001"])
        #expect(w[consumer].dependencyBytes == [304, 8_334_624, 8_343_702])
        #expect(w[consumer].prefix == "mDiffFit")
        #expect(w[w.id(forKey: "ID00000")!].outputBytes == 8_334_624)
        // Output sizes sum over the workflow's written files; data tasks add the external inputs.
        let written = w.tasks.filter { $0.kind == .compute }.reduce(Int64(0)) { $0 + $1.outputBytes }
        let external = w.tasks.filter { $0.kind == .data }.reduce(Int64(0)) { $0 + $1.outputBytes }
        #expect(written == 180_904_398)
        #expect(external == 21_112_623)
        let image = try #require(w.id(forKey: "2mass-atlas-ID00000s-jID00000.fits"))
        #expect(w[image].kind == .data)
        #expect(w[image].outputBytes == 4_222_080)
        #expect(w[image].prefix == "input-file")
    }

    @Test func cyberShake30UnionsExplicitAndFileEdges() throws {
        let trace = try DAXImporter().importTrace(bytes: try TraceFiles.bytes("dax/CyberShake_30.xml"), path: "CyberShake_30.xml")
        let facts = trace.workload.graphFacts()
        #expect(facts.computeTasks == 30)
        #expect(facts.dataTasks == 17)
        // 52 explicit <parent> links; only 26 of them share a file.
        #expect(trace.workload.computeEdgeCount == 52)
        #expect(abs(facts.criticalPathLength - 221.84) < 1e-9)
        #expect(abs(facts.totalWork - 760.53) < 1e-9)
    }

    @Test func ignoringExternalInputsGivesThePlainWorkflow() throws {
        let trace = try DAXImporter(externalInputs: .ignore).importTrace(bytes: try TraceFiles.bytes("dax/Montage_25.xml"), path: "m.xml")
        #expect(trace.workload.count == 25)
        #expect(trace.workload.edgeCount == 45)
        #expect(trace.warnings.map(\.code) == ["file-size-conflict", "file-two-producers", "external-inputs-ignored"])
    }

    @Test func dax3WithProfilesAndMissingValues() throws {
        let xml = """
        <?xml version="1.0"?>
        <adag xmlns="http://pegasus.isi.edu/schema/DAX" version="3.6" name="d" jobCount="3">
          <job id="a" name="split">
            <profile namespace="pegasus" key="runtime">4.5</profile>
            <uses name="in.txt" link="input" size="10"/>
            <uses name="x" link="output" size="100"/>
            <uses name="y" link="output" size="7"/>
          </job>
          <job id="b" name="work" runtime="2"><uses name="x" link="input"/></job>
          <job id="c" name="work"><uses name="x" link="input"/><uses name="y" link="input"/><uses name="z" link="output"/></job>
          <child ref="c"><parent ref="b"/></child>
        </adag>
        """
        let trace = try DAXImporter().importTrace(bytes: Array(xml.utf8), path: "d.dax")
        let w = trace.workload
        #expect(w.count == 4)
        #expect(w[w.id(forKey: "a")!].duration == 4.5)
        #expect(w.dependencyKeys(of: "a") == ["in.txt"])
        #expect(w.dependencyKeys(of: "c") == ["a", "b"])
        #expect(w[w.id(forKey: "c")!].dependencyBytes == [107, 0])
        #expect(w[w.id(forKey: "a")!].outputBytes == 107)
        #expect(trace.warnings.map(\.code) == ["job-without-runtime", "file-without-size"])
        #expect(trace.warnings.first?.place == "line 10")
        #expect(trace.warnings.last?.count == 1)
    }

    /// Each edge is labelled by the set of files it reads, so jobs reading the
    /// same files share one part task when partial reads are split.
    @Test func edgesAreLabelledByTheFilesTheyRead() throws {
        let xml = """
        <adag version="2.1">
          <job id="A" name="gen" runtime="1"><uses file="f1" link="output" size="10"/><uses file="f2" link="output" size="20"/></job>
          <job id="B" name="use" runtime="1"><uses file="f1" link="input" size="10"/></job>
          <job id="C" name="use" runtime="1"><uses file="f1" link="input" size="10"/></job>
          <job id="D" name="use" runtime="1"><uses file="f2" link="input" size="20"/></job>
          <job id="E" name="use" runtime="1"><uses file="f2" link="input" size="20"/><uses file="f1" link="input" size="10"/></job>
          <job id="F" name="use" runtime="1"><uses file="g" link="input" size="7"/></job>
          <child ref="F"><parent ref="A"/></child>
        </adag>
        """
        let w = try DAXImporter().importTrace(bytes: Array(xml.utf8), path: "parts.xml").workload
        func spec(_ key: String) -> TaskSpec { w[w.id(forKey: key)!] }
        #expect(["B", "C", "D", "E"].map { spec($0).dependencyBytes! } == [[10], [10], [20], [30]])
        #expect(["B", "C", "D", "E"].map { spec($0).dependencyParts! } == [[0], [0], [1], [2]])
        #expect(spec("F").dependencyBytes! == [7, 0] && spec("F").dependencyParts! == [0, 3])  // input file g, then A's empty link
        let (split, parts) = try w.splittingPartialReads()
        #expect(parts.partTasks == 3 && parts.producers == 1)
        func deps(_ key: String) -> [String] { split[split.id(forKey: key)!].dependencies.map { split[$0].key } }
        #expect(deps("B") == ["A-part-0"] && deps("C") == ["A-part-0"] && deps("D") == ["A-part-1"])
        #expect(deps("E") == ["A"])  // reads both files: the whole output
        #expect(deps("F") == ["g", "A-part-2"])
        #expect(["A-part-0", "A-part-1", "A-part-2"].map { split[split.id(forKey: $0)!].outputBytes } == [10, 20, 0])
    }

    @Test func twoProducersAreCountedNotSilent() throws {
        let xml = """
        <adag version="2.1">
          <job id="p1" name="gen" runtime="1"><uses file="f" link="output" size="5"/></job>
          <job id="p2" name="gen" runtime="1"><uses file="f" link="output" size="5"/></job>
          <job id="p3" name="gen" runtime="1"><uses file="f" link="output" size="5"/></job>
          <job id="c" name="use" runtime="1"><uses file="f" link="input" size="5"/></job>
        </adag>
        """
        let trace = try DAXImporter().importTrace(bytes: Array(xml.utf8), path: "two.xml")
        #expect(trace.workload.dependencyKeys(of: "c") == ["p1"])
        #expect(trace.warnings.map(\.code) == ["file-two-producers"])
        #expect(trace.warnings.first?.count == 2)
        #expect(trace.warnings.first?.place == "line 3")
    }

    @Test func malformedInputNamesTheLine() {
        let cases: [(String, String)] = [
            ("<adag><job id=\"a\" runtime=\"x\"/></adag>", "line 1: job 'a': runtime 'x' is not a number"),
            ("<adag>\n<job id=\"a\" runtime=\"1\">\n</adag>", "line 3, column"),
            ("<adag>\n<job id=\"a\" runtime=\"1\"/>\n", "malformed XML"),
            ("<adag>\n<job name=\"a\"/></adag>", "line 2: <job> without an id attribute"),
            ("<adag><job id=\"a\"/><child ref=\"a\"><parent ref=\"zz\"/></child></adag>", "depends on unknown key 'zz'"),
            ("<adag><job id=\"a\"/>\n<child ref=\"q\"><parent ref=\"a\"/></child></adag>", "line 2: <child ref=\"q\"> names no job"),
            ("<adag><job id=\"a\"/><job id=\"a\"/></adag>", "duplicate key"),
            ("<adag><job id=\"a\"/><job id=\"b\"/><child ref=\"a\"><parent ref=\"b\"/></child><child ref=\"b\"><parent ref=\"a\"/></child></adag>", "dependency cycle"),
            ("<adag><job id=\"a\"><uses file=\"f\" link=\"output\" size=\"1e400\"/></job></adag>", "size '1e400' is not a number of bytes"),
            ("<dax/>", "line 1: <dax> without an id attribute"),
            ("<x/>", "no <adag> root element"),
            ("", "no <adag> root element"),
        ]
        for (text, expected) in cases {
            let message = importErrorText { _ = try DAXImporter().importTrace(bytes: Array(text.utf8), path: "bad.xml") }
            #expect(message.contains(expected), "input \(text.debugDescription) gave: \(message)")
        }
    }
}
