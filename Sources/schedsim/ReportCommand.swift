import ArgumentParser
import Report

/// `schedsim report`: one self-contained HTML page with pictures of a run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (task stream, progress, workers, network) of a log folder.",
        discussion: """
            DIR is a folder written by `schedsim replay --out DIR` (tasks.csv, transitions.csv, \
            transfers.csv, workers.csv, summary.csv), a `compare` folder (summary.csv with a \
            run_id column) or a `validate` folder (validation.csv with the simulated and real \
            runs in subfolders sim/ and real/). The kind is told from the files; see docs/report.md.

            The page needs no network: charts are inline SVG, and a small script only adds hover \
            and zoom. Above --max-bars task bars the task stream shows per-lane utilisation instead.

            Exit status: 0 on success, 65 for a folder or log file that cannot be read or is \
            damaged (the message names the file and line), 1 when the page cannot be written.

            Examples:
              schedsim replay traces/dask/delayed_tree.json --cluster 2x2 --out out
              schedsim report out -o report.html
            """
    )

    @Argument(help: ArgumentHelp("The log folder.", valueName: "dir"))
    var directory: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var output = "report.html"

    @Option(name: .customLong("max-bars"), parsing: .unconditional, help: ArgumentHelp("Above this many task bars, aggregate the task stream into per-lane utilisation.", valueName: "n"))
    var maxBars = 20_000

    @Option(help: ArgumentHelp("Title of the page (default: from the folder name).", valueName: "text"))
    var title: String?

    func validate() throws {
        if maxBars < 0 { throw ValidationError("--max-bars must be >= 0") }
    }

    func run() throws {
        do {
            let bytes = try Report.write(directory: directory, to: output, options: ReportOptions(maxBars: maxBars, title: title))
            print("\(output): \(bytes) bytes")
        } catch let error as ReportError {
            printError(error.description)
            if case .unwritable = error { throw ExitStatus.other.code }
            throw ExitStatus.badInput.code
        }
    }
}
