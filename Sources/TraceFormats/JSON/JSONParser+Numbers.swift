/// Number literals, checked against JSON's grammar:
/// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
extension JSONParser {
    /// Parses a number and returns its literal text.
    mutating func parseNumberLiteral() throws(JSONError) -> String {
        let start = position
        let startLocation = location
        var hasFractionOrExponent = false
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw unexpected("expected a digit after '-'")
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw error("leading zeros are not allowed in numbers", at: startLocation)
            }
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw unexpected("expected a digit after '.'") }
            skipDigits()
            hasFractionOrExponent = true
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw unexpected("expected a digit in the exponent") }
            skipDigits()
            hasFractionOrExponent = true
        }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        // Only long literals and exponents can leave the range of a double; check those once here
        // so that "numbers that overflow" are syntax errors, not surprises later.
        if hasFractionOrExponent || position - start > 300 {
            if let value = Double(literal), !value.isFinite {
                throw error("number \(literal) is too large for a double", at: startLocation)
            }
        }
        return literal
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    @inline(__always)
    mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }
}
