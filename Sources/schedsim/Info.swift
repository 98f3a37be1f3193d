import ArgumentParser
import TraceFormats
import Workload

/// `schedsim info`: the shape of a workload.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the structure of a trace: size, work, critical path, width, bounds.",
        discussion: """
            Loads a trace and prints its graph facts as an aligned table: tasks, edges, \
            total work, the critical path (duration-weighted, communication ignored) with \
            its first and last keys, depth and widest level, total output bytes, roots, \
            leaves, submissions, and the makespan lower bound max(critical path, work / \
            threads) for a few thread counts. With --json the same facts are printed as \
            one JSON object with fixed key order (seconds and bytes as plain numbers).

            Examples:
              schedsim info traces/diamond.json
              schedsim info --json traces/tree.json.gz | jq .critical_path_seconds
            """
    )

    /// Thread counts for the lower-bound rows.
    static let boundThreads = [1, 4, 16, 64, 256]

    @OptionGroup var formatOption: TraceFormatOption

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Argument(help: ArgumentHelp("The trace file (.json or .json.gz).", valueName: "trace"))
    var trace: String

    func run() throws {
        let loaded = try TraceInput.loadOrExit(trace, format: formatOption.format, partialReads: formatOption.partialReadsMode(), maxInputBytes: formatOption.maxInputBytesValue)
        let facts = loaded.workload.graphFacts()
        let summary = TraceSummary(path: trace, trace: loaded, facts: facts, threads: Self.boundThreads)
        print(json ? summary.json() : summary.table(), terminator: "")
    }
}
