import Messages
import NIOCore

/// Reads the primitive fields of a frame body. Every read is bounds-checked and
/// throws a `WireError` naming the field, so garbage never traps.
///
/// `taskCount` and `workerLimit` bound the ids a frame may carry: the state
/// machines index arrays by `TaskID` and `WorkerID`, so an id out of range is a
/// malformed message, rejected here rather than deep inside a state machine.
struct WireReader {
    var buffer: ByteBuffer
    let taskCount: Int
    let workerLimit: Int
    /// The op being decoded, for error messages.
    var op: String = "frame"

    init(_ buffer: ByteBuffer, taskCount: Int, workerLimit: Int) {
        self.buffer = buffer
        self.taskCount = taskCount
        self.workerLimit = workerLimit
    }

    func fail(_ field: String, _ problem: String) -> WireError {
        WireError("'\(op)': field '\(field)': \(problem)")
    }

    mutating func u8(_ field: String) throws(WireError) -> UInt8 {
        guard let v = buffer.readInteger(as: UInt8.self) else { throw fail(field, "truncated") }
        return v
    }

    mutating func bool(_ field: String) throws(WireError) -> Bool {
        switch try u8(field) {
        case 0: return false
        case 1: return true
        case let v: throw fail(field, "boolean must be 0 or 1, got \(v)")
        }
    }

    mutating func u16(_ field: String) throws(WireError) -> UInt16 {
        guard let v = buffer.readInteger(endianness: .big, as: UInt16.self) else { throw fail(field, "truncated") }
        return v
    }

    mutating func i32(_ field: String) throws(WireError) -> Int32 {
        guard let v = buffer.readInteger(endianness: .big, as: Int32.self) else { throw fail(field, "truncated") }
        return v
    }

    mutating func u64(_ field: String) throws(WireError) -> UInt64 {
        guard let v = buffer.readInteger(endianness: .big, as: UInt64.self) else { throw fail(field, "truncated") }
        return v
    }

    mutating func i64(_ field: String) throws(WireError) -> Int64 {
        guard let v = buffer.readInteger(endianness: .big, as: Int64.self) else { throw fail(field, "truncated") }
        return v
    }

    mutating func double(_ field: String) throws(WireError) -> Double {
        let v = Double(bitPattern: try u64(field))
        guard v.isFinite else { throw fail(field, "not a finite number") }
        return v
    }

    /// A finite number >= 0 (a duration in seconds, a resource amount).
    mutating func nonNegativeDouble(_ field: String) throws(WireError) -> Double {
        let v = try double(field)
        guard v >= 0 else { throw fail(field, "negative number \(v)") }
        return v
    }

    /// An `i32` that must lie in `range`.
    mutating func i32(_ field: String, in range: ClosedRange<Int32>) throws(WireError) -> Int32 {
        let v = try i32(field)
        guard range.contains(v) else { throw fail(field, "\(v) is outside \(range.lowerBound)...\(range.upperBound)") }
        return v
    }

    /// An `i64` that must lie in `range`.
    mutating func i64(_ field: String, in range: ClosedRange<Int64>) throws(WireError) -> Int64 {
        let v = try i64(field)
        guard range.contains(v) else { throw fail(field, "\(v) is outside \(range.lowerBound)...\(range.upperBound)") }
        return v
    }

    /// A size in bytes: 0 to 1 PiB.
    mutating func bytes(_ field: String) throws(WireError) -> Int64 { try i64(field, in: 0...WireBounds.maximumBytes) }

    /// Threads of a worker: 0 to 100,000 (a worker's hello must also say at least 1).
    mutating func threads(_ field: String) throws(WireError) -> Int32 { try i32(field, in: 0...WireBounds.maximumThreads) }

    /// A non-negative count that is not a length (a queue size, attempts, a counter).
    mutating func natural32(_ field: String) throws(WireError) -> Int32 { try i32(field, in: 0...Int32.max) }

    /// A worker number in logs and transfer entries: -1 (none, or the client) or a worker id.
    mutating func workerNumber(_ field: String) throws(WireError) -> Int32 { try i32(field, in: -1...WireBounds.maximumWorkers) }

    /// A time or a duration: every clock value is non-negative (the monotonic clock
    /// since boot; `Time.never` is `Int64.max`), so differences of two of them
    /// cannot overflow.
    mutating func time(_ field: String) throws(WireError) -> Time {
        let v = try i64(field)
        guard v >= 0 else { throw fail(field, "negative time \(v) ns") }
        return Time(nanoseconds: v)
    }

