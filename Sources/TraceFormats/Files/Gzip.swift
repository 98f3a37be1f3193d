import CZlib

/// gzip (RFC 1952) through zlib, for `.json.gz` traces.
public enum Gzip {
    /// True when `bytes` start with the gzip magic number 1f 8b.
    public static func hasMagic<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1F && iterator.next() == 0x8B
    }

    /// Decompresses a gzip stream (several concatenated members are read one
    /// after the other, as `gunzip` does), up to `InputLimits.defaultMaxInputBytes`
    /// of output. `file` is named in errors.
    public static func decompress(_ input: [UInt8], file: String) throws(TraceFileError) -> [UInt8] {
        do {
            return try decompress(input, file: file, limit: InputLimits.defaultMaxInputBytes)
        } catch let error as TraceFileError {
            throw error
        } catch {
            throw TraceFileError(file: file, message: "\(error)")
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
