import CZlib

/// A streaming gzip decoder: compressed chunks in, decompressed chunks out to a
/// closure, so a caller can stop (throw) as soon as it has seen enough — a
/// format it cannot read, or more output than `--max-input-bytes` allows —
/// without ever holding the whole decompressed stream. Several concatenated
/// members are read one after the other, as `gunzip` does.
final class Inflater {
    private var stream = z_stream()
    private var chunk = [UInt8](repeating: 0, count: 1 << 18)
    /// Compressed bytes consumed so far (for "near compressed byte N").
    private(set) var consumed = 0
    /// True once the last member ended; any further non-gzip bytes are garbage.
    private(set) var ended = false
    let file: String

    init(file: String) throws(TraceFileError) {
        self.file = file
        // 15 + 16: a gzip wrapper with the largest window.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TraceFileError(file: file, message: "cannot initialise zlib")
        }
    }

    deinit { inflateEnd(&stream) }

    /// Feeds one compressed chunk; `output` receives every decompressed piece
    /// (and may throw to stop). Errors name the file and the compressed offset.
    func feed(_ input: UnsafeRawBufferPointer, output: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard input.count > 0 else { return }
        var offset = 0
        while offset < input.count {
            if ended {
                // A new member may follow (`cat a.gz b.gz`); anything else is garbage.
                let rest = input.count - offset
                let bytes = input.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
                guard Gzip.hasMagic(UnsafeBufferPointer(start: bytes, count: rest)) || (rest == 1 && bytes[0] == 0x1F) else {
                    throw TraceFileError(file: file, message: "corrupt gzip file: \(rest) bytes of garbage after the compressed data")
                }
                inflateReset(&stream)
                ended = false
            }
            let piece = min(input.count - offset, Int(UInt32.max))
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self))
            stream.avail_in = UInt32(piece)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if produced > 0 { try chunk.withUnsafeBufferPointer { try output(UnsafeBufferPointer(rebasing: $0[0..<produced])) } }
                if status == Z_STREAM_END { ended = true; break }
                if status == Z_BUF_ERROR || (status == Z_OK && stream.avail_in == 0 && stream.avail_out > 0) { break }
                if status != Z_OK {
                    let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw TraceFileError(file: file, message: "corrupt gzip file: \(detail) (near compressed byte \(consumed + piece - Int(stream.avail_in)))")
                }
            }
            let used = piece - Int(stream.avail_in)
            consumed += used
            offset += used
            if used == 0 && !ended { break }
        }
    }

    /// Called when the compressed input is over: it must have ended a member.
    func finish() throws(TraceFileError) {
        guard ended else {
            throw TraceFileError(file: file, message: "truncated gzip file: the compressed data ends after \(consumed) bytes")
        }
    }
}
