extension TraceImportError {
    /// A JSON syntax or type error, placed by line, column and JSON path.
    init(_ error: JSONError, file: String) {
        var place = "line \(error.location.line), column \(error.location.column)"
        if let path = error.path, !path.isRoot { place += " (\(path))" }
        self.init(file: file, place: place, error.message)
    }
}

/// Runs JSON-reading code, turning its `JSONError`s into `TraceImportError`s for `file`.
func readingJSON<T>(_ file: String, _ body: () throws(JSONError) -> T) throws(TraceImportError) -> T {
    do {
        return try body()
    } catch {
        throw TraceImportError(error, file: file)
    }
}

extension JSONValue {
    /// A place string for warnings and errors about this value: `line 3, column 5 (tasks[2])`.
    var place: String {
        let at = "line \(location.line), column \(location.column)"
        return path.isRoot ? at : "\(at) (\(path))"
    }

    /// An array of strings (ids, file names), each checked.
    var strings: [String] {
        get throws(JSONError) {
            var result: [String] = []
            for item in try array { result.append(try item.string) }
            return result
        }
    }

    /// A finite number >= 0 no larger than `limit`, or a located error naming `what`.
    func nonNegative(_ what: String, limit: Double) throws(JSONError) -> Double {
        let value = try double
        guard value >= 0, value <= limit else {
            throw error("\(what) \(value) is outside 0...\(limit)")
        }
        return value
    }

    /// A byte count: an integer (or an integral double) in 0...1 PiB.
    func byteCount(_ what: String) throws(JSONError) -> Int64 {
        let value = try int64
        guard value >= 0, value <= (1 << 50) else {
            throw error("\(what) \(value) bytes is outside 0...\(1 << 50) (1 PiB)")
        }
        return value
    }
}

/// Whether a JSON prefix looks like an object containing `needle` (a quoted key)
/// near its start. Used by detection, which only sees the first few KiB.
func jsonPrefixContains(_ prefix: ArraySlice<UInt8>, _ needles: [String]) -> Bool {
    guard let first = prefix.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
          first == UInt8(ascii: "{") else { return false }
    let text = String(decoding: prefix, as: UTF8.self)
    return needles.contains { text.contains($0) }
}

extension JSONValue {
    /// The first of `keys` present in this object (old and new spellings of a field).
    func optional(anyOf keys: [String]) throws(JSONError) -> JSONValue? {
        for key in keys {
            if let value = try optional(key) { return value }
        }
        return nil
    }
}
