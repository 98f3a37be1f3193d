import Messages

/// What one connection may cost its receiver before it is closed (issue 18):
/// a peer that has not said a valid `hello` is anybody on the network, so it gets a
/// small frame limit and a deadline; any peer that stops sending in the middle of
/// a frame is closed after `stallTimeout` instead of holding the buffer forever.
public struct ConnectionLimits: Sendable, Hashable {
    /// Largest frame once the handshake is accepted (`--frame-limit`).
    public var frameLimit: Int
    /// Largest frame before it: a `hello` is a few hundred bytes, so a bigger first
    /// frame is refused before its body is buffered.
    public var preHandshakeFrameLimit: Int
    /// An inbound connection whose `hello` has not been accepted after this long is
    /// closed (`--handshake-timeout`).
    public var handshakeTimeout: Time
    /// A connection holding part of a frame that receives nothing for this long is
    /// closed (`--stall-timeout`). Idle connections between frames are left alone: a
    /// client waiting for results or a peer between fetches sends nothing for minutes.
    public var stallTimeout: Time

    public static let defaultPreHandshakeFrameLimit = 64 << 10
    public static let defaultHandshakeTimeout = Time.seconds(10)
    public static let defaultStallTimeout = Time.seconds(30)

    public init(frameLimit: Int = WireCodec.defaultFrameLimit,
                preHandshakeFrameLimit: Int = ConnectionLimits.defaultPreHandshakeFrameLimit,
                handshakeTimeout: Time = ConnectionLimits.defaultHandshakeTimeout,
                stallTimeout: Time = ConnectionLimits.defaultStallTimeout) {
        self.frameLimit = frameLimit
        // Never larger than the normal limit (a tiny --frame-limit lowers both).
        self.preHandshakeFrameLimit = min(preHandshakeFrameLimit, frameLimit)
        self.handshakeTimeout = handshakeTimeout
        self.stallTimeout = stallTimeout
    }
}

/// Shared by a connection's frame decoder and its handler (both on the channel's
/// loop, so no lock): whether the handshake was accepted, and how much of an
/// unfinished frame is buffered (for the stall message).
final class FrameProgress {
    var handshakeAccepted: Bool
    /// Bytes buffered of a frame not yet complete (0 between frames).
    var partialBytes = 0
    /// That frame's whole size with its prefix, when the prefix has arrived (else 0).
    var expectedBytes = 0

    init(handshakeAccepted: Bool) { self.handshakeAccepted = handshakeAccepted }
}
