#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing whole trace files with POSIX calls (no Foundation copy
/// of large files), gzip handled transparently.
public enum TraceFile {
    /// The file's bytes, decompressed when they start with the gzip magic
    /// number (whatever the file is called).
    public static func readBytes(path: String) throws(TraceFileError) -> [UInt8] {
        let raw = try readRawBytes(path: path)
        return Gzip.hasMagic(raw) ? try Gzip.decompress(raw, file: path) : raw
    }

    /// The file's bytes as stored, at most `limit` of them (a device or a
    /// FIFO that never ends is refused at the limit, not read for ever).
    public static func readRawBytes(path: String, limit: Int = InputLimits.defaultMaxInputBytes) throws(TraceFileError) -> [UInt8] {
        let reader = try ChunkReader(path: path)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(reader.size, limit) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while case let count = try reader.nextChunk(into: &chunk), count > 0 {
            if bytes.count + count > limit {
                throw TraceFileError(file: path, message: BoundedSink.overLimit("size", limit))
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Writes `bytes` atomically: to a temporary file in the same folder, then
    /// renamed over `path`, so a reader never sees a half-written trace.
    /// With `gzip`, the bytes are compressed first.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, gzip: Bool = false) throws(TraceFileError) {
        let data = gzip ? Gzip.compress(bytes) : bytes
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw TraceFileError(file: path, message: "cannot create \(temporary): \(errorText())") }
        var written = 0
        var failure: String? = nil
        data.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errorText()
                    return
                }
                written += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = errorText() }
        close(fd)
        if let failure {
            unlink(temporary)
            throw TraceFileError(file: path, message: "write error: \(failure)")
        }
        if rename(temporary, path) != 0 {
            let text = errorText()
            unlink(temporary)
            throw TraceFileError(file: path, message: "cannot rename \(temporary) into place: \(text)")
        }
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
