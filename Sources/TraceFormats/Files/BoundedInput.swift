#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Limits on what a trace file may cost to read (docs/cli.md#limits).
public enum InputLimits {
    /// Default of `--max-input-bytes`: the most bytes a trace may have once
    /// decompressed (and, for a plain file, on disk). 8 GiB: the largest bundled
    /// trace is 3.4 MB and a million-task native trace 113 MB, so only a
    /// decompression bomb or a device like /dev/zero comes near it.
    public static let defaultMaxInputBytes = 8 << 30
    /// Largest value `--max-input-bytes` accepts (a sanity bound, 1 TiB).
    public static let largestMaxInputBytes = 1 << 40
}

/// Collects a trace's bytes as they arrive (from disk or from zlib) under a
/// size limit, skipping the leading whitespace without storing it, and calls
/// `sniff` once with the first `sniffLength` bytes of content so the format is
/// decided (and junk refused) before the rest of the file is read.
struct BoundedSink {
    let file: String
    let limit: Int
    let sniffLength: Int
    let sniff: (ArraySlice<UInt8>) throws -> Void
    /// Bytes seen so far, whitespace included.
    private(set) var total = 0
    private var skipping = true
    private var newlines = 0
    private var spacesSinceNewline = 0
    private var contentStart = 0
    private var sniffed = false
    var bytes: [UInt8] = []

    init(file: String, limit: Int, sniffLength: Int, sniff: @escaping (ArraySlice<UInt8>) throws -> Void) {
        self.file = file
        self.limit = limit
        self.sniffLength = sniffLength
        self.sniff = sniff
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    mutating func append(_ piece: UnsafeBufferPointer<UInt8>, compressed: Bool) throws {
        total += piece.count
        if total > limit {
            throw TraceFileError(file: file, message: Self.overLimit(compressed ? "decompressed size" : "size", limit))
        }
        var start = 0
        if skipping {
            while start < piece.count && Self.isBlank(piece[start]) {
                if piece[start] == 0x0A { newlines += 1; spacesSinceNewline = 0 } else { spacesSinceNewline += 1 }
                start += 1
            }
            if start == piece.count { return }
            skipping = false
            // The skipped blanks come back as newlines and spaces, so every
            // later line:column in an error is where the user's editor puts it.
            bytes.reserveCapacity(newlines + spacesSinceNewline + (piece.count - start))
            bytes.append(contentsOf: repeatElement(0x0A, count: newlines))
            bytes.append(contentsOf: repeatElement(0x20, count: spacesSinceNewline))
            contentStart = bytes.count
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: piece[start...]))
        if !sniffed && bytes.count - contentStart >= sniffLength { try sniffNow() }
    }

    mutating func finish() throws -> [UInt8] {
        if !sniffed { try sniffNow() }
        return bytes
    }

    private mutating func sniffNow() throws {
        sniffed = true
        try sniff(bytes[contentStart..<min(bytes.count, contentStart + sniffLength)])
    }

    /// The one wording of "over the input limit", naming the flag that raises it.
    static func overLimit(_ what: String, _ limit: Int) -> String {
        "\(what) exceeds the input limit of \(limit) bytes (\(readable(limit))); raise it with --max-input-bytes"
    }

    static func readable(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return value == value.rounded() ? "\(Int(value)) \(units[unit])" : "\(Double(Int(value * 10)) / 10) \(units[unit])"
    }
}

extension TraceFile {
    /// Reads a trace for the loader in one streamed pass: gzip (by magic
    /// number) is inflated as it is read, at most `limit` bytes are kept, and
    /// `sniff` sees the first `sniffLength` bytes after leading whitespace and
    /// may throw to stop before the rest is read. Memory stays proportional to
    /// what is kept, whatever the file (a bomb, /dev/zero, a FIFO).
    static func readTrace(path: String, limit: Int, sniffLength: Int,
                          sniff: @escaping (ArraySlice<UInt8>) throws -> Void) throws -> [UInt8] {
        let reader = try ChunkReader(path: path)
        if reader.isRegularFile && reader.size > limit {
            throw TraceFileError(file: path, message: BoundedSink.overLimit("size \(reader.size) bytes", limit))
        }
        var sink = BoundedSink(file: path, limit: limit, sniffLength: sniffLength, sniff: sniff)
        var inflater: Inflater? = nil
        var first = true
        var raw = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while case let count = try reader.nextChunk(into: &chunk), count > 0 {
            if first {
                first = false
                if Gzip.hasMagic(chunk[0..<count]) { inflater = try Inflater(file: path) }
            }
            try chunk.withUnsafeBytes { buffer in
                let piece = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                if inflater != nil {
                    raw += count
                    if raw > limit {
                        throw TraceFileError(file: path, message: BoundedSink.overLimit("size", limit))
                    }
                    if let inflater { try inflater.feed(piece) { try sink.append($0, compressed: true) } }
                } else {
                    try sink.append(piece.assumingMemoryBound(to: UInt8.self), compressed: false)
                }
            }
        }
        try inflater?.finish()
        return try sink.finish()
    }
}

extension Gzip {
    /// Decompresses a gzip stream in memory, refusing more than `limit` bytes
    /// of output (a bomb stops at the limit, not at the end of its output).
    public static func decompress(_ input: [UInt8], file: String, limit: Int) throws -> [UInt8] {
        let inflater = try Inflater(file: file)
        var output: [UInt8] = []
        try input.withUnsafeBytes { buffer in
            try inflater.feed(buffer) { piece in
                guard output.count + piece.count <= limit else {
                    throw TraceFileError(file: file, message: BoundedSink.overLimit("decompressed size", limit))
                }
                output.append(contentsOf: piece)
            }
        }
        try inflater.finish()
        return output
    }
}
