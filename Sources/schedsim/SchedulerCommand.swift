import ArgumentParser
import Executor
import Messages
import Scheduler

/// `schedsim scheduler`: the scheduler process of the real executor.
struct SchedulerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Run the Dask scheduler state machine as a TCP server (real executor).",
        discussion: """
            Listens for workers and one client (docs/protocol.md), drives the scheduler state \
            machine with wall-clock time, and prints "listening on tcp://HOST:PORT" once bound \
            (port 0 picks a free port). Runs until a client sends terminate or it is killed.

            Example:
              schedsim scheduler --listen 127.0.0.1:8786 --policy dask
            """
    )

    @Option(name: .long, help: ArgumentHelp("Address to listen on (loopback unless told otherwise).", valueName: "host:port"))
    var listen: String = "127.0.0.1:8786"

    @Option(name: .long, help: ArgumentHelp("Scheduling policy (the real executor supports: dask).", valueName: "name"))
    var policy: String = "dask"

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Remove a worker silent for this many seconds.", valueName: "seconds"))
    var heartbeatTimeout: Double = 10

    @Flag(name: .long, help: "Print connection and worker events to standard error.")
    var verbose = false

    @OptionGroup var security: ExecutorSecurityOptions

    func validate() throws {
        if policy != "dask" { throw ValidationError("--policy '\(policy)': the real executor supports: dask") }
        if !(heartbeatTimeout > 0) { throw ValidationError("--heartbeat-timeout must be positive") }
    }

    func run() throws {
        ParentWatch.start()
        var config = SchedulerNodeConfig()
        do { config.listen = try Endpoint(parsing: listen) } catch { throw ValidationError("--listen: \(error)") }
        config.token = security.resolvedToken
        config.frameLimit = security.frameLimit
        config.handshakeTimeout = Time(seconds: security.handshakeTimeout)
        config.stallTimeout = Time(seconds: security.stallTimeout)
        config.heartbeatTimeout = Time(seconds: heartbeatTimeout)
        let verbose = self.verbose
        config.log = { line in if verbose { printError("scheduler: " + line) } }
        do {
            try ExecutorProcess.runScheduler(config, policy: { DaskPolicy() }) { bound in
                printFlushed("listening on \(bound)")
            }
        } catch {
            printError("scheduler: cannot listen on \(listen): \(error)")
            throw ExitStatus.other.code
        }
    }
}