    /// A count of elements each at least `minimumSize` bytes long: a count the
    /// remaining bytes cannot hold is rejected before anything is allocated.
    mutating func count(_ field: String, minimumSize: Int) throws(WireError) -> Int {
        let raw = try i32(field)
        guard raw >= 0 else { throw fail(field, "negative count \(raw)") }
        guard Int(raw) * max(minimumSize, 1) <= buffer.readableBytes else {
            throw fail(field, "count \(raw) exceeds the \(buffer.readableBytes) bytes left")
        }
        return Int(raw)
    }

    mutating func string(_ field: String) throws(WireError) -> String {
        let n = try count(field, minimumSize: 1)
        guard n <= WireBounds.maximumStringBytes else {
            throw fail(field, "string of \(n) bytes exceeds the limit of \(WireBounds.maximumStringBytes)")
        }
        guard let bytes = buffer.readSlice(length: n) else { throw fail(field, "truncated") }
        guard let text = bytes.getString(at: bytes.readerIndex, length: n),
              text.utf8.count == n else { throw fail(field, "not valid UTF-8") }
        return text
    }

    mutating func task(_ field: String) throws(WireError) -> TaskID {
        let raw = try i32(field)
        guard raw >= 0, Int(raw) < taskCount else {
            throw fail(field, "task id \(raw) out of range (the graph has \(taskCount) tasks)")
        }
        return TaskID(Int(raw))
    }

    mutating func optionalTask(_ field: String) throws(WireError) -> TaskID? {
        try bool(field + ".present") ? try task(field) : nil
    }

    mutating func worker(_ field: String) throws(WireError) -> WorkerID {
        let raw = try i32(field)
        guard raw >= 0, Int(raw) < workerLimit else {
            throw fail(field, "worker id \(raw) out of range")
        }
        return WorkerID(Int(raw))
    }

    mutating func tasks(_ field: String) throws(WireError) -> [TaskID] {
        let n = try count(field, minimumSize: 4)
        var out: [TaskID] = []
        out.reserveCapacity(n)
        for i in 0..<n { out.append(try task("\(field)[\(i)]")) }
        return out
    }

    mutating func workers(_ field: String) throws(WireError) -> [WorkerID] {
        let n = try count(field, minimumSize: 4)
        var out: [WorkerID] = []
        out.reserveCapacity(n)
        for i in 0..<n { out.append(try worker("\(field)[\(i)]")) }
        return out
    }

    mutating func strings(_ field: String) throws(WireError) -> [String] {
        let n = try count(field, minimumSize: 4)
        var out: [String] = []
        for i in 0..<n { out.append(try string("\(field)[\(i)]")) }
        return out
    }

    mutating func slice(_ field: String, length: Int) throws(WireError) -> ByteBuffer {
        guard length >= 0, let s = buffer.readSlice(length: length) else { throw fail(field, "truncated") }
        return s
    }

    /// The whole body must be consumed: trailing bytes mean a malformed message.
    func finish() throws(WireError) {
        if buffer.readableBytes != 0 {
            throw WireError("'\(op)': \(buffer.readableBytes) unexpected trailing bytes")
        }
    }
}

/// Writes the primitive fields of a frame body (big-endian, see docs/protocol.md).
extension ByteBuffer {
    mutating func put(_ v: UInt8) { writeInteger(v) }
    mutating func put(_ v: Bool) { writeInteger(UInt8(v ? 1 : 0)) }
    mutating func put(_ v: UInt16) { writeInteger(v, endianness: .big) }
    mutating func put(_ v: Int32) { writeInteger(v, endianness: .big) }
    mutating func put(_ v: Int64) { writeInteger(v, endianness: .big) }
    mutating func put(_ v: UInt64) { writeInteger(v, endianness: .big) }
    mutating func put(_ v: Double) { writeInteger(v.bitPattern, endianness: .big) }
    mutating func put(_ v: Time) { put(v.nanoseconds) }
    mutating func putCount(_ n: Int) { put(Int32(truncatingIfNeeded: n)) }
    mutating func put(_ s: String) {
        putCount(s.utf8.count)
        writeString(s)
    }
    mutating func put(_ t: TaskID) { put(t.rawValue) }
    mutating func put(_ w: WorkerID) { put(w.rawValue) }
    mutating func put(_ t: TaskID?) {
        put(t != nil)
        if let t { put(t) }
    }
    mutating func put(_ ts: [TaskID]) {
        putCount(ts.count)
        for t in ts { put(t) }
    }
    mutating func put(_ ws: [WorkerID]) {
        putCount(ws.count)
        for w in ws { put(w) }
    }
    mutating func put(_ ss: [String]) {
        putCount(ss.count)
        for s in ss { put(s) }
    }
}
