import Foundation

/// Reading the small description files a run takes besides the trace (cluster
/// and scenario files): a size limit checked before the read, and JSON syntax
/// errors placed at a line and column (issue 18).
///
/// Foundation's `JSONSerialization` reports a syntax error as "Invalid value
/// around character 1234." — a byte offset into the file, which nobody can find
/// in an editor. `jsonObject` turns it into `FILE:LINE:COL` with the same words.
enum SpecFile {
    /// Why a file could not be read or parsed; `location` is `LINE:COL` for a
    /// syntax error (the caller prefixes the path), empty otherwise.
    struct Problem: Error {
        var location: String
        var message: String
    }

    /// The bytes of `path`, refused when its size on disk (checked before the
    /// read, so a huge file costs nothing) or what was read (a file that grew,
    /// or one whose size the file system does not report) is over `limit`.
    static func read(_ path: String, limit: Int, kind: String) throws(Problem) -> Data {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType != .typeDirectory else {
            throw Problem(location: "", message: "cannot read the file")
        }
        let tooLarge = Problem(location: "", message: "larger than the \(limit >> 20) MiB limit for \(kind) files")
        if ((attributes[.size] as? NSNumber)?.intValue ?? 0) > limit { throw tooLarge }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(location: "", message: "cannot read the file")
        }
        if data.count > limit { throw tooLarge }
        return data
    }

    /// `JSONSerialization.jsonObject(with:)`, with a syntax error's place as `LINE:COL`.
    static func jsonObject(_ data: Data) throws(Problem) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: data)
        } catch {
            let said = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? error.localizedDescription
            let (line, column, words) = place(of: said, in: data)
            throw Problem(location: "\(line):\(column)", message: "not valid JSON (\(words))")
        }
    }

    /// Line and column (1-based; the column counts characters) that Foundation's
    /// message points at, and the message without its "around ..." tail. Without
    /// an offset ("Unexpected end of file") the place is the end of the file.
    static func place(of message: String, in data: Data) -> (line: Int, column: Int, words: String) {
        var words = message.hasSuffix(".") ? String(message.dropLast()) : message
        var offset = data.count
        if let range = words.range(of: " around character ") {
            if let n = Int(words[range.upperBound...]) { offset = min(max(0, n), data.count) }
            words = String(words[..<range.lowerBound])
        } else if let range = words.range(of: " around line ") {
            // Newer Foundations say "around line L, column C" themselves.
            let numbers = words[range.upperBound...].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if numbers.count == 2 { return (numbers[0], numbers[1], String(words[..<range.lowerBound])) }
        }
        let bytes = [UInt8](data.prefix(offset))
        var line = 1
        var lineStart = 0
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: bytes[lineStart...], as: UTF8.self).count + 1
        return (line, column, words)
    }
}
