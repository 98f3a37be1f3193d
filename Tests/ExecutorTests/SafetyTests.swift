import Foundation
import Messages
import NIOCore
import Scheduler
import Testing
import Workload
@testable import Executor

/// A raw TCP connection (POSIX sockets) for sending hand-made bytes.
struct RawSocket {
    let fd: Int32

    init(_ endpoint: Endpoint) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(endpoint.port).bigEndian)
        addr.sin_addr.s_addr = inet_addr(endpoint.host)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 { throw WireError("connect failed: \(errno)") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func send(_ buffer: ByteBuffer) { send(Array(buffer.readableBytesView)) }

    /// Reads until the peer closes (or the 20 s timeout); returns the bytes and whether it closed.
    func readUntilClosed() -> (bytes: [UInt8], closed: Bool) {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return (out, true) }
            if n < 0 { return (out, errno == ECONNRESET) }
            out += chunk[0..<n]
        }
    }

    func close() { _ = Glibc.close(fd) }
}

/// Garbage, truncated frames, oversized frames, unknown ops and a wrong token sent
/// from raw sockets close only their own connection; the scheduler keeps serving
/// the real run that is going on at the same time.
@Suite(.serialized)
struct SafetyTests {
    static func frame(_ m: WireMessage) -> [UInt8] { Array(WireCodec.encode(m).readableBytesView) }

    @Test(.timeLimit(.minutes(2)))
    func badConnectionsAreClosedAndTheRunCompletes() throws {
        let token = "s3cret"
        let cluster = try LocalCluster(workers: 2, nthreads: 2, token: token)
        defer { try? cluster.shutdown() }
        let workload = try Fixtures.chains(width: 4, depth: 4, duration: 0.05, bytes: 10_000)
        var options = SubmitOptions(scheduler: cluster.address)
        options.token = token
        options.waitForWorkers = 2
        let client = SubmitClient(workload: workload, options: options, loop: cluster.group.next())
        let run = client.run()

        let goodHello = Self.frame(.hello(Hello(role: .client, token: token, name: "intruder")))
        var attacks: [(name: String, bytes: [UInt8], expectRefusal: Bool)] = [
            ("garbage", Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), false),
            ("truncated hello", Array(goodHello.prefix(goodHello.count - 3)), false),
            ("oversized frame", [0x7f, 0xff, 0xff, 0xff, 0, 1, 2], false),
            ("wrong token", Self.frame(.hello(Hello(role: .client, token: "guess", name: "x"))), true),
            ("no hello", Self.frame(.getLogs), true),
        ]
        // A correct hello followed by an op that does not exist, and by a frame whose body is cut short.
        var unknownOp: [UInt8] = [0, 0, 0, 6, 0, 4] + Array("boom".utf8)
        attacks.append(("unknown op", goodHello + unknownOp, false))
        unknownOp = [0, 0, 0, 40, 3, 12] + Array("update-graph".utf8) + [0, 0]
        attacks.append(("bad body", goodHello + unknownOp + [UInt8](repeating: 0xff, count: 26), false))

        for attack in attacks {
            let socket = try RawSocket(cluster.address)
            socket.send(attack.bytes)
            if attack.name == "truncated hello" { shutdown(socket.fd, Int32(SHUT_WR)) }
            let (reply, closed) = socket.readUntilClosed()
            socket.close()
            #expect(closed, "\(attack.name): the scheduler should close the connection")
            if attack.expectRefusal {
                #expect(reply.count > 4, "\(attack.name): expected a 'refused' frame")
                if reply.count > 4, case .refused = try WireCodec.decode(
                    ByteBuffer(bytes: reply.dropFirst(4)), limits: .init(taskCount: 0)) {} else {
                    Issue.record("\(attack.name): reply is not 'refused'")
                }
            }
        }

        let result = try run.wait()
        #expect(result.erred.isEmpty)
        #expect(result.corrupt.isEmpty)
        #expect(result.gathered == 1)
        #expect(result.records.tasks[workload.id(forKey: "sum")!.index].state == "memory")
        let notes = result.records.notes.joined(separator: "\n")
        #expect(notes.contains("exceeds the limit"))
        #expect(notes.contains("wrong or missing token"))
        #expect(notes.contains("unknown op 'boom'"))
        #expect(notes.contains("expected 'hello' as the first frame"))
        #expect(notes.contains("connection closed inside a frame"))
    }
}
