/// The `schedsim-trace` format (version 1), documented in docs/trace-format.md.
public struct NativeTraceFormat: TraceImporter {
    public static let formatName = "schedsim-trace"
    public static let version: Int64 = 1

    public init() {}

    public var name: String { Self.formatName }
    public var summary: String { "schedsim's own JSON trace (docs/trace-format.md)" }

    /// A JSON object whose first few KiB contain the string `"schedsim-trace"`
    /// (the value of its `format` field, which writers put first).
    public func detect(prefix: ArraySlice<UInt8>, path: String) -> Bool {
        guard let first = prefix.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }),
              first == UInt8(ascii: "{") else { return false }
        let needle = Array("\"schedsim-trace\"".utf8)
        guard prefix.count >= needle.count else { return false }
        var i = prefix.startIndex
        while i + needle.count <= prefix.endIndex {
            if prefix[i] == needle[0] && prefix[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    public func read(bytes: consuming [UInt8], path: String) throws -> LoadedTrace {
        try NativeTraceReader.read(bytes: consume bytes, path: path)
    }
}
