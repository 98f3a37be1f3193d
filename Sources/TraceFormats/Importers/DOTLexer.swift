/// Splits Graphviz DOT text into tokens, tracking lines for error messages.
///
/// Handles the parts of the DOT language task-graph tools write: `//`, `/* */`
/// and `#` comments, quoted strings with escapes, HTML-like `<...>` strings,
/// numerals, identifiers, `->`, `--` and punctuation.
struct DOTLexer {
    enum Kind: Equatable {
        case identifier     // bare word or numeral
        case quoted         // "..." (escapes resolved) or <...>
        case arrow          // ->
        case undirected     // --
        case punctuation    // { } [ ] = ; , :
        case end
    }

    struct Token {
        var kind: Kind
        var text: String
        var line: Int
        var column: Int
    }

    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var lineStart = 0
    let file: String

    init(_ text: String, file: String) {
        self.bytes = Array(text.utf8)
        self.file = file
    }

    private func error(_ message: String, line: Int, column: Int) -> TraceImportError {
        TraceImportError(file: file, place: "line \(line), column \(column)", message)
    }

    private mutating func advance() {
        if bytes[offset] == 0x0A {
            line += 1
            lineStart = offset + 1
        }
        offset += 1
    }

    private mutating func skipBlanksAndComments() throws(TraceImportError) {
        while offset < bytes.count {
            let c = bytes[offset]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                advance()
            } else if c == UInt8(ascii: "#") && bytes[lineStart..<offset].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                // A '#' line is C-preprocessor output, which DOT discards.
                while offset < bytes.count && bytes[offset] != 0x0A { advance() }
            } else if c == UInt8(ascii: "/") && offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: "/") {
                while offset < bytes.count && bytes[offset] != 0x0A { advance() }
            } else if c == UInt8(ascii: "/") && offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: "*") {
                let (startLine, startColumn) = (line, offset - lineStart + 1)
                advance(); advance()
                while offset + 1 < bytes.count && !(bytes[offset] == UInt8(ascii: "*") && bytes[offset + 1] == UInt8(ascii: "/")) {
                    advance()
                }
                guard offset + 1 < bytes.count else {
                    throw error("comment opened here is never closed (truncated file?)", line: startLine, column: startColumn)
                }
                advance(); advance()
            } else {
                return
            }
        }
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c >= 0x80
    }

    mutating func next() throws(TraceImportError) -> Token {
        try skipBlanksAndComments()
        let column = offset - lineStart + 1
        let startLine = line
        guard offset < bytes.count else { return Token(kind: .end, text: "", line: line, column: column) }
        let c = bytes[offset]
        switch c {
        case UInt8(ascii: "-") where offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: ">"):
            advance(); advance()
            return Token(kind: .arrow, text: "->", line: startLine, column: column)
        case UInt8(ascii: "-") where offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: "-"):
            advance(); advance()
            return Token(kind: .undirected, text: "--", line: startLine, column: column)
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "="), UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: ":"):
            advance()
            return Token(kind: .punctuation, text: String(UnicodeScalar(c)), line: startLine, column: column)
        case UInt8(ascii: "\""):
            advance()
            var text: [UInt8] = []
            while offset < bytes.count && bytes[offset] != UInt8(ascii: "\"") {
                if bytes[offset] == UInt8(ascii: "\\") && offset + 1 < bytes.count {
                    advance()
                    // DOT keeps backslashes except before a quote or a line break.
                    if bytes[offset] == 0x0A { advance(); continue }
                    if bytes[offset] != UInt8(ascii: "\"") { text.append(UInt8(ascii: "\\")) }
                }
                text.append(bytes[offset])
                advance()
            }
            guard offset < bytes.count else {
                throw error("string opened here is never closed (truncated file?)", line: startLine, column: column)
            }
            advance()
            return Token(kind: .quoted, text: String(decoding: text, as: UTF8.self), line: startLine, column: column)
        case UInt8(ascii: "<"):
            var depth = 0
            let start = offset
            repeat {
                if bytes[offset] == UInt8(ascii: "<") { depth += 1 }
                if bytes[offset] == UInt8(ascii: ">") { depth -= 1 }
                advance()
            } while depth > 0 && offset < bytes.count
            guard depth == 0 else {
                throw error("HTML string opened here is never closed (truncated file?)", line: startLine, column: column)
            }
            return Token(kind: .quoted, text: String(decoding: bytes[start + 1..<offset - 1], as: UTF8.self), line: startLine, column: column)
        default:
            guard Self.isWordByte(c) else {
                throw error("unexpected character '\(String(decoding: [c], as: UTF8.self))'", line: startLine, column: column)
            }
            let start = offset
            while offset < bytes.count && Self.isWordByte(bytes[offset]) {
                // '-' inside a word ends it when it starts an edge operator.
                if bytes[offset] == UInt8(ascii: "-") && offset + 1 < bytes.count
                    && (bytes[offset + 1] == UInt8(ascii: ">") || bytes[offset + 1] == UInt8(ascii: "-")) {
                    break
                }
                advance()
            }
            return Token(kind: .identifier, text: String(decoding: bytes[start..<offset], as: UTF8.self), line: startLine, column: column)
        }
    }
}
