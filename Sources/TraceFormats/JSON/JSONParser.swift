/// A hand-written JSON (RFC 8259) parser over UTF-8 bytes.
///
/// Two ways to use it:
/// - `JSONParser.parse(_:file:)` returns the whole document as a `JSONValue` tree;
/// - inside `JSONParser.withParser(_:file:_:)`, `forEachMember` / `forEachElement`
///   walk big containers one member at a time, so a million-task trace is never
///   held as a tree (`NativeTraceReader` reads each task as a small tree and
///   drops it).
///
/// It rejects everything RFC 8259 rejects (trailing commas, comments, single
/// quotes, leading zeros, NaN), plus: invalid UTF-8 inside strings (with its byte
/// offset), lone surrogate escapes, duplicate keys in one object, numbers that do
/// not fit in a double, and nesting deeper than `maximumDepth`. A UTF-8 byte
/// order mark at the start is skipped. Errors carry `file:line:column`.
public struct JSONParser {
    /// Deeper nesting is refused, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    /// Named in every error.
    public let file: String
    var position = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    /// Reused buffer for strings with escapes or non-ASCII text.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            position = 3
            lineStart = 3
        }
    }

    /// Parses a complete document: one value and nothing after it but whitespace.
    public static func parse(_ bytes: [UInt8], file: String) throws(JSONError) -> JSONValue {
        do {
            return try withParser(bytes, file: file) { parser in
                let value = try parser.parseValue()
                try parser.expectEnd()
                return value
            }
        } catch let error as JSONError {
            throw error
        } catch {
            throw JSONError(file: file, location: JSONLocation(line: 1, column: 1, offset: 0), message: "\(error)")
        }
    }

    /// Runs `body` with a parser positioned at the start of `bytes`.
    public static func withParser<R>(_ bytes: [UInt8], file: String, _ body: (inout JSONParser) throws -> R) throws -> R {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, file: file)
            return try body(&parser)
        }
    }

    // MARK: - Position and errors

    /// Where the parser is now (after skipping nothing).
    public var location: JSONLocation {
        JSONLocation(line: line, column: position - lineStart + 1, offset: position)
    }

    func error(_ message: String, at location: JSONLocation? = nil) -> JSONError {
        JSONError(file: file, location: location ?? self.location, message: message)
    }

    /// "unexpected end of input" or "unexpected 'x'", for the byte at the current position.
    func unexpected(_ expectation: String) -> JSONError {
        guard position < bytes.count else { return error("unexpected end of input, \(expectation)") }
        return error("unexpected \(JSONText.describe(byte: bytes[position])), \(expectation)")
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0D:
                position += 1
            case 0x0A:
                position += 1
                line += 1
                lineStart = position
            default:
                return
            }
        }
    }

    /// Skips whitespace and returns the next byte without consuming it (`nil` at the end).
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// After the last value: only whitespace may follow.
    public mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        if position < bytes.count {
            throw error("unexpected \(JSONText.describe(byte: bytes[position])) after the end of the JSON value")
        }
    }

    /// The kind of the next value, judged by its first byte, without consuming it.
    public mutating func peekKind() -> JSONValue.Kind? {
        guard let byte = peek() else { return nil }
        return switch byte {
        case UInt8(ascii: "{"): .object
        case UInt8(ascii: "["): .array
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): .bool
        case UInt8(ascii: "n"): .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): .number
        default: nil
        }
    }

    // MARK: - Values

    /// Parses the next value (and everything nested in it).
    public mutating func parseValue() throws(JSONError) -> JSONValue {
        guard let byte = peek() else { throw unexpected("expected a value") }
        let start = location
        switch byte {
        case UInt8(ascii: "{"):
            return JSONValue(.object(try parseObjectMembers()), location: start)
        case UInt8(ascii: "["):
            return JSONValue(.array(try parseArrayElements()), location: start)
        case UInt8(ascii: "\""):
            return JSONValue(.string(try parseString()), location: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONValue(.number(try parseNumberLiteral()), location: start)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return JSONValue(.bool(true), location: start)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return JSONValue(.bool(false), location: start)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return JSONValue(.null, location: start)
        default:
            throw unexpected("expected a value")
        }
    }

    /// Skips the next value. (Parses it: a skipped value must still be valid JSON.)
    public mutating func skipValue() throws(JSONError) {
        _ = try parseValue()
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONError) {
        let start = location
        let count = word.utf8CodeUnitCount
        let text = word.utf8Start
        for i in 0..<count {
            guard position + i < bytes.count, bytes[position + i] == text[i] else {
                throw error("invalid literal, expected '\(word)'", at: start)
            }
        }
        position += count
    }

    /// After a member or element: a `,` means another follows (false); the
    /// container's closing byte ends it (true, leaving the container); anything
    /// else is an error saying what was `expected`. Shared by the tree parser and
    /// the streaming walkers so both accept the same text.
    @inline(__always)
    mutating func continueOrClose(_ closing: UInt8, else expected: String) throws(JSONError) -> Bool {
        switch peek() {
        case UInt8(ascii: ","):
            position += 1
            return false
        case closing:
            position += 1
            depth -= 1
            return true
        default:
            throw unexpected(expected)
        }
    }

    mutating func enterContainer() throws(JSONError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw error("nesting deeper than \(Self.maximumDepth) levels")
        }
    }

    mutating func parseObjectMembers() throws(JSONError) -> [JSONMember] {
        try enterContainer()
        position += 1  // '{'
        var members: [JSONMember] = []
        var seen: Set<String>? = nil
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return members
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else {
                throw unexpected(members.isEmpty ? "expected a string key or '}'" : "expected a string key after ','")
            }
            let keyLocation = location
            let key = try parseString()
            try checkDuplicate(key, at: keyLocation, members: members, seen: &seen)
            guard peek() == UInt8(ascii: ":") else { throw unexpected("expected ':' after object key") }
            position += 1
            let value = try parseValue()
            members.append(JSONMember(key: key, keyLocation: keyLocation, value: value))
            if try continueOrClose(UInt8(ascii: "}"), else: "expected ',' or '}' after object member") { return members }
        }
    }

    /// Small objects are checked by a linear scan; a set takes over past 16 keys.
    func checkDuplicate(_ key: String, at keyLocation: JSONLocation, members: [JSONMember], seen: inout Set<String>?) throws(JSONError) {
        if members.count < 16 {
            for member in members where member.key == key {
                throw error("duplicate key \(JSONText.quoted(key)) (first at \(member.keyLocation))", at: keyLocation)
            }
            return
        }
        if seen == nil { seen = Set(members.map(\.key)) }
        if seen!.insert(key).inserted == false {
            let first = members.first { $0.key == key }
            throw error("duplicate key \(JSONText.quoted(key)) (first at \(first.map { "\($0.keyLocation)" } ?? "?"))", at: keyLocation)
        }
    }

    mutating func parseArrayElements() throws(JSONError) -> [JSONValue] {
        try enterContainer()
        position += 1  // '['
        var items: [JSONValue] = []
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return items
        }
        while true {
            items.append(try parseValue())
            if try continueOrClose(UInt8(ascii: "]"), else: "expected ',' or ']' after array element") { return items }
        }
    }
}
