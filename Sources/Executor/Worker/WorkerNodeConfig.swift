import Messages
import Worker

/// How a task's compute time is spent (`--work`).
public enum WorkMode: String, Sendable, CaseIterable {
    /// A timer: the thread is free, the CPU idle (default).
    case sleep
    /// Burn CPU on a pool thread until the duration has passed.
    case spin
}

/// Settings of one worker process (`schedsim worker`).
public struct WorkerNodeConfig: Sendable {
    public var scheduler: Endpoint = Endpoint(host: "127.0.0.1", port: 8786)
    public var name: String = ""
    public var nthreads: Int = 1
    /// Bytes; 0 = no limit.
    public var memoryLimit: Int64 = 0
    /// Where to serve `get_data` (port 0 picks a free one).
    public var listenHost: String = "127.0.0.1"
    public var listenPort: Int = 0
    /// The host this worker stands for (same-host rules); empty means `listenHost`.
    public var hostName: String = ""
    public var token: String = ""
    public var frameLimit: Int = WireCodec.defaultFrameLimit
    /// Inbound data connections: closed without an accepted `hello` after this long.
    public var handshakeTimeout: Time = ConnectionLimits.defaultHandshakeTimeout
    /// Any connection stuck inside a frame for this long is closed.
    public var stallTimeout: Time = ConnectionLimits.defaultStallTimeout
    public var work: WorkMode = .sleep
    /// Relative speed: a task of duration d takes d / speed.
    public var speed: Double = 1
    /// Network emulation: bytes/s on send and on receive (0 = unlimited) and added latency.
    public var bandwidth: Double = 0
    public var latency: Time = .zero
    public var heartbeatInterval: Time = .milliseconds(500)
    public var worker: WorkerConfig = WorkerConfig()
    public var log: @Sendable (String) -> Void = { _ in }
    public init() {}

    var connectionLimits: ConnectionLimits {
        ConnectionLimits(frameLimit: frameLimit, handshakeTimeout: handshakeTimeout, stallTimeout: stallTimeout)
    }
}

/// Emulates one direction of a worker's network link: a token bucket with no burst
/// (transfers queue behind each other at `bandwidth`) plus a fixed latency.
struct LinkShaper {
    var bandwidth: Double
    var latency: Time
    var freeAt: Time = .zero

    /// The delay, from `now`, after which `bytes` sent now have fully passed the link.
    mutating func reserve(bytes: Int64, now: Time) -> Time {
        guard bandwidth > 0 else { return latency }
        let start = max(now, freeAt)
        freeAt = start + Time(seconds: Double(bytes) / bandwidth)
        return freeAt - now + latency
    }

    /// For the receiving side: `bytes` that just arrived were on the wire for
    /// `bytes / bandwidth` already (the sender's bucket paced them), so an idle link
    /// adds nothing; a link still busy with other arrivals delays delivery until
    /// it has carried these bytes too.
    mutating func reserveArrival(bytes: Int64, now: Time) -> Time {
        guard bandwidth > 0 else { return .zero }
        let span = Time(seconds: Double(bytes) / bandwidth)
        let start = max(now - span, freeAt)
        freeAt = start + span
        return max(.zero, freeAt - now)
    }
}
