import Messages
import NIOCore

/// What owns a set of connections (the scheduler, a worker, a client). Every call
/// happens on the owner's single event loop, so the owner needs no locks.
protocol FrameReceiver: AnyObject, Sendable {
    /// The ids a frame on this channel may carry.
    func limits(for channel: any Channel) -> WireCodec.Limits
    func received(_ message: WireMessage, on channel: any Channel)
    /// The connection closed; `reason` says why when it was an error.
    func closed(_ channel: any Channel, reason: String?)
}

/// Decodes frame bodies with `WireCodec` and hands messages to the owner. A frame
/// that does not decode, a frame too large, a handshake that does not come in time
/// or a frame that stops arriving closes the connection: the peer gets `refused`
/// with the reason (so a misconfigured worker or client says why it was dropped),
/// the owner logs it, and every other connection carries on.
final class FrameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let receiver: any FrameReceiver
    let limits: ConnectionLimits
    let progress: FrameProgress
    var failure: String?
    var handshakeTimer: Scheduled<Void>?

    init(receiver: any FrameReceiver, limits: ConnectionLimits, progress: FrameProgress) {
        self.receiver = receiver
        self.limits = limits
        self.progress = progress
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard !progress.handshakeAccepted else { return }
        // A connection that never says a valid hello must not hold a slot forever.
        let channel = context.channel
        let timeout = limits.handshakeTimeout
        handshakeTimer = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) { [self] in
            guard !progress.handshakeAccepted, channel.isActive else { return }
            refuse(channel, "no accepted 'hello' within \(timeout.seconds) s (handshake timeout)")
        }
    }

    /// The owner accepted the peer's hello: normal frame limit, no deadline.
    func acceptHandshake() {
        progress.handshakeAccepted = true
        handshakeTimer?.cancel()
        handshakeTimer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard failure == nil else { return }
        let body = unwrapInboundIn(data)
        do {
            let message = try WireCodec.decode(body, limits: receiver.limits(for: context.channel))
            receiver.received(message, on: context.channel)
        } catch {
            refuse(context.channel, "malformed frame: \(error)")
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // `IdleStateHandler` reports a read timeout; only a connection stuck inside a
        // frame is closed (between frames, silence is normal).
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            if progress.partialBytes > 0, failure == nil {
                let of = progress.expectedBytes > 0 ? " of \(progress.expectedBytes)" : ""
                refuse(context.channel, "no progress for \(limits.stallTimeout.seconds) s inside a frame "
                       + "(\(progress.partialBytes)\(of) bytes received; stall timeout)")
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil {
            refuse(context.channel, "\(error)")
        } else {
            context.close(promise: nil)
        }
    }

    /// Records the reason, tells the peer (best effort) and closes.
    func refuse(_ channel: any Channel, _ reason: String) {
        guard failure == nil else { return }
        failure = reason
        handshakeTimer?.cancel()
        channel.writeAndFlush(WireCodec.encode(.refused(reason: reason))).whenComplete { _ in
            channel.close(promise: nil)
        }
        // A peer that does not read could hold the write (and the connection) open.
        channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        handshakeTimer?.cancel()
        receiver.closed(context.channel, reason: failure)
        context.fireChannelInactive()
    }
}

extension Channel {
    /// Installs the stall detector, the frame decoder and the handler for `receiver`
    /// (on the channel's loop). `inbound`: the peer connected to us and must say
    /// `hello` first (small frame limit, handshake deadline until the owner calls
    /// `acceptHandshake`); on connections we opened, the peer was chosen by us and
    /// speaks first with data (`data` replies to a peer hello), so the normal limit applies.
    func addFrameHandlers(receiver: any FrameReceiver, limits: ConnectionLimits, inbound: Bool) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture {
            let progress = FrameProgress(handshakeAccepted: !inbound)
            let ops = pipeline.syncOperations
            try ops.addHandler(IdleStateHandler(readTimeout: TimeAmount(limits.stallTimeout)))
            try ops.addHandler(ByteToMessageHandler(FrameDecoder(limits: limits, progress: progress)))
            try ops.addHandler(FrameHandler(receiver: receiver, limits: limits, progress: progress))
        }
    }

    /// The owner accepted this inbound connection's `hello` (call on the channel's loop).
    func acceptHandshake() {
        (try? pipeline.syncOperations.handler(type: FrameHandler.self))?.acceptHandshake()
    }

    /// Encodes and sends one message.
    func send(_ message: WireMessage) {
        writeAndFlush(WireCodec.encode(message), promise: nil)
    }
}
