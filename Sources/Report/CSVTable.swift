import Foundation

/// A CSV file read whole: the header row and the data rows as strings (RFC 4180 quoting).
///
/// The report is tolerant of extra columns (later versions of the logs may add some) and strict
/// on missing required ones: `column(_:)` throws naming the file and the header it found.
public struct CSVTable: Sendable {
    /// The file name used in error messages.
    public let file: String
    public let header: [String]
    /// Data rows; each has exactly `header.count` fields (a row with more or fewer is refused).
    public let rows: [[String]]
    /// The 1-based line number of each data row in the file, for error messages.
    public let lines: [Int]

    /// Reads and parses `path`; `name` is how errors refer to it (defaults to the path).
    public static func load(path: String, name: String? = nil) throws -> CSVTable {
        let label = name ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError.unreadable(file: label, reason: "no such file or not readable")
        }
        return try CSVTable(parsing: [UInt8](data), file: label)
    }

    /// Parses CSV text. Lines end with `\n` (a `\r` before it is dropped); empty lines are skipped.
    public init(parsing bytes: [UInt8], file: String) throws {
        self.file = file
        var records: [[String]] = []
        var recordLines: [Int] = []
        var field: [UInt8] = []
        var record: [String] = []
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var recordStartLine = 1
        var index = 0
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < bytes.count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == newline { line += 1 }
                    field.append(byte)
                }
            } else if byte == quote {
                if !field.isEmpty || fieldWasQuoted {
                    throw ReportError.malformed(file: file, line: line, reason: "a quote inside an unquoted field")
                }
                inQuotes = true
                fieldWasQuoted = true
            } else if byte == comma {
                endField()
            } else if byte == newline || byte == cr {
                if byte == cr, index + 1 < bytes.count, bytes[index + 1] == newline { index += 1 }
                endField()
                if !(record.count == 1 && record[0].isEmpty) {
                    records.append(record)
                    recordLines.append(recordStartLine)
                }
                record.removeAll(keepingCapacity: true)
                line += 1
                recordStartLine = line
            } else {
                if fieldWasQuoted {
                    throw ReportError.malformed(file: file, line: line, reason: "text after a closing quote")
                }
                field.append(byte)
            }
            index += 1
        }
        if inQuotes {
            throw ReportError.malformed(file: file, line: recordStartLine, reason: "a quoted field is never closed")
        }
        if !field.isEmpty || fieldWasQuoted || !record.isEmpty {
            endField()
            records.append(record)
            recordLines.append(recordStartLine)
        }
        guard let first = records.first else {
            throw ReportError.malformed(file: file, line: 1, reason: "the file is empty (no header row)")
        }
        header = first
        var data: [[String]] = []
        data.reserveCapacity(records.count - 1)
        // A repeated column would make `column(_:)` read the first and ignore the other.
        var seen: Set<String> = []
        for name in first where !seen.insert(name).inserted {
            throw ReportError.malformed(file: file, line: 1, reason: "column '\(name)' appears twice in the header")
        }
        // Every row has every field: schedsim writes them all, so a short row is a file
        // cut off mid-line (a run killed while writing, a partial copy), refused rather
        // than drawn with the missing fields read as empty.
        let endsMidLine = bytes.last != newline && bytes.last != cr
        for (offset, row) in records.dropFirst().enumerated() where row.count != first.count {
            let last = offset + 2 == records.count
            throw ReportError.malformed(
                file: file, line: recordLines[offset + 1],
                reason: "\(row.count) field\(row.count == 1 ? "" : "s") but the header has \(first.count)"
                    + (last && endsMidLine && row.count < first.count ? " (the file ends mid-line: truncated?)" : ""))
        }
        data.append(contentsOf: records.dropFirst())
        rows = data
        lines = Array(recordLines.dropFirst())
    }

    /// The index of a required column, or an error naming the file and its header.
    public func column(_ name: String) throws -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw ReportError.missingColumn(file: file, column: name, header: header)
        }
        return index
    }

    /// The index of an optional column.
    public func optionalColumn(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// A field as a number of seconds (or any Double); empty gives nil.
    public func double(row: Int, column: Int) throws -> Double? {
        let text = rows[row][column]
        if text.isEmpty { return nil }
        guard let value = Double(text), value.isFinite else {
            throw ReportError.badField(file: file, line: lines[row], column: header[column], value: text, expected: "a number")
        }
        return value
    }

    /// A field that must hold a number.
    public func requiredDouble(row: Int, column: Int) throws -> Double {
        guard let value = try double(row: row, column: column) else {
            throw ReportError.badField(file: file, line: lines[row], column: header[column], value: "", expected: "a number")
        }
        return value
    }

    /// A field as a whole number (bytes, counts); empty gives 0.
    public func integer(row: Int, column: Int) throws -> Int64 {
        let text = rows[row][column]
        if text.isEmpty { return 0 }
        guard let value = Int64(text) else {
            throw ReportError.badField(file: file, line: lines[row], column: header[column], value: text, expected: "a whole number")
        }
        return value
    }
}
