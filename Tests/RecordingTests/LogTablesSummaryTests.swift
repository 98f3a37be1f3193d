import Recording
import Testing

/// `summary.csv`'s row printing, and the same fields behind an extra leading
/// column (how `compare` writes its `run_id` table).
@Suite struct LogTablesSummaryTests {
    static let row = SummaryRow(
        trace: "t, 1", policy: "dask", cluster: "4x2", seed: 7, backend: "sim", makespan: 2_500_000_001,
        tasks: 12, utilisation: 0.6666666, transfers: 3, transferBytes: 4096, steals: 1, events: 99,
        wallSeconds: nil, network: "bandwidth=1e9", criticalPath: 1_000_000_000, workBound: 750_000_000,
        outcome: "stalled", detail: "2 task(s) \"stuck\"", runtime: "dask")
    static let fields = #""t, 1",dask,4x2,7,sim,2.500000001,12,0.666667,3,4096,1,99,,bandwidth=1e9,1.000000000,0.750000000,stalled,"2 task(s) ""stuck""",dask"#

    @Test func summaryPrintsEveryColumnInOrder() {
        let table = LogTables.summary([Self.row])
        #expect(table.text == LogTables.summaryColumns.joined(separator: ",") + "\n" + Self.fields + "\n")
    }

    @Test func fieldsAfterALeadingColumnAreTheSame() {
        var table = CSVTable(header: ["run_id"] + LogTables.summaryColumns)
        table.append("r-0001")
        var withWall = Self.row
        withWall.wallSeconds = 0.0125
        LogTables.appendFields(of: withWall, to: &table)
        table.endRow()
        let expected = Self.fields.replacingOccurrences(of: "99,,bandwidth", with: "99,0.013,bandwidth")
        #expect(table.text == "run_id," + LogTables.summaryColumns.joined(separator: ",") + "\nr-0001," + expected + "\n")
    }
}
