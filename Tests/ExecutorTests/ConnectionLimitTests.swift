import Foundation
import Messages
import NIOCore
import NIOPosix
import Scheduler
import Testing
import Workload
@testable import Executor

/// What one inbound connection may cost the scheduler (ConnectionLimits): fields
/// bounded in the hello, a small frame limit before it, a handshake deadline and a
/// stall deadline. Each test starts its own scheduler on an ephemeral port.
@Suite(.serialized)
struct ConnectionLimitTests {
    final class Node {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let scheduler: SchedulerNode
        let address: Endpoint
        let log = LogSink()

        init(handshakeTimeout: Time = .seconds(10), stallTimeout: Time = .seconds(30)) throws {
            var config = SchedulerNodeConfig()
            config.listen = Endpoint(host: "127.0.0.1", port: 0)
            config.handshakeTimeout = handshakeTimeout
            config.stallTimeout = stallTimeout
            let log = log
            config.log = { log.append($0) }
            scheduler = SchedulerNode(config: config, loop: group.next(), policy: { DaskPolicy() })
            address = try scheduler.start()
        }

        func shutdown() {
            try? scheduler.stop().wait()
            try? group.syncShutdownGracefully()
        }
    }

    static func frame(_ m: WireMessage) -> [UInt8] { Array(WireCodec.encode(m).readableBytesView) }

    static func workerHello(_ name: String, nthreads: Int32) -> [UInt8] {
        frame(.hello(Hello(role: .worker, token: "", name: name, nthreads: nthreads, memoryLimit: 1 << 30,
                           dataHost: "127.0.0.1", dataPort: 40000)))
    }

