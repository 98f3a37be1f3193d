import ArgumentParser
import Dispatch
import Executor
import Foundation
import Messages
import Simulation

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

    @Option(name: .long, help: ArgumentHelp("Workers as the simulator takes them: COUNTxTHREADS[@SPEED][:mem=SIZE][:perhost=K], comma-separated groups.", valueName: "spec"))
    var cluster: String = "4x2"

    @Option(name: .customLong("cluster-file"), help: ArgumentHelp("A JSON or YAML cluster file, as for replay.", valueName: "file"))
    var clusterFile: String?

    @Flag(name: .customLong("emulate-network"), help: "Shape each worker's link with the cluster description's bandwidth and latency.")
    var emulateNetwork = false

    @Option(name: .long, help: ArgumentHelp("Scheduling policy (the real executor supports: dask).", valueName: "name"))
    var policy: String = "dask"

    @Option(name: .long, help: ArgumentHelp("How task time is spent: sleep or spin.", valueName: "mode"))
    var work: String = "sleep"

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Per-worker emulated bandwidth in bytes/s (0 = unlimited).", valueName: "bytes/s"))
    var bandwidth: Double = 0

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Per-worker emulated added latency, seconds.", valueName: "seconds"))
    var latency: Double = 0


    @OptionGroup var runOptions: RealRunOptions
    @OptionGroup var formatOption: TraceFormatOption
    @OptionGroup var security: ExecutorSecurityOptions

    func validate() throws {
        if policy != "dask" { throw ValidationError("--policy '\(policy)': the real executor supports: dask") }
        if WorkMode(rawValue: work) == nil { throw ValidationError("--work '\(work)': expected sleep or spin") }
        try RealCluster.checkFlag(cluster, file: clusterFile)
    }

    func run() throws {
        let loaded = try TraceInput.loadOrExit(trace, format: formatOption.format, partialReads: formatOption.partialReadsMode(), maxInputBytes: formatOption.maxInputBytesValue)
        let theCluster = try RealCluster.load(flag: cluster, file: clusterFile)
        let net = LoopbackCluster.network(for: theCluster, emulate: emulateNetwork, bandwidth: bandwidth, latency: latency)
        _ = try LoopbackCluster(
            cluster: theCluster, work: work, bandwidth: net.bandwidth, latency: net.latency,
            token: security.clusterToken, frameLimit: security.frameLimit,
            handshakeTimeout: security.handshakeTimeout, stallTimeout: security.stallTimeout
        ).run(trace: LoadedTraceWorkload(path: trace, workload: loaded.workload), options: runOptions)
    }
}

/// A scheduler and workers started as child processes on loopback, one
/// submission, then everything shut down. Used by `run` and `validate`.
///
/// The workers are those of the simulator's cluster description (names, threads,
/// speeds, memory limits, hosts), started one at a time so that worker `i` of the
/// description gets `WorkerID` `i`, as in the simulation.
struct LoopbackCluster {
    var cluster: Cluster
    var work: String
    /// Per-worker emulated bandwidth (bytes/s, 0 = unlimited) and latency (seconds).
    var bandwidth: Double
    var latency: Double
    /// Every process's shared secret (a random one unless the user gave one; see `clusterToken`).
    var token: String
    var frameLimit: Int
    var handshakeTimeout: Double = ConnectionLimits.defaultHandshakeTimeout.seconds
    var stallTimeout: Double = ConnectionLimits.defaultStallTimeout.seconds

    /// With `emulateNetwork`, bandwidth and latency come from the cluster's network
    /// description (the link between two workers on different hosts), unless given.
    static func network(for cluster: Cluster, emulate: Bool, bandwidth: Double, latency: Double) -> (bandwidth: Double, latency: Double) {
        guard emulate else { return (bandwidth, latency) }
        let link = cluster.hosts.count > 1 ? cluster.network.sameRack : cluster.network.sameHost
        return (bandwidth > 0 ? bandwidth : link.bandwidth, latency > 0 ? latency : Double(link.latency) / 1e9)
    }

