import Messages
import NIOCore
import NIOPosix
import Scheduler
import Synchronization
import Workload
@testable import Executor

/// A scheduler and workers in this process, each on its own event loop, talking
/// over loopback TCP on ephemeral ports.
final class LocalCluster: Sendable {
    let group: MultiThreadedEventLoopGroup
    let scheduler: SchedulerNode
    let address: Endpoint
    let workers: [WorkerNode]
    let logLines = LogSink()

    init(workers count: Int, nthreads: Int = 2, token: String = "", schedulerConfig: SchedulerConfig = SchedulerConfig(),
         heartbeatTimeout: Time = .seconds(10), work: WorkMode = .sleep, bandwidth: Double = 0,
         latency: Time = .zero) throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1 + count)
        let lines = logLines
        var config = SchedulerNodeConfig()
        config.listen = Endpoint(host: "127.0.0.1", port: 0)
        config.token = token
        config.scheduler = schedulerConfig
        config.heartbeatTimeout = heartbeatTimeout
        config.log = { line in lines.append(line) }
        scheduler = SchedulerNode(config: config, loop: group.next(), policy: { DaskPolicy() })
        address = try scheduler.start()
        var nodes: [WorkerNode] = []
        for i in 0..<count {
            var wc = WorkerNodeConfig()
            wc.scheduler = address
            wc.name = "w\(i + 1)"
            wc.nthreads = nthreads
            wc.token = token
            wc.work = work
            wc.bandwidth = bandwidth
            wc.latency = latency
            wc.log = { line in lines.append(line) }
            let node = WorkerNode(config: wc, loop: group.next())
            try node.start()
            nodes.append(node)
        }
        workers = nodes
    }

    func submit(_ workload: Workload, token: String = "", timeout: Time = .seconds(60)) throws -> SubmitResult {
        var options = SubmitOptions(scheduler: address)
        options.token = token
        options.timeout = timeout
        let client = SubmitClient(workload: workload, options: options, loop: group.next())
        return try client.run().wait()
    }

    func shutdown() throws {
        for w in workers { w.stop("test over") }
        try scheduler.stop().wait()
        try group.syncShutdownGracefully()
    }
}

/// Log lines from every node of a test cluster.
final class LogSink: Sendable {
    let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
