import ArgumentParser
import TraceFormats
import Workload

/// `schedsim convert IN OUT`: read any supported trace format and write it as a
/// native `schedsim-trace` file.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a trace (WfCommons, Dask capture, DAX, DOT, STG, ...) to a native schedsim-trace file.",
        discussion: """
            The input format is detected from the content; --format forces one \
            (\(TraceLoader.importers.map(\.name).joined(separator: ", "))). What the importer \
            could not map is printed as warnings with counts. The output is written atomically; \
            a name ending in .gz is gzip-compressed. For Dask captures the real run (placement, \
            transfers, makespan) is summarised on standard error; it is not part of the native file.

            Examples:
              schedsim convert traces/wfcommons/montage-chameleon-2mass-01d-001.json montage.json
              schedsim convert traces/stg/robot.stg robot.json.gz
              schedsim convert --format dot graph.txt graph.json
            """
    )

    @OptionGroup var formatOption: TraceFormatOption

    @Argument(help: ArgumentHelp("Trace to read.", valueName: "in"))
    var input: String

    @Argument(help: ArgumentHelp("Native trace to write (.json or .json.gz).", valueName: "out"))
    var output: String

    func run() throws {
        let trace = try TraceInput.loadOrExit(input, format: formatOption.format, partialReads: formatOption.partialReadsMode(default: .whole), maxInputBytes: formatOption.maxInputBytesValue)
        do {
            try NativeTraceWriter.write(trace.workload, to: output)
        } catch {
            printError("\(error)")
            throw ExitStatus.other.code
        }
        let facts = trace.workload.graphFacts()
        printError("\(output): wrote \(facts.tasks) tasks (\(facts.dataTasks) pure data), \(facts.edges) edges, read as \(trace.format)")
        if let run = trace.reference {
            let counts = run.tasksPerWorker.map(String.init).joined(separator: "/")
            printError("\(input): reference run: \(run.workers.count) workers, makespan \(run.makespan) s, tasks per worker \(counts), \(run.transfers.count) transfers, \(run.transferBytes) bytes")
        }
    }
}
