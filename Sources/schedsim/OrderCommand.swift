import ArgumentParser
import Recording
import TraceFormats
import Workload

/// `schedsim order TRACE`: the static priorities the scheduler gives a trace's tasks.
struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Print each task's static priority (dask.order.order's integer) as CSV key,priority.",
        discussion: """
            The third element of Dask's task priority comes from dask.order.order, computed once per \
            update-graph. schedsim uses the order a trace records when every task of a submission \
            carries one (Dask captures do) and otherwise computes it with an exact port of \
            dask.order.order (dask 2026.8.0); see docs/scheduler.md, "Static order". This command \
            prints what the scheduler will use: one row per task in trace order, priority 0 … n−1 \
            within each submission.

            Python iterates some sets in dask.order in hash order, which changes per process \
            (PYTHONHASHSEED); schedsim fixes that order (dependencies as listed, dependents in trace \
            order), so the result depends on the trace alone.

            Partial reads are split as for replay (--partial-reads whole orders the graph as written).

            Examples:
              schedsim order traces/native/diamond.json
              schedsim order --ignore-recorded traces/dask/array_sum.json -o array_sum-order.csv
              schedsim order --order dfs traces/dax/Montage_25.xml
            """
    )

    @OptionGroup var formatOption: TraceFormatOption

    @Flag(name: .long, help: "Order every submission, even one whose tasks carry a recorded order.")
    var ignoreRecorded = false

    @OptionGroup var orderOption: OrderOption

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write the CSV here instead of standard output.", valueName: "file"))
    var output: String?

    @Argument(help: ArgumentHelp("The trace file.", valueName: "trace"))
    var trace: String

    func run() throws {
        let workload = try TraceInput.loadOrExit(trace, format: formatOption.format, partialReads: formatOption.partialReadsMode(), maxInputBytes: formatOption.maxInputBytesValue).workload
        let order = workload.staticOrder(method: orderOption.method, ignoreRecorded: ignoreRecorded)
        var table = CSVTable(header: ["key", "priority"])
        for (spec, priority) in zip(workload.tasks, order) {
            table.append(spec.key)
            table.append(priority)
            table.endRow()
        }
        if let output {
            do { try AtomicFile.write(table.bytes, to: output) } catch {
                printError("\(error)")
                throw ExitStatus.other.code
            }
        } else {
            print(table.text, terminator: "")
        }
    }
}
