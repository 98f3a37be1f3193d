#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TraceFile {
    /// An open trace file, read in chunks with POSIX calls. Every reader of a
    /// trace (`readRawBytes`, the streamed `readTrace`) opens through this one
    /// place, so each refuses a directory and retries an interrupted read in
    /// the same way, with the same located messages.
    final class ChunkReader {
        let path: String
        /// `st_size` and whether it is a regular file (a device or a FIFO has
        /// no meaningful size: it is bounded only while it is read).
        let size: Int
        let isRegularFile: Bool
        private let fd: Int32

        init(path: String) throws(TraceFileError) {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw TraceFileError(file: path, message: "cannot open: \(errorText())") }
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                let text = errorText()
                close(fd)
                throw TraceFileError(file: path, message: "cannot stat: \(text)")
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw TraceFileError(file: path, message: "is a directory, not a trace file")
            }
            self.path = path
            self.fd = fd
            self.size = Int(info.st_size)
            self.isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
        }

        deinit { close(fd) }

        /// Reads up to `buffer.count` bytes into `buffer`; 0 at the end of the file.
        func nextChunk(into buffer: inout [UInt8]) throws(TraceFileError) -> Int {
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count >= 0 { return count }
                if errno != EINTR { throw TraceFileError(file: path, message: "read error: \(errorText())") }
            }
        }
    }
}
