#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file could not be written.
public struct FileWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): cannot write: \(reason)" }
}

/// Writes files so that a reader never sees a half-written log: the bytes go
/// to `<name>.partial` in the same folder, which is then renamed over `<name>`
/// (a rename within one file system is atomic on POSIX).
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(FileWriteError) {
        let temporary = path + ".partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw FileWriteError(path: temporary, reason: errnoText()) }
        var offset = 0
        var failure: String?
        bytes.withUnsafeBytes { raw in
            while offset < raw.count, let base = raw.baseAddress {
                let written = systemWrite(fd, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errnoText()
                    return
                }
                offset += written
            }
        }
        if close(fd) != 0 && failure == nil { failure = errnoText() }
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: temporary, reason: failure)
        }
        if rename(temporary, path) != 0 {
            let reason = errnoText()
            unlink(temporary)
            throw FileWriteError(path: path, reason: reason)
        }
    }

    public static func write(_ text: String, to path: String) throws(FileWriteError) {
        try write(Array(text.utf8), to: path)
    }

    /// Creates a folder and its parents if they are missing.
    public static func makeDirectory(_ path: String) throws(FileWriteError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw FileWriteError(path: prefix, reason: errnoText())
            }
            prefix += "/"
        }
    }

    private static func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, pointer, count)
        #else
        return Darwin.write(fd, pointer, count)
        #endif
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
