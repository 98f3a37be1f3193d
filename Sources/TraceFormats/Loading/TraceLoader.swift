import Workload

/// The registry of trace formats: reads a file, undoes gzip, picks the format
/// from the content (or from `--format`) and hands the bytes to its importer.
///
///     let trace = try TraceLoader.load(path: "traces/diamond.json")
///     print(trace.workload.count, trace.warnings)
public enum TraceLoader {
    /// Every format schedsim reads, tried in this order when detecting.
    /// Importers for other formats add one line here.
    public static let importers: [any TraceImporter] = [
        NativeTraceFormat(),
        WfCommonsImporter(),
        DaskCaptureImporter(),
        DAXImporter(),
        DOTImporter(),
        STGImporter(),
    ]

    /// How many leading bytes detection looks at.
    public static let sniffLength = 4096

    /// The importer called `name`, if any.
    public static func importer(named name: String) -> (any TraceImporter)? {
        importers.first { $0.name == name }
    }

    /// Reads a trace. With `format == nil` the format is detected from the
    /// first `sniffLength` bytes after leading whitespace, before the rest of
    /// the file is read; gzip is inflated as it streams in; more than
    /// `maxInputBytes` (decompressed) is refused. So a decompression bomb, a
    /// binary file or /dev/zero is refused after its first few KiB.
    public static func load(path: String, format: String? = nil,
                            maxInputBytes: Int = InputLimits.defaultMaxInputBytes) throws -> LoadedTrace {
        let named = try format.map { (name: String) throws(TraceFileError) -> any TraceImporter in try importer(forced: name, path: path) }
        final class Choice: @unchecked Sendable { var importer: (any TraceImporter)? }
        let choice = Choice()
        choice.importer = named
        let bytes = try TraceFile.readTrace(path: path, limit: maxInputBytes, sniffLength: sniffLength) { prefix in
            choice.importer = try choose(prefix: prefix, path: path, forced: named)
        }
        return try choice.importer!.read(bytes: consume bytes, path: path)
    }

    /// Reads a trace already in memory (decompressing it if it is gzip).
    public static func load(bytes raw: consuming [UInt8], path: String, format: String? = nil,
                            maxInputBytes: Int = InputLimits.defaultMaxInputBytes) throws -> LoadedTrace {
        var bytes = raw
        if Gzip.hasMagic(bytes) { bytes = try Gzip.decompress(bytes, file: path, limit: maxInputBytes) }
        let named = try format.map { (name: String) throws(TraceFileError) -> any TraceImporter in try importer(forced: name, path: path) }
        let start = bytes.firstIndex { !BoundedSink.isBlank($0) } ?? bytes.endIndex
        let chosen = try choose(prefix: bytes[start..<min(bytes.count, start + sniffLength)], path: path, forced: named)
        return try chosen.read(bytes: consume bytes, path: path)
    }

    static func importer(forced name: String, path: String) throws(TraceFileError) -> any TraceImporter {
        guard let named = Self.importer(named: name) else {
            throw TraceFileError(file: path, message: "unknown format '\(name)'; known formats: \(knownNames)")
        }
        return named
    }

    /// The importer for a file whose content starts with `prefix` (after
    /// blanks): `forced` if given, else the detected one. Every format is text,
    /// so a NUL byte means a binary file whatever `--format` says.
    static func choose(prefix: ArraySlice<UInt8>, path: String, forced: (any TraceImporter)?) throws(TraceFileError) -> any TraceImporter {
        if let nul = prefix.firstIndex(of: 0) {
            throw TraceFileError(file: path, message: "not a text trace: byte 0x00 at content offset \(nul - prefix.startIndex) (binary data; every trace format is text, optionally gzipped)")
        }
        if let forced { return forced }
        guard let detected = Self.detect(prefix, path: path) else {
            throw TraceFileError(
                file: path,
                message: "cannot tell the trace format from the content; pass --format (known formats: \(knownNames))")
        }
        return detected
    }

    /// The first importer that recognises the content.
    static func detect(_ prefix: ArraySlice<UInt8>, path: String) -> (any TraceImporter)? {
        importers.first { $0.detect(prefix: prefix, path: path) }
    }

    static var knownNames: String { importers.map(\.name).joined(separator: ", ") }
}
