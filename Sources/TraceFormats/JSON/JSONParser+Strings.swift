/// String literals: escapes, UTF-8 validation, control characters.
extension JSONParser {
    /// Parses a string literal; the current byte is its opening quote.
    mutating func parseString() throws(JSONError) -> String {
        let start = location
        position += 1
        let contentStart = position
        // Fast path: plain ASCII without escapes, the common case for keys and task names.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            position += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[contentStart..<position]))
        return try parseStringSlowly(start: start)
    }

    /// Escapes and non-ASCII text, decoded into `scratch`.
    mutating func parseStringSlowly(start: JSONLocation) throws(JSONError) -> String {
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape()
            case 0..<0x20:
                throw error("control character U+00\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16, uppercase: true)) in a string; write it as an escape such as \\n")
            case 0x80...:
                let length = utf8SequenceLength(at: position)
                guard length > 0 else {
                    throw error("invalid UTF-8 at byte offset \(position) (\(JSONText.describe(byte: byte)))")
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<(position + length)]))
                position += length
            default:
                scratch.append(byte)
                position += 1
            }
        }
        throw error("unterminated string (it starts at \(start))")
    }

    mutating func parseEscape() throws(JSONError) {
        let escapeLocation = location
        guard position + 1 < bytes.count else { throw error("unterminated string escape") }
        let code = bytes[position + 1]
        position += 2
        switch code {
        case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeLocation)
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw error("lone surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", at: escapeLocation)
                }
                position += 2
                let low = try parseHex4(escapeLocation)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("lone surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", at: escapeLocation)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("lone surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", at: escapeLocation)
            }
            guard let unicode = Unicode.Scalar(scalar) else {
                throw error("invalid \\u escape", at: escapeLocation)
            }
            scratch.append(contentsOf: UTF8.encode(unicode)!)
        default:
            throw error("invalid escape \\\(JSONText.describe(byte: code).trimmingQuotes) in a string", at: escapeLocation)
        }
    }

    mutating func parseHex4(_ escapeLocation: JSONLocation) throws(JSONError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape", at: escapeLocation) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape: \(JSONText.describe(byte: byte)) is not a hex digit", at: escapeLocation)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Length of the well-formed UTF-8 sequence starting at `i`, or 0 if it is
    /// ill-formed (overlong forms, surrogates and values past U+10FFFF are ill-formed).
    func utf8SequenceLength(at i: Int) -> Int {
        let lead = bytes[i]
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            i + offset < bytes.count && range.contains(bytes[i + offset])
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }
}

extension String {
    /// `'x'` -> `x`, for quoting a byte inside a message that already shows a backslash.
    var trimmingQuotes: String {
        hasPrefix("'") && hasSuffix("'") && count >= 2 ? String(dropFirst().dropLast()) : self
    }
}
