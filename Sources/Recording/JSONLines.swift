/// A JSON Lines file (`events.jsonl`) built in memory: one JSON object per line.
public struct JSONLines: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var lineCount = 0

    public init() {}

    /// Appends one object whose fields are all strings, in the given order.
    public mutating func append(_ fields: KeyValuePairs<String, String>) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (name, value) in fields {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            JSONLines.appendQuoted(name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONLines.appendQuoted(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        bytes.append(0x0A)
        lineCount += 1
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    public static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }
}
