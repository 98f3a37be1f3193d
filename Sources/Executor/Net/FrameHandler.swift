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
/// that does not decode closes the connection with the reason logged; the owner
/// (and every other connection) carries on.
final class FrameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let receiver: any FrameReceiver
    var failure: String?

    init(receiver: any FrameReceiver) { self.receiver = receiver }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard failure == nil else { return }
        let body = unwrapInboundIn(data)
        do {
            let message = try WireCodec.decode(body, limits: receiver.limits(for: context.channel))
            receiver.received(message, on: context.channel)
        } catch {
            failure = "malformed frame: \(error)"
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil { failure = "\(error)" }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        receiver.closed(context.channel, reason: failure)
        context.fireChannelInactive()
    }
}

extension Channel {
    /// Installs the frame decoder and handler for `receiver` (on the channel's loop).
    func addFrameHandlers(receiver: any FrameReceiver, frameLimit: Int) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture {
            try pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(limit: frameLimit)))
            try pipeline.syncOperations.addHandler(FrameHandler(receiver: receiver))
        }
    }

    /// Encodes and sends one message.
    func send(_ message: WireMessage) {
        writeAndFlush(WireCodec.encode(message), promise: nil)
    }
}
