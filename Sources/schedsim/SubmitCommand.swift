import ArgumentParser
import Executor
import Messages
import Workload

/// Options shared by `submit` and `run`.
struct RealRunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Directory for the CSV logs.", valueName: "dir"))
    var out: String

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Multiply every duration (and submission time) by this.", valueName: "factor"))
    var timeScale: Double = 1

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Multiply every output size by this (for traces whose data does not fit in memory).", valueName: "factor"))
    var sizeScale: Double = 1

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Give up after this many seconds of wall clock.", valueName: "seconds"))
    var timeout: Double = 600

    func validate() throws {
        if !(timeScale > 0) || !timeScale.isFinite { throw ValidationError("--time-scale must be a positive number") }
        if !(sizeScale >= 0) || !sizeScale.isFinite { throw ValidationError("--size-scale must be a number >= 0") }
        if !(timeout > 0) { throw ValidationError("--timeout must be positive") }
    }
}

/// Runs one client against a scheduler and writes the logs; shared by `submit` and `run`.
enum RealSubmission {
    static func perform(trace: LoadedTraceWorkload, scheduler: Endpoint, options: RealRunOptions, token: String,
                        frameLimit: Int, stallTimeout: Double = ConnectionLimits.defaultStallTimeout.seconds, waitForWorkers: Int, terminate: Bool, cluster: String, network: String) throws -> (result: SubmitResult, logs: RunLogs) {
        let workload = try WorkloadScaling.scaled(trace.workload, path: trace.path, timeScale: options.timeScale, sizeScale: options.sizeScale)
        var submit = SubmitOptions(scheduler: scheduler)
        submit.token = token
        submit.frameLimit = frameLimit
        submit.stallTimeout = Time(seconds: stallTimeout)
        submit.timeout = Time(seconds: options.timeout)
        submit.waitForWorkers = waitForWorkers
        submit.terminateCluster = terminate
        let wallStart = ExecutorClock.now()
        let result: SubmitResult
        do {
            result = try ExecutorProcess.submit(workload, options: submit)
        } catch {
            printError("submit \(trace.path): \(error)")
            throw ExitStatus.other.code
        }
        let wall = (ExecutorClock.now() - wallStart).seconds
        var logs = RunLogs(workload: workload, records: result.records, trace: workload.name, policy: "dask",
                           cluster: cluster, network: network, wallSeconds: wall, clientDone: result.lastHeld)
        logs.client = ClientOutcome(wanted: result.wanted, unresolvedKeys: result.unresolvedKeys,
                                    erred: result.erred.count, lostScattered: result.lostScattered)
        do { try logs.write(to: options.out) } catch {
            printError("\(error)")
            throw ExitStatus.other.code
        }
        for line in result.erred { printError("task erred: \(line)") }
        for line in result.failed { printError("task failed: \(line)") }
        for line in result.corrupt { printError("corrupt data: \(line)") }
        print("\(workload.name): \(workload.count) tasks, makespan \(Time.format(logs.makespan)) s, "
              + "\(result.records.transfers.count) transfers, \(result.gathered) key(s) gathered; logs in \(options.out)")
        let outcome = logs.outcome
        if outcome.outcome != "completed" || !outcome.detail.isEmpty {
            print("outcome: \(outcome.outcome)\(outcome.detail.isEmpty ? "" : " (\(outcome.detail))")")
        }
        // Corrupt data is a bug of the executor (1); a run whose wanted results did not
        // all arrive failed (2, as `replay` exits for a run that did not complete).
        if !result.corrupt.isEmpty { throw ExitStatus.other.code }
        if outcome.outcome != "completed" { throw ExitStatus.runFailed.code }
        return (result, logs)
    }
}

/// The loaded workload and the path it came from.
struct LoadedTraceWorkload {
    var path: String
    var workload: Workload
}

/// `schedsim submit`: a client of the real executor.
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a trace to a running scheduler, wait for the results, gather them and write the logs.",
        discussion: """
            Sends the graph and update-graph per submission (scattering pure-data tasks straight to \
            workers), waits for every wanted key, gathers each from a worker and verifies its checksum, \
            then writes tasks.csv, transitions.csv, transfers.csv, workers.csv and summary.csv \
            (backend = real) into --out.

            Example:
              schedsim submit traces/native/diamond.json --scheduler tcp://127.0.0.1:8786 --out runs/real
            """
    )

    @Argument(help: ArgumentHelp("Trace to run.", valueName: "trace"))
    var trace: String

    @Option(name: .long, help: ArgumentHelp("The scheduler's address.", valueName: "tcp://host:port"))
    var scheduler: String = "tcp://127.0.0.1:8786"

    @Option(name: .long, parsing: .unconditional, help: "Wait until this many workers have joined before sending the graph.")
    var workers: Int = 0

    @Flag(name: .long, help: "Close the workers and the scheduler when done.")
    var terminate = false

    @OptionGroup var runOptions: RealRunOptions
    @OptionGroup var formatOption: TraceFormatOption
    @OptionGroup var security: ExecutorSecurityOptions

    func run() throws {
        let endpoint: Endpoint
        do { endpoint = try Endpoint(parsing: scheduler) } catch { throw ValidationError("--scheduler: \(error)") }
        let loaded = try TraceInput.loadOrExit(trace, format: formatOption.format, partialReads: formatOption.partialReadsMode(), maxInputBytes: formatOption.maxInputBytesValue)
        _ = try RealSubmission.perform(
            trace: LoadedTraceWorkload(path: trace, workload: loaded.workload), scheduler: endpoint, options: runOptions,
            token: security.resolvedToken, frameLimit: security.frameLimit, stallTimeout: security.stallTimeout, waitForWorkers: workers,
            terminate: terminate, cluster: "external", network: "real")
    }
}
