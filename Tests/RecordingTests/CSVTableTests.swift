import Foundation
import Recording
import Testing

@Suite struct CSVTableTests {
    @Test func quotesOnlyWhenRFC4180Requires() {
        var table = CSVTable(header: ["a", "b", "c", "d", "e"])
        table.append("plain")
        table.append("has,comma")
        table.append("has \"quote\"")
        table.append("line\nbreak")
        table.append(" padded")
        table.endRow()
        #expect(table.text == "a,b,c,d,e\nplain,\"has,comma\",\"has \"\"quote\"\"\",\"line\nbreak\",\" padded\"\n")
        #expect(table.rowCount == 1)
    }

    @Test func timesPrintInFixedNotationWithNanoseconds() {
        var table = CSVTable(header: ["t", "u", "v", "w", "x"])
        table.append(nanoseconds: 12_000_000_500)
        table.append(nanoseconds: 0)
        table.append(nanoseconds: -1_500_000_000)
        table.append(nanoseconds: nil)
        table.append(nanoseconds: 999_999_999)
        table.endRow()
        #expect(table.text == "t,u,v,w,x\n12.000000500,0.000000000,-1.500000000,,0.999999999\n")
        // Same text as Time.format, which the rest of the project uses.
        for ns: Int64 in [0, 1, 999, 1_000_000_000, 123_456_789_012, -7] {
            var one = CSVTable(header: ["t"])
            one.append(nanoseconds: ns)
            one.endRow()
            #expect(one.text == "t\n\(formatSeconds(ns))\n")
        }
    }

    @Test func integersAndFixedReals() {
        var table = CSVTable(header: ["i", "j", "k", "r", "s", "n"])
        table.append(0)
        table.append(Int64.max)
        table.append(-42)
        table.append(fixed: 0.1234565, decimals: 6)
        table.append(fixed: 1e20, decimals: 2)
        table.append(fixed: .nan, decimals: 3)
        table.endRow()
        #expect(table.text == "i,j,k,r,s,n\n0,9223372036854775807,-42,0.123457,1e+20,nan\n")
        #expect(CSVTable.fixed(-0.0000001, decimals: 3) == "0.000")
        #expect(CSVTable.fixed(2.5, decimals: 0) == "3")
        #expect(CSVTable.fixed(-1.25, decimals: 1) == "-1.3")
    }

    @Test func atomicWriteLeavesNoTemporaryFile() throws {
        let dir = NSTemporaryDirectory() + "schedsim-atomic-\(getpid())"
        try LogTables.write([("a.csv", Array("x\n".utf8)), ("b.csv", Array("y\n".utf8))], to: dir + "/nested")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/nested").sorted()
        #expect(files == ["a.csv", "b.csv"])
        #expect(FileManager.default.contents(atPath: dir + "/nested/a.csv") == Data("x\n".utf8))
        try AtomicFile.write("z\n", to: dir + "/nested/a.csv")
        #expect(FileManager.default.contents(atPath: dir + "/nested/a.csv") == Data("z\n".utf8))
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func unwritablePathNamesTheFile() {
        #expect(throws: FileWriteError.self) {
            try AtomicFile.write("x", to: "/proc/definitely/not/here.csv")
        }
        do {
            try AtomicFile.write("x", to: "/proc/definitely/not/here.csv")
        } catch {
            #expect(error.description.contains("/proc/definitely/not/here.csv"))
        }
    }

    @Test func logTablesHaveDocumentedColumns() {
        let tasks = LogTables.tasks([
            TaskRow(key: "('x', 1)", prefix: "x", worker: "worker-0", submit: 0, ready: 0, start: 1_000, end: 3_000_001_000,
                    outputBytes: 8, bytesFetched: 0, state: "memory", attempts: 1),
            TaskRow(key: "never", prefix: "never", worker: "", submit: nil, ready: nil, start: nil, end: nil,
                    outputBytes: 0, bytesFetched: 0, state: "", attempts: 0),
        ])
        #expect(tasks.text == """
            key,prefix,worker,submit,ready,start,end,duration,output_bytes,bytes_fetched,state,attempts
            "('x', 1)",x,worker-0,0.000000000,0.000000000,0.000001000,3.000001000,3.000000000,8,0,memory,1
            never,never,,,,,,,0,0,,0

            """)
        let transfers = LogTables.transfers([TransferRow(task: 0, from: "worker-1", to: "client-0", bytes: 100, start: 5, end: 10)], keys: ["k"])
        #expect(transfers.text == "key,from_worker,to_worker,bytes,start,end\nk,worker-1,client-0,100,0.000000005,0.000000010\n")
        let summary = LogTables.summary([SummaryRow(
            trace: "t", policy: "dask", cluster: "2x1", seed: 1, backend: "sim", makespan: 2_000_000_000, tasks: 3,
            utilisation: 0.75, transfers: 1, transferBytes: 10, steals: 0, events: 12, wallSeconds: nil,
            network: "simple", criticalPath: 2_000_000_000, workBound: 1_500_000_000, outcome: "completed", detail: "ok")])
        #expect(summary.text == """
            trace,policy,cluster,seed,backend,makespan,tasks,utilisation,transfers,transfer_bytes,steals,events,wall_seconds,network,critical_path,work_bound,outcome,detail,runtime
            t,dask,2x1,1,sim,2.000000000,3,0.750000,1,10,0,12,,simple,2.000000000,1.500000000,completed,ok,

            """)
    }

    @Test func jsonLinesEscape() {
        var lines = JSONLines()
        lines.append(["op": "say \"hi\"", "detail": "a\\b\nc\u{1}"])
        #expect(String(decoding: lines.bytes, as: UTF8.self) == "{\"op\":\"say \\\"hi\\\"\",\"detail\":\"a\\\\b\\nc\\u0001\"}\n")
    }

    private func formatSeconds(_ ns: Int64) -> String {
        let negative = ns < 0
        let magnitude = ns.magnitude
        let frac = String(magnitude % 1_000_000_000)
        return (negative ? "-" : "") + "\(magnitude / 1_000_000_000)." + String(repeating: "0", count: 9 - frac.count) + frac
    }
}
