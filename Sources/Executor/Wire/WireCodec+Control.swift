import Messages
import NIOCore

/// Encoding of the control stream (stream 0): handshake, graph, addresses,
/// heartbeats, data transfer and logs.
extension WireCodec {
    static let helloMagic = "schedsim"

    static func encodeControl(_ message: WireMessage, into b: inout ByteBuffer) {
        switch message {
        case .hello(let h):
            b.put(helloMagic)
            b.put(h.version)
            b.put(h.role.rawValue)
            b.put(h.token)
            b.put(h.name)
            b.put(h.nthreads)
            b.put(h.memoryLimit)
            b.put(h.dataHost)
            b.put(h.dataPort)
            b.put(h.peerID)
            b.put(h.hostName)
        case let .welcome(id, runStart):
            b.put(id)
            b.put(runStart)
        case .refused(let reason):
            b.put(reason)
        case .graph(let workload):
            encodeWorkload(workload, into: &b)
        case .workerAddress(let a):
            b.put(a.id)
            b.put(a.name)
            b.put(a.host)
            b.put(a.port)
            b.put(a.hostName)
        case .heartbeatWorker(let h):
            b.putCount(h.executing.count)
            for e in h.executing {
                b.put(e.key)
                b.put(e.elapsed)
            }
            b.put(h.busyThreads)
            b.put(h.queued)
            b.put(h.memoryBytes)
        case let .scatter(keys, target):
            b.put(keys)
            switch target {
            case .workers(let ws):
                b.put(UInt8(0))
                b.put(ws)
            case .roundRobin: b.put(UInt8(1))
            case .broadcast: b.put(UInt8(2))
            }
        case .scatterTo(let placements):
            put(placements, into: &b)
        case .getData(let keys), .busy(let keys):
            b.put(keys)
        case .data(let items), .scatterData(let items):
            b.putCount(items.count)
            for item in items {
                b.put(item.key)
                b.put(item.checksum)
                b.put(Int64(item.payload.readableBytes))
                var payload = item.payload
                b.writeBuffer(&payload)
            }
        case .transferLog(let entries):
            b.putCount(entries.count)
            for e in entries { put(e, into: &b) }
        case .logs(let records):
            encodeRecords(records, into: &b)
        case .scatterDone, .getLogs, .terminate:
            break
        case .toWorker, .toScheduler, .fromClient, .toClient:
            break  // not control messages; handled by encodeBody
        }
    }

    static func put(_ e: TransferEntry, into b: inout ByteBuffer) {
        b.put(e.key)
        b.put(e.from)
        b.put(e.to)
        b.put(e.bytes)
        b.put(e.start)
        b.put(e.end)
    }

    static func transferEntry(_ field: String, _ r: inout WireReader) throws(WireError) -> TransferEntry {
        TransferEntry(key: try r.task(field + ".key"), from: try r.workerNumber(field + ".from"), to: try r.workerNumber(field + ".to"),
                      bytes: try r.bytes(field + ".bytes"), start: try r.time(field + ".start"), end: try r.time(field + ".end"))
    }

    static func decodeControl(_ op: String, _ r: inout WireReader) throws(WireError) -> WireMessage {
        switch op {
        case "hello":
            let magic = try r.string("magic")
            guard magic == helloMagic else { throw r.fail("magic", "expected '\(helloMagic)', got '\(magic.prefix(20))'") }
            let version = try r.u16("version")
            guard version == wireProtocolVersion else {
                throw r.fail("version", "protocol version \(version) is not supported (this side speaks \(wireProtocolVersion))")
            }
            let rawRole = try r.u8("role")
            guard let role = ConnectionRole(rawValue: rawRole) else { throw r.fail("role", "unknown role \(rawRole)") }
            var h = Hello(role: role, token: try r.string("token"), name: try r.string("name"))
            h.nthreads = try r.threads("nthreads")
            h.memoryLimit = try r.bytes("memory_limit")
            h.dataHost = try r.string("data_host")
            h.dataPort = try r.i32("data_port", in: 0...65535)
            h.peerID = try r.i32("peer_id", in: -1...WireBounds.maximumWorkers - 1)
            h.hostName = try r.string("host_name")
            return .hello(h)
        case "welcome": return .welcome(id: try r.natural32("id"), runStart: try r.time("run_start"))
        case "refused": return .refused(reason: try r.string("reason"))
        case "update-graph-spec": return .graph(try decodeWorkload(&r))
        case "worker-address":
            return .workerAddress(PeerAddress(id: try r.worker("id"), name: try r.string("name"),
                                              host: try r.string("host"), port: try r.i32("port", in: 0...65535),
                                              hostName: try r.string("host_name")))
        case "heartbeat-worker":
            let n = try r.count("executing", minimumSize: 12)
            var executing: [ExecutingTask] = []
            for i in 0..<n {
                executing.append(ExecutingTask(key: try r.task("executing[\(i)].key"),
                                               elapsed: try r.time("executing[\(i)].elapsed")))
            }
            return .heartbeatWorker(HeartbeatReport(executing: executing, busyThreads: try r.threads("busy_threads"),
                                                    queued: try r.natural32("queued"), memoryBytes: try r.bytes("memory_bytes")))
        case "scatter":
            let keys = try r.tasks("keys")
            let kind = try r.u8("target")
            let target: ScatterTarget
            switch kind {
            case 0: target = .workers(try r.workers("workers"))
            case 1: target = .roundRobin
            case 2: target = .broadcast
            default: throw r.fail("target", "unknown scatter target \(kind)")
            }
            return .scatter(keys: keys, target: target)
        case "scatter-to": return .scatterTo(placements: try replicas("who_has", &r))
        case "get_data": return .getData(keys: try r.tasks("keys"))
        case "busy": return .busy(keys: try r.tasks("keys"))
        case "data": return .data(items: try dataItems(&r))
        case "scatter-data": return .scatterData(items: try dataItems(&r))
        case "scatter-done": return .scatterDone
        case "transfer-log":
            let n = try r.count("entries", minimumSize: 36)
            var entries: [TransferEntry] = []
            for i in 0..<n { entries.append(try transferEntry("entries[\(i)]", &r)) }
            return .transferLog(entries)
        case "get-logs": return .getLogs
        case "logs": return .logs(try decodeRecords(&r))
        case "terminate": return .terminate
        default: throw unknownOp(op, stream: "control")
        }
    }

    static func dataItems(_ r: inout WireReader) throws(WireError) -> [DataItem] {
        let n = try r.count("items", minimumSize: 20)
        var items: [DataItem] = []
        items.reserveCapacity(n)
        for i in 0..<n {
            let key = try r.task("items[\(i)].key")
            let checksum = try r.u64("items[\(i)].checksum")
            let length = try r.i64("items[\(i)].nbytes")
            guard length >= 0, length <= Int64(r.buffer.readableBytes) else {
                throw r.fail("items[\(i)].nbytes", "\(length) bytes announced, \(r.buffer.readableBytes) left")
            }
            items.append(DataItem(key: key, checksum: checksum, payload: try r.slice("items[\(i)].payload", length: Int(length))))
        }
        return items
    }
}
