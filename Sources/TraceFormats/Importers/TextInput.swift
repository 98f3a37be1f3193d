/// Helpers shared by the text importers (STG, DOT, DAX): UTF-8 checking that
/// names the line and column of the first bad byte.
enum TextInput {
    /// Decodes `bytes` as UTF-8 or throws naming the line and column of the first invalid byte.
    static func decode(_ bytes: [UInt8], file: String) throws(TraceImportError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) {
            return text
        }
        let bad = firstInvalidUTF8(bytes) ?? 0
        let (line, column) = lineAndColumn(of: bad, in: bytes)
        throw TraceImportError(
            file: file, place: "line \(line), column \(column)",
            "byte 0x\(String(bytes[min(bad, bytes.count - 1)], radix: 16)) is not valid UTF-8 text")
    }

    /// Offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            if i + length > bytes.count { return i }
            if length > 1 {
                for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
                if String(validating: bytes[i..<i + length], as: UTF8.self) == nil { return i }
            }
            i += length
        }
        return nil
    }

    /// The file name without folders and its last extension: the workload's name.
    static func stem(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    /// One-based line and column (in bytes) of an offset.
    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    var trimmedBlanks: Substring {
        let s = self[...]
        let start = s.firstIndex { $0 != " " && $0 != "\t" && $0 != "\r" && $0 != "\n" } ?? s.endIndex
        let end = s.lastIndex { $0 != " " && $0 != "\t" && $0 != "\r" && $0 != "\n" }.map { s.index(after: $0) } ?? start
        return Substring(s[start..<Swift.max(start, end)])
    }
}
