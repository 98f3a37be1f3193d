/// A `compare` summary grouped by trace and policy: one cell per pair with the makespans of its
/// runs (one per seed). Traces and policies keep their first-appearance order in summary.csv.
public struct CompareRuns: Sendable {
    public struct Cell: Sendable, Equatable {
        public var trace: String
        public var policy: String
        public var makespans: [Double]
        public var transferBytes: [Double]
        public var utilisation: [Double]
        /// Runs whose outcome is not `completed` (their makespan is still counted).
        public var notCompleted: Int

        public var mean: Double { makespans.reduce(0, +) / Double(max(makespans.count, 1)) }
        public var minimum: Double { makespans.min() ?? 0 }
        public var maximum: Double { makespans.max() ?? 0 }
    }

    public var traces: [String]
    public var policies: [String]
    public var cells: [Cell]

    /// Reads summary.csv of a compare folder: requires run_id, trace, policy and makespan.
    public init(table: CSVTable) throws {
        _ = try table.column("run_id")
        let trace = try table.column("trace"), policy = try table.column("policy"), makespan = try table.column("makespan")
        let bytes = table.optionalColumn("transfer_bytes"), utilisation = table.optionalColumn("utilisation")
        let outcome = table.optionalColumn("outcome")
        var traces: [String] = [], policies: [String] = [], cells: [Cell] = []
        var cellIndex: [String: Int] = [:]
        for row in table.rows.indices {
            let fields = table.rows[row]
            let value = try table.requiredDouble(row: row, column: makespan)
            if !traces.contains(fields[trace]) { traces.append(fields[trace]) }
            if !policies.contains(fields[policy]) { policies.append(fields[policy]) }
            let name = fields[trace] + "\u{1}" + fields[policy]
            let index: Int
            if let existing = cellIndex[name] {
                index = existing
            } else {
                index = cells.count
                cellIndex[name] = index
                cells.append(Cell(trace: fields[trace], policy: fields[policy], makespans: [], transferBytes: [], utilisation: [], notCompleted: 0))
            }
            cells[index].makespans.append(value)
            if let bytes, let moved = try table.double(row: row, column: bytes) { cells[index].transferBytes.append(moved) }
            if let utilisation, let used = try table.double(row: row, column: utilisation) { cells[index].utilisation.append(used) }
            if let outcome, !fields[outcome].isEmpty, fields[outcome] != "completed" { cells[index].notCompleted += 1 }
        }
        self.traces = traces
        self.policies = policies
        self.cells = cells
    }

    /// The cell of a trace and policy, if that pair ran.
    public func cell(trace: String, policy: String) -> Cell? {
        cells.first { $0.trace == trace && $0.policy == policy }
    }

    /// The best (lowest) mean makespan over the policies of a trace: what the others are divided by.
    public func best(trace: String) -> Double {
        cells.filter { $0.trace == trace }.map(\.mean).min() ?? 0
    }
}