    func run(trace: LoadedTraceWorkload, options: RealRunOptions) throws -> (result: SubmitResult, logs: RunLogs) {
        let children = ChildProcesses(logDirectory: options.out + "/processes")
        children.installInterruptHandler()
        defer { children.stopAll(grace: 5) }
        let common = ["--frame-limit", String(frameLimit), "--handshake-timeout", String(handshakeTimeout),
                      "--stall-timeout", String(stallTimeout)]
        // The token goes through the environment, not the command line (which `ps` shows).
        children.environment["SCHEDSIM_TOKEN"] = token
        // The children kill themselves if this process dies, even by SIGKILL (ParentWatch).
        children.environment[ParentWatch.variable] = String(getpid())
        let endpoint: Endpoint
        do {
            endpoint = try children.startScheduler(arguments: ["scheduler", "--listen", "127.0.0.1:0", "--verbose"] + common)
            for (i, worker) in cluster.workers.enumerated() {
                var args = ["worker", endpoint.description, "--nthreads", String(worker.nthreads), "--name", worker.name,
                            "--work", work, "--memory-limit", String(worker.memoryLimit), "--speed", String(worker.speed),
                            "--host", cluster.hosts[cluster.hostOfWorker[i]], "--verbose"] + common
                if bandwidth > 0 { args += ["--bandwidth", String(bandwidth)] }
                if latency > 0 { args += ["--latency", String(latency)] }
                let line = try children.startAndReadLine(name: worker.name, arguments: args)
                guard line == "registered as worker-\(i)" else {
                    throw WireError("worker \(worker.name): expected 'registered as worker-\(i)', got '\(line)'")
                }
            }
        } catch {
            printError("run: \(error)")
            throw ExitStatus.other.code
        }
        let network = bandwidth > 0 || latency > 0 ? "emulated(bandwidth=\(bandwidth),latency=\(latency))" : "loopback"
        return try RealSubmission.perform(
            trace: trace, scheduler: endpoint, options: options, token: token, frameLimit: frameLimit,
            stallTimeout: stallTimeout, waitForWorkers: cluster.workers.count, terminate: true, cluster: cluster.label, network: network)
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

    /// Starts a child and returns the first line it prints (it flushes it).
    func startAndReadLine(name: String, arguments: [String]) throws -> String {
        let pipe = Pipe()
        try start(name: name, arguments: arguments, stdout: pipe)
        var line: [UInt8] = []
        let handle = pipe.fileHandleForReading
        while true {
            let chunk = handle.readData(ofLength: 1)
            if chunk.isEmpty { throw WireError("\(name) exited before it was ready (see \(logDirectory)/\(name).log)") }
            if chunk[chunk.startIndex] == UInt8(ascii: "\n") { break }
            line.append(chunk[chunk.startIndex])
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// Starts the scheduler and reads the address from its "listening on …" line.
    func startScheduler(arguments: [String]) throws -> Endpoint {
        let text = try startAndReadLine(name: "scheduler", arguments: arguments)
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
                exit(ExitStatus.interrupted.rawValue)
            }
            source.resume()
            signalSources.append(source)
        }
    }
}

/// The simulator's cluster description from `--cluster` or `--cluster-file`; errors name the input.
func loadCluster(flag: String, file: String?) throws -> Cluster {
    do {
        if let file { return try Cluster.load(file: file) }
        return try Cluster.parse(flag: flag)
    } catch {
        printError("\(error)")
        throw file == nil ? ExitStatus.usage.code : ExitStatus.badInput.code
    }
}

/// What the real executor can start, checked before any child process: the
/// simulator's limits (100,000 threads per worker) are far above what one real
/// worker takes (`schedsim worker --nthreads` <= 1024), and a cluster past them
/// used to fail late, as a worker crash after the scheduler had started.
enum RealCluster {
    static func check(_ cluster: Cluster, source: String) throws(ValidationError) {
        for worker in cluster.workers {
            if worker.nthreads > WorkerCommand.maximumThreads {
                throw ValidationError("\(source): worker \(worker.name) has \(worker.nthreads) threads; the real executor runs at most \(WorkerCommand.maximumThreads) per worker")
            }
            if worker.memoryLimit > 1 << 50 {
                throw ValidationError("\(source): worker \(worker.name) has a memory limit of \(worker.memoryLimit) bytes; the real executor takes at most 1 PiB")
            }
        }
    }

    /// `--cluster SPEC` parsed and checked in `validate()`, so a bad one is a usage error (64)
    /// before the trace is read; a cluster file is checked when it is loaded.
    static func checkFlag(_ flag: String, file: String?) throws {
        guard file == nil else { return }
        let cluster: Cluster
        do { cluster = try Cluster.parse(flag: flag) } catch { throw ValidationError("\(error)") }
        try check(cluster, source: "--cluster '\(flag)'")
    }

    /// `loadCluster` and then `check`: a cluster file past the limits is bad input (65).
    static func load(flag: String, file: String?) throws -> Cluster {
        let cluster = try loadCluster(flag: flag, file: file)
        do { try check(cluster, source: file ?? "--cluster '\(flag)'") } catch {
            printError(error.message)
            throw file == nil ? ExitStatus.usage.code : ExitStatus.badInput.code
        }
        return cluster
    }
}
