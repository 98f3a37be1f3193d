#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Executor
import Messages

/// `schedsim worker`: a worker process of the real executor.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker (the Dask worker state machine) that connects to a scheduler.",
        discussion: """
            Registers with the scheduler, serves its results to peers on its own data port, and \
            emulates each task for its duration divided by --speed (a timer with --work sleep, a \
            busy loop with --work spin). --bandwidth and --latency emulate its network link.

            Example:
              schedsim worker tcp://127.0.0.1:8786 --nthreads 2 --memory-limit 2GiB --name w1
            """
    )

    @Argument(help: ArgumentHelp("The scheduler's address.", valueName: "tcp://host:port"))
    var scheduler: String

    /// Threads of one real worker: each is an OS thread, and `run`/`validate` check
    /// their cluster against this before starting any child (`RealCluster.check`).
    static let maximumThreads = 1024

    @Option(name: .long, parsing: .unconditional, help: "Threads (tasks run at the same time).")
    var nthreads: Int = 1

    @Option(name: .long, help: ArgumentHelp("Memory limit, e.g. 2GiB (0 = none).", valueName: "size"))
    var memoryLimit: String = "0"

    @Option(name: .long, help: "Worker name (used in logs and restrictions).")
    var name: String?

    @Option(name: .long, help: ArgumentHelp("How task time is spent: sleep or spin.", valueName: "mode"))
    var work: String = "sleep"

    @Option(name: .long, parsing: .unconditional, help: "Relative speed: a task of duration d takes d / speed.")
    var speed: Double = 1

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Emulated link bandwidth in bytes/s, send and receive (0 = unlimited).", valueName: "bytes/s"))
    var bandwidth: Double = 0

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Emulated added latency per transfer, seconds.", valueName: "seconds"))
    var latency: Double = 0

    @Option(name: .long, help: ArgumentHelp("Host name the scheduler uses for same-host rules (default: the data host).", valueName: "host"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp("Host to serve data on.", valueName: "host"))
    var listenHost: String = "127.0.0.1"

    @Flag(name: .long, help: "Print connection events to standard error.")
    var verbose = false

    @OptionGroup var security: ExecutorSecurityOptions

    func validate() throws {
        if nthreads < 1 || nthreads > Self.maximumThreads { throw ValidationError("--nthreads must be from 1 to \(Self.maximumThreads)") }
        if WorkMode(rawValue: work) == nil { throw ValidationError("--work '\(work)': expected sleep or spin") }
        if !(speed > 0) || !speed.isFinite { throw ValidationError("--speed must be a positive number") }
        // The simulator's bounds (docs/cli.md#limits): slower than 1 MB/s or later than a
        // day is a unit mistake, and a real run would sleep for ever on it.
        if !(bandwidth == 0 || (bandwidth >= 1e6 && bandwidth.isFinite)) {
            throw ValidationError("--bandwidth \(bandwidth): expected 0 (unlimited) or at least 1e6 bytes/s")
        }
        if !(latency >= 0 && latency <= 86_400) {
            throw ValidationError("--latency \(latency): expected 0 to 86400 seconds")
        }
        _ = try parseBytes(memoryLimit, option: "--memory-limit")
    }

    func run() throws {
        ParentWatch.start()
        var config = WorkerNodeConfig()
        do { config.scheduler = try Endpoint(parsing: scheduler) } catch { throw ValidationError("scheduler address: \(error)") }
        config.name = name ?? "worker-\(getpid())"
        config.nthreads = nthreads
        config.memoryLimit = try parseBytes(memoryLimit, option: "--memory-limit")
        config.work = WorkMode(rawValue: work) ?? .sleep
        config.speed = speed
        config.bandwidth = bandwidth
        config.latency = Time(seconds: latency)
        config.listenHost = listenHost
        config.hostName = host ?? ""
        config.token = security.resolvedToken
        config.frameLimit = security.frameLimit
        config.handshakeTimeout = Time(seconds: security.handshakeTimeout)
        config.stallTimeout = Time(seconds: security.stallTimeout)
        let verbose = self.verbose
        let label = config.name
        config.log = { line in if verbose { printError("worker \(label): " + line) } }
        let reason: String
        do {
            // A parent (`run`) waits for this line to start the next worker, so ids follow the cluster order.
            reason = try ExecutorProcess.runWorker(config) { id in printFlushed("registered as \(id)") }
        } catch {
            printError("worker \(label): cannot start (scheduler \(scheduler)): \(error)")
            throw ExitStatus.other.code
        }
        if verbose { printError("worker \(label): exiting: \(reason)") }
    }
}
