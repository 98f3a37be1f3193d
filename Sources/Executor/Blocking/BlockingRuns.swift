import Messages
import NIOCore
import NIOPosix
import Scheduler
import Workload

/// Blocking entry points for the command-line tool, so that SwiftNIO stays inside
/// this module: each creates its own one-thread event loop and waits on it.
public enum ExecutorProcess {
    /// Runs a scheduler until a client sends `terminate` (or the process is killed).
    /// `ready` is called with the bound address once listening.
    public static func runScheduler(_ config: SchedulerNodeConfig, policy: @escaping @Sendable () -> any SchedulingPolicy,
                                    ready: (Endpoint) -> Void) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let node = SchedulerNode(config: config, loop: group.next(), policy: policy)
        ready(try node.start())
        try node.closeFuture.wait()
    }

    /// Runs a worker until the scheduler closes it (or goes away); returns the reason.
    /// `registered` is called (on the worker's loop) with the id the scheduler gave it.
    public static func runWorker(_ config: WorkerNodeConfig, registered: @escaping @Sendable (WorkerID) -> Void) throws -> String {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let node = WorkerNode(config: config, loop: group.next())
        try node.start()
        node.registeredFuture.whenSuccess(registered)
        return try node.exitFuture.wait()
    }

    /// Submits `workload` and waits for the result.
    public static func submit(_ workload: Workload, options: SubmitOptions) throws -> SubmitResult {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        return try SubmitClient(workload: workload, options: options, loop: group.next()).run().wait()
    }
}
