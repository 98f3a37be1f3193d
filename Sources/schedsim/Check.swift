import ArgumentParser
import TraceFormats

/// `schedsim check`: validate traces, print every problem.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate traces and list every problem in them.",
        discussion: """
            Reads each trace completely (JSON syntax, field types, duplicate and unknown \
            keys, dependency cycles, durations, sizes, submissions) and prints every problem \
            to standard error as FILE: PLACE: task 'KEY': MESSAGE [code]. A valid trace prints \
            "FILE: ok: N tasks". The exit status is 65 if any trace has a problem, 0 otherwise.

            Example:
              schedsim check traces/diamond.json traces/tree.json.gz
            """
    )

    @OptionGroup var formatOption: TraceFormatOption

    @Argument(help: ArgumentHelp("Trace files to check (.json or .json.gz).", valueName: "trace"))
    var traces: [String]

    func validate() throws {
        if traces.isEmpty { throw ValidationError("give at least one trace file") }
    }

    func run() throws {
        var failed = 0
        for path in traces {
            switch TraceInput.load(path, format: formatOption.format, partialReads: formatOption.partialReadsMode(), maxInputBytes: formatOption.maxInputBytesValue) {
            case .success(let trace):
                let count = trace.workload.count
                print("\(path): ok: \(count) task\(count == 1 ? "" : "s")")
            case .failure(let lines):
                failed += 1
                for line in lines { printError(line) }
            }
        }
        if failed > 0 { throw ExitStatus.badInput.code }
    }
}
