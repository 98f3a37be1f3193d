/// A CSV file being built in memory: a header row, then one row per record,
/// fields in a fixed order, quoted by RFC 4180 rules.
///
/// Fields are appended left to right and `endRow()` closes a row, so writing a
/// row costs no intermediate arrays. Lines end with `\n` (pandas and polars
/// read both `\n` and `\r\n`; `\n` keeps the files diff-friendly).
public struct CSVTable: Sendable {
    public let header: [String]
    /// The encoded file so far, header included.
    public private(set) var bytes: [UInt8] = []
    public private(set) var rowCount = 0
    private var fieldsInRow = 0

    public init(header: [String]) {
        self.header = header
        for name in header { append(name) }
        bytes.append(0x0A)
        fieldsInRow = 0
    }

    private mutating func separator() {
        if fieldsInRow > 0 { bytes.append(0x2C) }
        fieldsInRow += 1
    }

    /// A text field, quoted when it contains a comma, a double quote, CR or LF
    /// or starts or ends with a space (so readers that strip spaces keep it
    /// intact); inner quotes are doubled.
    public mutating func append(_ text: String) {
        separator()
        var needsQuotes = false
        for byte in text.utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        if let first = text.utf8.first, let last = text.utf8.last, first == 0x20 || last == 0x20 {
            needsQuotes = true
        }
        if !needsQuotes {
            bytes.append(contentsOf: text.utf8)
            return
        }
        bytes.append(0x22)
        for byte in text.utf8 {
            if byte == 0x22 { bytes.append(0x22) }
            bytes.append(byte)
        }
        bytes.append(0x22)
    }

    /// An integer field.
    public mutating func append(_ value: Int64) {
        separator()
        appendDigits(value)
    }

    /// An integer field.
    public mutating func append(_ value: Int) {
        append(Int64(value))
    }

    /// A time or duration in seconds with nanosecond precision, as `Time.format`
    /// prints it: `12.000000500`.
    public mutating func append(nanoseconds ns: Int64) {
        separator()
        if ns < 0 { bytes.append(0x2D) }
        let magnitude = ns.magnitude
        appendUnsigned(magnitude / 1_000_000_000)
        bytes.append(0x2E)
        var frac = magnitude % 1_000_000_000
        var divisor: UInt64 = 100_000_000
        for _ in 0..<9 {
            bytes.append(UInt8(0x30 + frac / divisor))
            frac %= divisor
            divisor /= 10
        }
    }

    /// An optional time: empty when `nil` (pandas reads an empty field as NaN).
    public mutating func append(nanoseconds ns: Int64?) {
        if let ns { append(nanoseconds: ns) } else { appendEmpty() }
    }

    /// A ratio or other real number in fixed notation with `decimals` digits
    /// (rounded half away from zero), never in exponent form for magnitudes
    /// below 9e18 / 10^decimals (beyond that, Swift's shortest form, e.g. `1e+20`).
    public mutating func append(fixed value: Double, decimals: Int = 6) {
        separator()
        bytes.append(contentsOf: CSVTable.fixed(value, decimals: decimals).utf8)
    }

    /// An empty field.
    public mutating func appendEmpty() {
        separator()
    }

    /// Ends the current row. Every row must have as many fields as the header.
    public mutating func endRow() {
        precondition(fieldsInRow == header.count, "CSV row has \(fieldsInRow) fields, header has \(header.count)")
        bytes.append(0x0A)
        fieldsInRow = 0
        rowCount += 1
    }

    /// The file as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func appendDigits(_ value: Int64) {
        if value < 0 { bytes.append(0x2D) }
        appendUnsigned(value.magnitude)
    }

    private mutating func appendUnsigned(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(0x30 + value))
            return
        }
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(0x30 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Fixed-notation text of a real number with `decimals` digits after the
    /// point. Non-finite values print as `nan`, `inf`, `-inf` (what pandas reads).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value.magnitude * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return String(value) }
        let integer = UInt64(scaled)
        let divisor = UInt64(scale)
        var text = (value < 0 && integer != 0 ? "-" : "") + String(integer / divisor)
        if decimals > 0 {
            let frac = String(integer % divisor)
            text += "." + String(repeating: "0", count: decimals - frac.count) + frac
        }
        return text
    }
}
