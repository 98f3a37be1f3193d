import NIOCore

/// Splits the byte stream into frames (`u32` big-endian length + body) and hands
/// each body on as a `ByteBuffer`. A frame longer than the current limit (the small
/// pre-handshake one until `progress.handshakeAccepted`) is an error: the
/// connection is closed before the body is buffered.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let limits: ConnectionLimits
    let progress: FrameProgress

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            note(partial: buffer.readableBytes, expected: 0)
            return .needMoreData
        }
        if progress.handshakeAccepted {
            guard Int(length) <= limits.frameLimit else {
                throw WireError("frame of \(length) bytes exceeds the limit of \(limits.frameLimit) bytes")
            }
        } else {
            guard Int(length) <= limits.preHandshakeFrameLimit else {
                throw WireError("frame of \(length) bytes before the handshake exceeds the limit of \(limits.preHandshakeFrameLimit) bytes for frames before an accepted 'hello'")
            }
        }
        guard buffer.readableBytes >= 4 + Int(length) else {
            note(partial: buffer.readableBytes, expected: 4 + Int(length))
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let body = buffer.readSlice(length: Int(length)) else { return .needMoreData }
        note(partial: 0, expected: 0)
        // Synchronous: the handler (and the owner's handshake) sees this frame before
        // the next one is cut, so a frame right after an accepted hello gets the normal limit.
        context.fireChannelRead(wrapInboundOut(body))
        return .continue
    }

    private func note(partial: Int, expected: Int) {
        progress.partialBytes = partial
        progress.expectedBytes = expected
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            throw WireError("connection closed inside a frame (\(buffer.readableBytes) bytes of it received)")
        }
        return .needMoreData
    }
}
