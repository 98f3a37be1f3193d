import Messages
import NIOCore

/// The pure wire codec: `WireMessage` ⇄ frame bytes. No I/O, no state; the NIO
/// handlers and the tests use the same two functions. See docs/protocol.md.
///
/// Frame = `u32 length` (big-endian, bytes after the length) · `u8 stream` ·
/// `op` (u8 length + ASCII) · body. `decode` takes the bytes after the length.
public enum WireCodec {
    /// Default largest frame accepted (bytes after the length prefix): 1 GiB.
    public static let defaultFrameLimit = 1 << 30

    /// Bounds on the ids a decoded frame may carry.
    public struct Limits: Sendable, Hashable {
        /// Tasks in the graph this connection talks about (0 before the graph is known).
        public var taskCount: Int
        /// Worker ids must be below this.
        public var workerLimit: Int
        public init(taskCount: Int, workerLimit: Int = Int(Int32.max)) {
            self.taskCount = taskCount
            self.workerLimit = workerLimit
        }
    }

    /// Appends one whole frame (with its length prefix) to `out`.
    public static func encode(_ message: WireMessage, into out: inout ByteBuffer) {
        let lengthIndex = out.writerIndex
        out.writeInteger(UInt32(0), endianness: .big)
        let bodyStart = out.writerIndex
        out.put(message.stream)
        let op = message.op
        out.put(UInt8(op.utf8.count))
        out.writeString(op)
        encodeBody(message, into: &out)
        let length = out.writerIndex - bodyStart
        out.setInteger(UInt32(truncatingIfNeeded: length), at: lengthIndex, endianness: .big)
    }

    /// One frame as a fresh buffer.
    public static func encode(_ message: WireMessage) -> ByteBuffer {
        var out = ByteBufferAllocator().buffer(capacity: 64)
        encode(message, into: &out)
        return out
    }

    /// Decodes one frame body (the bytes after the length prefix). Throws for
    /// unknown streams and ops, truncated or trailing bytes, out-of-range ids.
    public static func decode(_ body: ByteBuffer, limits: Limits) throws(WireError) -> WireMessage {
        var r = WireReader(body, taskCount: limits.taskCount, workerLimit: limits.workerLimit)
        let stream = try r.u8("stream")
        let opLength = Int(try r.u8("op length"))
        let opBytes = try r.slice("op", length: opLength)
        guard let op = opBytes.getString(at: opBytes.readerIndex, length: opLength) else {
            throw WireError("frame: op is not text")
        }
        r.op = op
        let message: WireMessage
        switch stream {
        case 0: message = try decodeControl(op, &r)
        case 1: message = .toWorker(try decodeSchedulerToWorker(op, &r))
        case 2: message = .toScheduler(try decodeWorkerToScheduler(op, &r))
        case 3: message = .fromClient(try decodeClientToScheduler(op, &r))
        case 4: message = .toClient(try decodeSchedulerToClient(op, &r))
        default: throw WireError("frame: unknown stream \(stream) (op '\(op)')")
        }
        try r.finish()
        return message
    }

    static func unknownOp(_ op: String, stream: String) -> WireError {
        WireError("unknown op '\(op)' on the \(stream) stream")
    }

    static func encodeBody(_ message: WireMessage, into b: inout ByteBuffer) {
        switch message {
        case .toWorker(let m): encode(m, into: &b)
        case .toScheduler(let m): encode(m, into: &b)
        case .fromClient(let m): encode(m, into: &b)
        case .toClient(let m): encode(m, into: &b)
        default: encodeControl(message, into: &b)
        }
    }

    // MARK: shared pieces

    static func put(_ s: StimulusID, into b: inout ByteBuffer) {
        b.put(s.name.description)
        b.put(s.sequence)
    }

    static func stimulus(_ r: inout WireReader) throws(WireError) -> StimulusID {
        let name = try r.string("stimulus_id.name")
        let sequence = try r.u64("stimulus_id.sequence")
        return StimulusID(StimulusNames.lookup(name), sequence)
    }

    static func put(_ d: DependencyReplicas, into b: inout ByteBuffer) {
        b.put(d.key)
        b.put(d.whoHas)
        b.put(d.nbytes)
    }

    static func replicas(_ field: String, _ r: inout WireReader) throws(WireError) -> [DependencyReplicas] {
        let n = try r.count(field, minimumSize: 16)
        var out: [DependencyReplicas] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            let key = try r.task("\(field)[\(i)].key")
            let whoHas = try r.workers("\(field)[\(i)].who_has")
            let nbytes = try r.bytes("\(field)[\(i)].nbytes")
            out.append(DependencyReplicas(key: key, whoHas: whoHas, nbytes: nbytes))
        }
        return out
    }

    static func put(_ ds: [DependencyReplicas], into b: inout ByteBuffer) {
        b.putCount(ds.count)
        for d in ds { put(d, into: &b) }
    }

    static func put(_ rs: [ResourceRequest], into b: inout ByteBuffer) {
        b.putCount(rs.count)
        for r in rs {
            b.put(r.name)
            b.put(r.amount)
        }
    }

    static func resources(_ field: String, _ r: inout WireReader) throws(WireError) -> [ResourceRequest] {
        let n = try r.count(field, minimumSize: 12)
        var out: [ResourceRequest] = []
        for i in 0..<n {
            let name = try r.string("\(field)[\(i)].name")
            let amount = try r.nonNegativeDouble("\(field)[\(i)].amount")
            out.append(ResourceRequest(name: name, amount: amount))
        }
        return out
    }

    static func put(_ status: WorkerStatus, into b: inout ByteBuffer) { b.put(status.rawValue) }

    static func status(_ field: String, _ r: inout WireReader) throws(WireError) -> WorkerStatus {
        let text = try r.string(field)
        guard let s = WorkerStatus(rawValue: text) else { throw r.fail(field, "unknown worker status '\(text)'") }
        return s
    }
}
