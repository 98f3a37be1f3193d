/// One direction of a Dask comm with a `BatchedSend` on it
/// (`distributed/batched.py`).
///
/// Dask's rule, modelled exactly: a message sent while the stream is idle (no
/// write in the last `interval`) leaves at once — after the handler that sent it
/// returns, so every message the same handler sends goes in the same write; a
/// message sent within `interval` of the last write waits for the deadline
/// `last write + interval`, and everything buffered by then leaves as one
/// batch. One batch is one wire message and one handling on arrival.
struct BatchedStream<Message> {
    var buffer: [Message] = []
    /// Time of the last write; `Int64.min` before the first.
    var lastFlush: Int64 = .min
    /// A flush event is scheduled for `buffer`.
    var flushPending = false

    /// Buffers `message` sent at `now`. Returns the time a flush must be scheduled
    /// at, or nil when one is already pending.
    mutating func send(_ message: Message, now: Int64, interval: Int64) -> Int64? {
        buffer.append(message)
        if flushPending { return nil }
        flushPending = true
        if lastFlush == .min { return now }
        let deadline = lastFlush + interval
        return now >= deadline ? now : deadline
    }

    /// The write at `now`: everything buffered.
    mutating func flush(now: Int64) -> [Message] {
        lastFlush = now
        flushPending = false
        let payload = buffer
        buffer.removeAll(keepingCapacity: true)
        return payload
    }
}
