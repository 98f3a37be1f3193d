/// The CSV files of a run: their names, fixed column orders, and how each row
/// is printed. `docs/logs.md` documents every column.
public enum LogTables {
    public static let tasksColumns = [
        "key", "prefix", "worker", "submit", "ready", "start", "end", "duration",
        "output_bytes", "bytes_fetched", "state", "attempts",
    ]
    public static let transitionsColumns = ["time", "key", "from", "to", "stimulus", "worker"]
    public static let transfersColumns = ["key", "from_worker", "to_worker", "bytes", "start", "end"]
    public static let workersColumns = ["time", "worker", "busy_threads", "queued", "memory_bytes", "occupancy"]
    public static let summaryColumns = [
        "trace", "policy", "cluster", "seed", "backend", "makespan", "tasks", "utilisation",
        "transfers", "transfer_bytes", "steals", "events", "wall_seconds",
        "network", "critical_path", "work_bound", "outcome", "detail", "runtime",
    ]

    public static func tasks(_ rows: [TaskRow]) -> CSVTable {
        var table = CSVTable(header: tasksColumns)
        for row in rows {
            table.append(row.key)
            table.append(row.prefix)
            table.append(row.worker)
            table.append(nanoseconds: row.submit)
            table.append(nanoseconds: row.ready)
            table.append(nanoseconds: row.start)
            table.append(nanoseconds: row.end)
            if let start = row.start, let end = row.end {
                table.append(nanoseconds: end - start)
            } else {
                table.appendEmpty()
            }
            table.append(row.outputBytes)
            table.append(row.bytesFetched)
            table.append(row.state)
            table.append(row.attempts)
            table.endRow()
        }
        return table
    }

    /// `keys[i]` is the key of task `i`.
    public static func transitions(_ rows: [TransitionRow], keys: [String]) -> CSVTable {
        var table = CSVTable(header: transitionsColumns)
        for row in rows {
            table.append(nanoseconds: row.time)
            table.append(keys[Int(row.task)])
            table.append(row.from)
            table.append(row.to)
            table.append(row.stimulus)
            table.append(row.worker)
            table.endRow()
        }
        return table
    }

    public static func transfers(_ rows: [TransferRow], keys: [String]) -> CSVTable {
        var table = CSVTable(header: transfersColumns)
        for row in rows {
            table.append(keys[Int(row.task)])
            table.append(row.from)
            table.append(row.to)
            table.append(row.bytes)
            table.append(nanoseconds: row.start)
            table.append(nanoseconds: row.end)
            table.endRow()
        }
        return table
    }

    public static func workers(_ rows: [WorkerSampleRow]) -> CSVTable {
        var table = CSVTable(header: workersColumns)
        for row in rows {
            table.append(nanoseconds: row.time)
            table.append(row.worker)
            table.append(row.busyThreads)
            table.append(row.queued)
            table.append(row.memoryBytes)
            table.append(nanoseconds: row.occupancy)
            table.endRow()
        }
        return table
    }

    public static func summary(_ rows: [SummaryRow]) -> CSVTable {
        var table = CSVTable(header: summaryColumns)
        for row in rows {
            appendFields(of: row, to: &table)
            table.endRow()
        }
        return table
    }

    /// Appends one summary row's fields in `summaryColumns` order without ending
    /// the row, so a table with extra leading columns (compare's `run_id`) prints
    /// them exactly as `summary.csv` does.
    public static func appendFields(of row: SummaryRow, to table: inout CSVTable) {
        table.append(row.trace)
        table.append(row.policy)
        table.append(row.cluster)
        table.append(String(row.seed))
        table.append(row.backend)
        table.append(nanoseconds: row.makespan)
        table.append(row.tasks)
        table.append(fixed: row.utilisation, decimals: 6)
        table.append(row.transfers)
        table.append(row.transferBytes)
        table.append(row.steals)
        table.append(row.events)
        if let wall = row.wallSeconds { table.append(fixed: wall, decimals: 3) } else { table.appendEmpty() }
        table.append(row.network)
        table.append(nanoseconds: row.criticalPath)
        table.append(nanoseconds: row.workBound)
        table.append(row.outcome)
        table.append(row.detail)
        table.append(row.runtime)
    }

    /// Writes named files into `directory` (created if missing), each atomically.
    public static func write(_ files: [(name: String, bytes: [UInt8])], to directory: String) throws(FileWriteError) {
        try AtomicFile.makeDirectory(directory)
        for file in files {
            try AtomicFile.write(file.bytes, to: directory + "/" + file.name)
        }
    }
}
