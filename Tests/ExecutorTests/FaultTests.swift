import Foundation
import Messages
import NIOCore
import NIOPosix
import Scheduler
import Testing
import Workload
@testable import Executor

/// Starts `schedsim worker` processes (the built binary).
enum WorkerProcesses {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let binary: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("schedsim").path
        let candidates = [beside, Bundle.main.bundleURL.appendingPathComponent("schedsim").path, packageRoot + "/.build/debug/schedsim"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    static func start(scheduler: Endpoint, name: String, nthreads: Int) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["worker", scheduler.description, "--nthreads", String(nthreads), "--name", name]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }
}

/// A worker process killed with SIGKILL mid-run: the scheduler notices the closed
/// connection, runs remove-worker, recomputes the lost results, and the run
/// completes with every checksum correct.
@Suite(.serialized)
struct FaultTests {
    @Test(.timeLimit(.minutes(2)))
    func sigkilledWorkerIsRemovedAndItsWorkRecomputed() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        defer { try? group.syncShutdownGracefully() }
        let sink = LogSink()
        var config = SchedulerNodeConfig()
        config.listen = Endpoint(host: "127.0.0.1", port: 0)
        config.log = { sink.append($0) }
        let scheduler = SchedulerNode(config: config, loop: group.next(), policy: { DaskPolicy() })
        let address = try scheduler.start()
        defer { _ = try? scheduler.stop().wait() }

        var workers: [Process] = []
        defer { for p in workers where p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }
        for i in 1...3 { workers.append(try WorkerProcesses.start(scheduler: address, name: "w\(i)", nthreads: 2)) }

        // 6 chains of 6 tasks of 0.1 s: about 0.6 s of work per chain on 6 threads.
        let workload = try Fixtures.chains(width: 6, depth: 6, duration: 0.1, bytes: 20_000, scatter: false)
        var options = SubmitOptions(scheduler: address)
        options.waitForWorkers = 3
        options.timeout = .seconds(90)
        let client = SubmitClient(workload: workload, options: options, loop: group.next())
        let future = client.run()

        // Wait (up to 60 s on a loaded machine) until some results exist, then kill
        // the worker holding the most of them.
        var victim = -1
        for _ in 0..<6000 {
            let counts = try scheduler.loop.submit { () -> [Int] in
                guard let state = scheduler.state else { return [] }
                return (0..<3).map { state.hasWhat(WorkerID($0)).count }
            }.wait()
            if counts.reduce(0, +) >= 6, let most = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[most] > 0 {
                victim = most
                break
            }
            usleep(10_000)
        }
        #expect(victim >= 0)
        let chosen = max(victim, 0)
        let victimName = try scheduler.loop.submit { scheduler.workers[chosen].hello.name }.wait()
        let victimProcess = workers.first { $0.arguments?.contains(victimName) == true }!
        kill(victimProcess.processIdentifier, SIGKILL)
        victimProcess.waitUntilExit()
        #expect(victimProcess.terminationReason == .uncaughtSignal)

        let result = try future.wait()
        #expect(result.erred.isEmpty)
        #expect(result.corrupt.isEmpty)
        #expect(result.gathered == 1)
        let r = result.records
        let sum = workload.id(forKey: "sum")!
        #expect(r.tasks[sum.index].state == "memory")
        #expect(r.tasks[sum.index].worker != Int32(victim))
        // remove-worker ran and some results were computed again.
        #expect(r.notes.contains { $0.contains("'\(victimName)'") && $0.contains("lost: connection closed") })
        #expect(r.transitions.contains { $0.stimulus.hasPrefix("remove-worker") && $0.from == "memory" })
        #expect(r.tasks.contains { $0.attempts >= 2 })
        // Every task that ran again finished on a surviving worker.
        for (i, t) in r.tasks.enumerated() where t.attempts >= 2 {
            #expect(t.worker != Int32(victim), "task \(workload.tasks[i].key)")
        }
    }
}