    static func setReceiveTimeout(_ socket: RawSocket, seconds: Double) {
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(socket.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads exactly `count` bytes; `nil` if the peer closed or the receive timeout passed first.
    static func read(_ socket: RawSocket, _ count: Int) -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: count)
        while out.count < count {
            let n = chunk.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, count - out.count, 0) }
            if n <= 0 { return nil }
            out += chunk[0..<n]
        }
        return out
    }

    /// The next whole frame, decoded.
    static func readMessage(_ socket: RawSocket) throws -> WireMessage? {
        guard let prefix = read(socket, 4) else { return nil }
        let length = Int(prefix[0]) << 24 | Int(prefix[1]) << 16 | Int(prefix[2]) << 8 | Int(prefix[3])
        guard let body = read(socket, length) else { return nil }
        return try WireCodec.decode(ByteBuffer(bytes: body), limits: .init(taskCount: 0))
    }

    /// The reason of the `refused` frame the connection ended with, after it closed.
    static func refusal(_ socket: RawSocket) throws -> (reason: String?, closed: Bool) {
        let (reply, closed) = socket.readUntilClosed()
        guard reply.count > 4 else { return (nil, closed) }
        if case .refused(let reason) = try WireCodec.decode(ByteBuffer(bytes: reply.dropFirst(4)), limits: .init(taskCount: 0)) {
            return (reason, closed)
        }
        return (nil, closed)
    }

    /// A hello announcing 2^31-1 threads is refused with the field named, and the
    /// scheduler still registers a normal worker afterwards.
    @Test(.timeLimit(.minutes(1)))
    func helloWithTooManyThreadsIsRefused() throws {
        let node = try Node()
        defer { node.shutdown() }
        let bad = try RawSocket(node.address)
        Self.setReceiveTimeout(bad, seconds: 5)
        bad.send(Self.workerHello("huge", nthreads: Int32.max))
        let (reason, closed) = try Self.refusal(bad)
        bad.close()
        #expect(closed)
        #expect(reason?.contains("'hello': field 'nthreads': 2147483647 is outside 0...100000") == true,
                "refusal: \(reason ?? "none")")

        let good = try RawSocket(node.address)
        defer { good.close() }
        Self.setReceiveTimeout(good, seconds: 5)
        good.send(Self.workerHello("w1", nthreads: 2))
        guard case .welcome(let id, _)? = try Self.readMessage(good) else {
            Issue.record("a normal worker should be welcomed after the refusal"); return
        }
        #expect(id == 0)
        // The scheduler notes the registration just after sending the welcome.
        let deadline = Date().addingTimeInterval(3)
        while !node.log.all.contains(where: { $0.contains("'w1' registered as") }), Date() < deadline { usleep(10_000) }
        #expect(node.log.all.contains { $0.contains("'w1' registered as") })
        #expect(!node.log.all.contains { $0.contains("'huge' registered") })
    }

    /// A frame announcing 1 MiB before the hello is refused before its body arrives;
    /// the same announcement right after an accepted hello (even in the same segment) is not.
    @Test(.timeLimit(.minutes(1)))
    func largeFramesOnlyAfterTheHello() throws {
        let node = try Node()
        defer { node.shutdown() }
        let mib: [UInt8] = [0x00, 0x10, 0x00, 0x00]   // 1 MiB, big-endian

        let early = try RawSocket(node.address)
        Self.setReceiveTimeout(early, seconds: 5)
        early.send(mib + [UInt8](repeating: 0, count: 100))
        let (reason, closed) = try Self.refusal(early)
        early.close()
        #expect(closed, "a 1 MiB frame before the hello should close the connection")
        #expect(reason?.contains("frame of 1048576 bytes before the handshake exceeds the limit of 65536 bytes") == true,
                "refusal: \(reason ?? "none")")

        let late = try RawSocket(node.address)
        defer { late.close() }
        late.send(Self.frame(.hello(Hello(role: .client, token: "", name: "c"))) + mib + [UInt8](repeating: 0, count: 1000))
        Self.setReceiveTimeout(late, seconds: 5)
        guard case .welcome? = try Self.readMessage(late) else {
            Issue.record("the client hello should be welcomed"); return
        }
        // The rest of the 1 MiB frame is awaited: the connection stays open.
        Self.setReceiveTimeout(late, seconds: 0.5)
        let (_, lateClosed) = late.readUntilClosed()
        #expect(!lateClosed, "a 1 MiB frame after an accepted hello is within the normal limit")
        #expect(!node.log.all.contains { $0.contains("exceeds the limit") && !$0.contains("before the handshake") })
    }

    /// A connection that says nothing is closed after the handshake timeout, not before.
    @Test(.timeLimit(.minutes(1)))
    func silentConnectionIsClosedAfterTheHandshakeTimeout() throws {
        let node = try Node(handshakeTimeout: Time(seconds: 0.3))
        defer { node.shutdown() }
        let socket = try RawSocket(node.address)
        Self.setReceiveTimeout(socket, seconds: 5)
        let start = Date()
        let (reason, closed) = try Self.refusal(socket)
        let elapsed = Date().timeIntervalSince(start)
        socket.close()
        #expect(closed)
        #expect(elapsed >= 0.25 && elapsed < 2.5, "closed after \(elapsed) s")
        #expect(reason?.contains("handshake timeout") == true, "refusal: \(reason ?? "none")")
    }

    /// An accepted connection silent between frames is left alone; one stuck inside a
    /// frame is closed after the stall timeout.
    @Test(.timeLimit(.minutes(1)))
    func stalledFrameIsClosedIdleConnectionIsNot() throws {
        let node = try Node(handshakeTimeout: Time(seconds: 0.3), stallTimeout: Time(seconds: 0.3))
        defer { node.shutdown() }
        let socket = try RawSocket(node.address)
        defer { socket.close() }
        socket.send(Self.frame(.hello(Hello(role: .client, token: "", name: "c"))))
        Self.setReceiveTimeout(socket, seconds: 5)
        guard case .welcome? = try Self.readMessage(socket) else {
            Issue.record("the client hello should be welcomed"); return
        }
        // Idle between frames for longer than both timeouts: still open.
        Self.setReceiveTimeout(socket, seconds: 0.8)
        let (_, idleClosed) = socket.readUntilClosed()
        #expect(!idleClosed, "an idle accepted connection must stay open")
        // Half a frame, then silence.
        socket.send([0, 0, 0, 100, 0, 1, 2])
        Self.setReceiveTimeout(socket, seconds: 5)
        let start = Date()
        let (reason, closed) = try Self.refusal(socket)
        let elapsed = Date().timeIntervalSince(start)
        #expect(closed)
        #expect(elapsed < 3, "closed after \(elapsed) s")
        #expect(reason?.contains("stall timeout") == true, "refusal: \(reason ?? "none")")
    }
}
