import Testing
@testable import TraceFormats
import Workload

@Suite("DOT importer")
struct ImportersDOTTests {
    /// The shape daggen --dot writes (sizes in flops and bytes).
    static let daggen = """
    digraph G {
      1 [size="2000000000", alpha="0.05"]
      2 [size="1e9", alpha="0.10"]
      3 [size="4e9", alpha="0.00"]
      4 [size="5e8", alpha="0.20"]
      1 -> 2 [size="8000000"]
      1 -> 3 [size="1000"]
      2 -> 4 [size="300"]
      3 -> 4 [size="700"]
    }
    """

    @Test func daggenGraph() throws {
        let trace = try DOTImporter().importTrace(bytes: Array(Self.daggen.utf8), path: "dag.dot")
        let w = trace.workload
        let facts = w.graphFacts()
        #expect(facts.tasks == 4)
        #expect(facts.edges == 4)
        #expect(facts.totalWork == 7.5)
        #expect(facts.criticalPathLength == 6.5)      // 1 -> 3 -> 4: 2 + 4 + 0.5
        #expect(w.dependencyKeys(of: "4") == ["2", "3"])
        #expect(w[w.id(forKey: "4")!].dependencyBytes == [300, 700])
        #expect(w[w.id(forKey: "1")!].outputBytes == 8_000_000)
        #expect(w[w.id(forKey: "1")!].annotations["alpha"] == "0.05")
        #expect(trace.warnings.isEmpty)
        #expect(w.metadata["dot.name"] == "G")
    }

    @Test func flopRateScalesDurations() throws {
        let trace = try DOTImporter(flopsPerSecond: 2e9).importTrace(bytes: Array(Self.daggen.utf8), path: "dag.dot")
        #expect(trace.workload.graphFacts().criticalPathLength == 3.25)
    }

    /// SimGrid-style: quoted names, chains, comments, defaults, ports, subgraph.
    @Test func simgridStyleSyntax() throws {
        let text = """
        /* a SimGrid DAG */
        strict digraph "my dag" {
          node [size="1e9"];
          edge [size="10"];
          // root and end are ordinary tasks here
          root -> "task a" -> end;
          root -> b:out [size="5"]; b -> end
          subgraph cluster_x { node [size="3e9"]; c }
          c -> end [size=1e3]
          # a comment line
          rankdir = LR
        }
        """
        let trace = try DOTImporter().importTrace(bytes: Array(text.utf8), path: "sg.dot")
        let w = trace.workload
        #expect(w.tasks.map(\.key) == ["root", "task a", "end", "b", "c"])
        #expect(w.dependencyKeys(of: "end") == ["task a", "b", "c"])
        #expect(w[w.id(forKey: "end")!].dependencyBytes == [10, 10, 1000])
        #expect(w[w.id(forKey: "b")!].dependencyBytes == [5])
        #expect(w[w.id(forKey: "c")!].duration == 3)
        #expect(w[w.id(forKey: "root")!].duration == 1)
        #expect(w.graphFacts().criticalPathLength == 4)   // c (3 s) -> end (1 s)
    }

    @Test func missingSizesAndDuplicateEdgesAreCounted() throws {
        let text = "digraph { a -> b; a -> b; a -> b [size=4]; c }"
        let trace = try DOTImporter().importTrace(bytes: Array(text.utf8), path: "w.dot")
        #expect(trace.warnings.map(\.code) == ["edge-without-size", "duplicate-edge", "node-without-size"])
        #expect(trace.warnings.map(\.count) == [1, 2, 3])
        #expect(trace.workload.edgeCount == 1)
    }

    @Test func malformedInputNamesLineAndColumn() {
        let cases: [(String, String)] = [
            ("graph { a -- b }", "line 1, column 1: undirected graph"),
            ("digraph {\n a -- b }", "line 2, column 4: undirected edge"),
            ("digraph {\n a -> b [size=\"x\"] }", "line 2: edge a -> b: size 'x' is not a number"),
            ("digraph {\n a [size=-5] }", "line 2: node a: size '-5' is not a number"),
            ("digraph {\n a [size=1e999] }", "node a: size '1e999' is not a number"),
            ("digraph {\n a -> b\n", "line 3, column 1: file ends inside a '{ }' block"),
            ("digraph { a [size=\"1 }", "line 1, column 19: string opened here is never closed"),
            ("digraph { /* x }", "comment opened here is never closed"),
            ("digraph { a -> b; b -> a }", "dependency cycle"),
            ("digraph { a -> { b c } }", "edges to or from a subgraph are not supported"),
            ("digraph { a [size] }", "expected '=' after attribute 'size'"),
            ("digraph { a -> }", "expected a node after '->', found '}'"),
            ("digraph { } x", "unexpected 'x' after the end of the graph"),
            ("digraph { }", "the graph has no nodes"),
            ("digraph { a @ b }", "line 1, column 13: unexpected character '@'"),
            ("", "expected 'digraph', found end of file"),
            ("digraph { " + String(repeating: "{ ", count: 300) + "a" + String(repeating: " }", count: 300) + " }",
             "subgraphs nested more than 256 deep"),
        ]
        for (text, expected) in cases {
            let message = importErrorText { _ = try DOTImporter().importTrace(bytes: Array(text.utf8), path: "bad.dot") }
            #expect(message.contains(expected), "input \(text.debugDescription) gave: \(message)")
        }
    }

    @Test func detection() {
        #expect(DOTImporter().detect(prefix: Array("\n strict digraph x {".utf8)[...], path: "g.txt"))
        #expect(DOTImporter().detect(prefix: ArraySlice<UInt8>(), path: "G.gv"))
        #expect(!DOTImporter().detect(prefix: Array("<adag>".utf8)[...], path: "g.xml"))
    }
}
