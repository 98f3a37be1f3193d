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

    /// Reads a trace. With `format == nil` the format is detected from the content.
    public static func load(path: String, format: String? = nil) throws -> LoadedTrace {
        let bytes = try TraceFile.readBytes(path: path)
        return try load(bytes: consume bytes, path: path, format: format)
    }

    /// Reads a trace already in memory (decompressing it if it is gzip).
    public static func load(bytes raw: consuming [UInt8], path: String, format: String? = nil) throws -> LoadedTrace {
        var bytes = raw
        if Gzip.hasMagic(bytes) { bytes = try Gzip.decompress(bytes, file: path) }
        let chosen: any TraceImporter
        if let format {
            guard let named = Self.importer(named: format) else {
                throw TraceFileError(file: path, message: "unknown format '\(format)'; known formats: \(knownNames)")
            }
            chosen = named
        } else {
            let detected = Self.detect(bytes.prefix(sniffLength), path: path)
            guard let detected else {
                throw TraceFileError(
                    file: path,
                    message: "cannot tell the trace format from the content; pass --format (known formats: \(knownNames))")
            }
            chosen = detected
        }
        return try chosen.read(bytes: consume bytes, path: path)
    }

    /// The first importer that recognises the content.
    static func detect(_ prefix: ArraySlice<UInt8>, path: String) -> (any TraceImporter)? {
        importers.first { $0.detect(prefix: prefix, path: path) }
    }

    static var knownNames: String { importers.map(\.name).joined(separator: ", ") }
}
