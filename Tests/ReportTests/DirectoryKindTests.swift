import Foundation
import Testing
@testable import Report

/// compare and validate folders shaped as docs/report.md describes them.
enum KindFixtures {
    /// Two traces, three policies, two seeds (one pair has one seed). Means, checked by hand:
    /// tree: dask 10 (9, 11), random 15 (14, 16), heft 8 (8, 8)  → best 8: 1.25, 1.875, 1
    /// wide: dask 4 (4), random 5 (4.5, 5.5)                      → best 4: 1, 1.25
    static let compareSummary = """
        run_id,trace,policy,cluster,seed,backend,makespan,tasks,utilisation,transfers,transfer_bytes,steals,events,wall_seconds,network,critical_path,work_bound,outcome,detail
        1,tree,dask,4x2,1,sim,9.000000000,10,0.5,3,300,0,1,,simple,5,2,completed,
        2,tree,dask,4x2,2,sim,11.000000000,10,0.5,3,500,0,1,,simple,5,2,completed,
        3,tree,random,4x2,1,sim,14.000000000,10,0.4,3,900,0,1,,simple,5,2,completed,
        4,tree,random,4x2,2,sim,16.000000000,10,0.4,3,1100,0,1,,simple,5,2,stalled,stuck
        5,tree,heft,4x2,1,sim,8.000000000,10,0.6,3,100,0,1,,simple,5,2,completed,
        6,tree,heft,4x2,2,sim,8.000000000,10,0.6,3,100,0,1,,simple,5,2,completed,
        7,wide,dask,4x2,1,sim,4.000000000,10,0.9,0,0,0,1,,simple,1,3,completed,
        8,wide,random,4x2,1,sim,4.500000000,10,0.8,0,0,0,1,,simple,1,3,completed,
        9,wide,random,4x2,2,sim,5.500000000,10,0.8,0,0,0,1,,simple,1,3,completed,

        """

    static func compareFolder() throws -> URL {
        let folder = try Fixtures.folder("cmp")
        try Fixtures.write(["summary.csv": compareSummary], into: folder)
        return folder
    }

    /// A validate folder: validation.csv, the small run as sim/, and a slower "real" run as real/.
    static func validateFolder() throws -> URL {
        let folder = try Fixtures.folder("val")
        // The columns `schedsim validate` writes (Sources/schedsim/Validation.swift), one row.
        try Fixtures.write(["validation.csv": """
            trace,policy,cluster,time_scale,sim_makespan,real_makespan,makespan_rel_error,start_error_p50,start_error_p95,placement_agreement,tasks_compared,sim_transfers,real_transfers,sim_transfer_bytes,real_transfer_bytes,dask_makespan,sim_vs_dask_rel_error,real_vs_dask_rel_error
            fixture,dask,2x2,1.000000,3.100000000,4.200000000,-0.261905,0.000000000,1.200000000,1.000000,5,2,2,208,208,,,

            """], into: folder)
        for name in ["sim", "real"] {
            let run = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            var tasks = Fixtures.tasks
            if name == "real" { tasks = tasks.replacingOccurrences(of: "3.000000000,0.500000000,8", with: "4.200000000,1.700000000,8") }
            try Fixtures.write(["tasks.csv": tasks, "transfers.csv": Fixtures.transfers, "summary.csv": Fixtures.summary], into: run)
        }
        return folder
    }
}

