import ArgumentParser
import Dispatch
import Executor
import Foundation
import Messages

/// `schedsim run`: a whole real cluster on loopback, as child processes.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start a scheduler and workers as child processes on loopback, run a trace, write the logs, shut down.",
        discussion: """
            Starts `schedsim scheduler` on a free loopback port and the workers of --cluster, \
            submits the trace (waiting until every worker has joined), writes the logs into --out \
            and closes everything; Ctrl-C kills the children too. Each child's standard error is \
            kept in OUT/processes/NAME.log.

            Example:
              schedsim run traces/native/diamond.json --cluster 4x2 --out runs/real --time-scale 0.01
            """
    )

    @Argument(help: ArgumentHelp("Trace to run.", valueName: "trace"))
    var trace: String

    @Option(name: .long, help: ArgumentHelp("Workers and threads per worker.", valueName: "NxT"))
    var cluster: String = "4x2"

    @Option(name: .long, help: ArgumentHelp("Scheduling policy (the real executor supports: dask).", valueName: "name"))
    var policy: String = "dask"

    @Option(name: .long, help: ArgumentHelp("How task time is spent: sleep or spin.", valueName: "mode"))
    var work: String = "sleep"

    @Option(name: .long, help: ArgumentHelp("Per-worker emulated bandwidth in bytes/s (0 = unlimited).", valueName: "bytes/s"))
    var bandwidth: Double = 0

    @Option(name: .long, help: ArgumentHelp("Per-worker emulated added latency, seconds.", valueName: "seconds"))
    var latency: Double = 0

    @Option(name: .long, help: ArgumentHelp("Memory limit per worker (0 = none).", valueName: "size"))
    var memoryLimit: String = "0"

    @OptionGroup var runOptions: RealRunOptions
    @OptionGroup var formatOption: TraceFormatOption
    @OptionGroup var security: ExecutorSecurityOptions

    func validate() throws {
        _ = try parseCluster(cluster)
        if policy != "dask" { throw ValidationError("--policy '\(policy)': the real executor supports: dask") }
        if WorkMode(rawValue: work) == nil { throw ValidationError("--work '\(work)': expected sleep or spin") }
        _ = try parseBytes(memoryLimit, option: "--memory-limit")
    }

    func run() throws {
        let loaded = try TraceInput.loadOrExit(trace, format: formatOption.format)
        _ = try LoopbackCluster(
            shape: try parseCluster(cluster), clusterLabel: cluster, work: work, bandwidth: bandwidth, latency: latency,
            memoryLimit: memoryLimit, token: security.resolvedToken, frameLimit: security.frameLimit
        ).run(trace: LoadedTraceWorkload(path: trace, workload: loaded.workload), options: runOptions)
    }
}

/// A scheduler and workers started as child processes on loopback, one
/// submission, then everything shut down. Used by `run` and `validate`.
struct LoopbackCluster {
    var shape: (workers: Int, threads: Int)
    var clusterLabel: String
    var work: String
    var bandwidth: Double
    var latency: Double
    var memoryLimit: String
    var token: String
    var frameLimit: Int

    func run(trace: LoadedTraceWorkload, options: RealRunOptions) throws -> (result: SubmitResult, logs: RunLogs) {
        let children = ChildProcesses(logDirectory: options.out + "/processes")
        children.installInterruptHandler()
        defer { children.stopAll(grace: 5) }
        let common = ["--frame-limit", String(frameLimit)]
        // The token goes through the environment, not the command line (which `ps` shows).
        children.environment["SCHEDSIM_TOKEN"] = token
        let endpoint: Endpoint
        do {
            endpoint = try children.startScheduler(arguments: ["scheduler", "--listen", "127.0.0.1:0", "--verbose"] + common)
        } catch {
            printError("run: \(error)")
            throw ExitCode.failure
        }
        for i in 1...shape.workers {
            var args = ["worker", endpoint.description, "--nthreads", String(shape.threads), "--name", "w\(i)",
                        "--work", work, "--memory-limit", memoryLimit, "--verbose"] + common
            if bandwidth > 0 { args += ["--bandwidth", String(bandwidth)] }
            if latency > 0 { args += ["--latency", String(latency)] }
            do { try children.start(name: "w\(i)", arguments: args) } catch {
                printError("run: \(error)")
                throw ExitCode.failure
            }
        }
        let network = bandwidth > 0 || latency > 0 ? "bandwidth=\(bandwidth),latency=\(latency)" : "loopback"
        return try RealSubmission.perform(
            trace: trace, scheduler: endpoint, options: options, token: token, frameLimit: frameLimit,
            waitForWorkers: shape.workers, terminate: true, cluster: clusterLabel, network: network)
    }
}

/// The child processes of `run`: started from this executable, each with its
/// standard error in a log file, all killed on Ctrl-C or when `run` ends.
final class ChildProcesses: @unchecked Sendable {
    let logDirectory: String
    let lock = NSLock()
    var processes: [Process] = []
    var signalSources: [any DispatchSourceSignal] = []
    var environment = ProcessInfo.processInfo.environment

    init(logDirectory: String) {
        self.logDirectory = logDirectory
        try? FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
    }

    var executable: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }

    func start(name: String, arguments: [String], stdout: Pipe? = nil) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let logPath = logDirectory + "/\(name).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw WireError("cannot start \(name) (\(executable.path) \(arguments.joined(separator: " "))): \(error)")
        }
        lock.withLock { processes.append(process) }
    }

    /// Starts the scheduler and reads the address from its "listening on …" line.
    func startScheduler(arguments: [String]) throws -> Endpoint {
        let pipe = Pipe()
        try start(name: "scheduler", arguments: arguments, stdout: pipe)
        var line: [UInt8] = []
        let handle = pipe.fileHandleForReading
        while true {
            let chunk = handle.readData(ofLength: 1)
            if chunk.isEmpty { throw WireError("the scheduler exited before listening (see \(logDirectory)/scheduler.log)") }
            if chunk[chunk.startIndex] == UInt8(ascii: "\n") { break }
            line.append(chunk[chunk.startIndex])
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening on ") else { throw WireError("unexpected scheduler output: '\(text)'") }
        return try Endpoint(parsing: String(text.dropFirst("listening on ".count)))
    }

    /// Waits up to `grace` seconds for the children to exit, then kills the rest.
    func stopAll(grace: Double) {
        let all = lock.withLock { processes }
        let deadline = Date().addingTimeInterval(grace)
        for p in all {
            while p.isRunning && Date() < deadline { usleep(20_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
        for p in all where p.processIdentifier > 0 { p.waitUntilExit() }
    }

    /// Ctrl-C (and SIGTERM): kill every child, then exit with 130.
    func installInterruptHandler() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                let all = lock.withLock { processes }
                for p in all where p.isRunning { kill(p.processIdentifier, SIGKILL) }
                FileHandle.standardError.write("run: interrupted; children stopped\n".data(using: .utf8)!)
                exit(130)
            }
            source.resume()
            signalSources.append(source)
        }
    }
}
