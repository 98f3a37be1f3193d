import CZlib

/// gzip (RFC 1952) through zlib, for `.json.gz` traces.
public enum Gzip {
    /// True when `bytes` start with the gzip magic number 1f 8b.
    public static func hasMagic<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1F && iterator.next() == 0x8B
    }

    /// Decompresses a gzip stream (several concatenated members are read one
    /// after the other, as `gunzip` does). `file` is named in errors.
    public static func decompress(_ input: [UInt8], file: String) throws(TraceFileError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(max(input.count * 4, 1 << 16))
        var stream = z_stream()
        // 15 + 16: a gzip wrapper with the largest window.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TraceFileError(file: file, message: "cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var consumed = 0
        let status: Int32 = input.withUnsafeBufferPointer { source in
            chunk.withUnsafeMutableBufferPointer { buffer in
                var status = Z_OK
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = UInt32(source.count)
                while true {
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: buffer[0..<(buffer.count - Int(stream.avail_out))])
                    if status == Z_STREAM_END {
                        // Another member may follow (e.g. `cat a.gz b.gz`).
                        if stream.avail_in > 0 && hasMagic(UnsafeBufferPointer(start: stream.next_in, count: Int(stream.avail_in))) {
                            inflateReset(&stream)
                            continue
                        }
                        break
                    }
                    if status != Z_OK { break }
                    if stream.avail_in == 0 && stream.avail_out > 0 {
                        status = Z_BUF_ERROR  // input ended inside the stream
                        break
                    }
                }
                consumed = source.count - Int(stream.avail_in)
                return status
            }
        }
        switch status {
        case Z_STREAM_END:
            if consumed < input.count {
                throw TraceFileError(file: file, message: "corrupt gzip file: \(input.count - consumed) bytes of garbage after the compressed data")
            }
            return output
        case Z_BUF_ERROR:
            throw TraceFileError(file: file, message: "truncated gzip file: the compressed data ends after \(input.count) bytes")
        default:
            let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw TraceFileError(file: file, message: "corrupt gzip file: \(detail) (near compressed byte \(consumed))")
        }
    }

    /// Compresses with gzip. The header carries no file name and mtime 0, so
    /// the same input always gives the same bytes.
    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        let produced: Int = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                _ = deflate(&stream, Z_FINISH)
                return target.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(produced...)
        return output
    }
}