@Suite struct DirectoryKindTests {
    @Test func kindIsToldFromTheFiles() throws {
        let run = try Fixtures.smallRun()
        #expect(try ReportDirectory.detect(run.path) == .run(path: run.path))
        let compare = try KindFixtures.compareFolder()
        #expect(try ReportDirectory.detect(compare.path) == .compare(path: compare.path))
        let validate = try KindFixtures.validateFolder()
        #expect(try ReportDirectory.detect(validate.path) == .validate(
            path: validate.path,
            simulated: validate.appendingPathComponent("sim").path,
            real: validate.appendingPathComponent("real").path))
        let empty = try Fixtures.folder()
        try Fixtures.write(["notes.txt": "hi"], into: empty)
        #expect(throws: ReportError.unknownDirectory(path: empty.path, found: ["notes.txt"])) {
            try ReportDirectory.detect(empty.path)
        }
        #expect(throws: ReportError.unreadable(file: "/nonexistent/x", reason: "not a directory")) {
            try ReportDirectory.detect("/nonexistent/x")
        }
    }

    @Test func compareGroupsByTraceAndPolicyAndNormalisesToTheBest() throws {
        let table = try CSVTable.load(path: KindFixtures.compareFolder().appendingPathComponent("summary.csv").path)
        let runs = try CompareRuns(table: table)
        #expect(runs.traces == ["tree", "wide"])
        #expect(runs.policies == ["dask", "random", "heft"])
        #expect(runs.best(trace: "tree") == 8)
        #expect(runs.best(trace: "wide") == 4)
        let random = try #require(runs.cell(trace: "tree", policy: "random"))
        #expect(random.makespans == [14, 16])
        #expect(random.mean == 15)
        #expect(random.notCompleted == 1)
        #expect(random.transferBytes == [900, 1100])
        #expect(runs.cell(trace: "wide", policy: "heft") == nil)
    }

    @Test func comparePageShowsNormalisedMakespans() throws {
        let html = try Report.render(directory: KindFixtures.compareFolder().path)
        #expect(html.contains("Makespan per policy, normalised to the best policy of each trace"))
        // One bar per (trace, policy) pair that ran, one dot per run.
        #expect(occurrences(of: "<rect class=\"cmp\"", in: html) == 5)
        #expect(occurrences(of: "<circle", in: html) == 9)
        #expect(html.contains("mean 15 s = 1.875× best, 2 runs"))
        #expect(html.contains("<td>tree</td><td>dask</td><td class=\"n\">2</td><td class=\"n\">10</td><td class=\"n\">9</td><td class=\"n\">11</td><td class=\"n\">1.25</td>"))
        #expect(html.contains("<td>wide</td><td>random</td><td class=\"n\">2</td><td class=\"n\">5</td><td class=\"n\">4.5</td><td class=\"n\">5.5</td><td class=\"n\">1.25</td>"))
    }

    @Test func compareNeedsRunIdTracePolicyMakespan() throws {
        let folder = try Fixtures.folder()
        try Fixtures.write(["summary.csv": "run_id,trace,makespan\n1,t,2\n"], into: folder)
        do {
            _ = try Report.render(directory: folder.path)
            Issue.record("expected an error")
        } catch let error as ReportError {
            #expect(error.description == "cmp/summary.csv:1: missing required column 'policy' (header has: run_id, trace, makespan)"
                || error.description.hasSuffix("/summary.csv:1: missing required column 'policy' (header has: run_id, trace, makespan)"))
        }
    }

    @Test func validatePageStacksBothStreamsOnOneAxis() throws {
        let html = try Report.render(directory: KindFixtures.validateFolder().path)
        #expect(occurrences(of: "<div class=\"stream\"", in: html) == 2)
        // Both streams span the later end (the real run's 4.2 s) and zoom together.
        #expect(occurrences(of: "data-end=\"4.2\"", in: html) == 2)
        #expect(occurrences(of: "data-sync=\"validate\"", in: html) == 2)
        #expect(occurrences(of: "<g class=\"lane\">", in: html) == 8)
        #expect(occurrences(of: "<rect class=\"b ", in: html) == 12)
        #expect(html.contains("<p>Makespan: simulated 3.1 s, real 4.2 s, error (sim − real) / real = -26.2 %; 100 % of tasks ran on the same worker.</p>"))
        #expect(html.contains("<tr><th>sim_makespan</th><td class=\"n\">3.100000000</td></tr><tr><th>real_makespan</th><td class=\"n\">4.200000000</td></tr>"))
        // Both summaries side by side, one line per column.
        #expect(html.contains("<tr><th>cluster</th><td>2x2</td><td>2x2</td></tr>"))
    }
}
