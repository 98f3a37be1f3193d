import Testing
@testable import TraceFormats

/// Parses `text` and returns the error it must produce.
private func parseError(_ text: String, file: String = "t.json") -> JSONError? {
    do {
        _ = try JSONParser.parse(Array(text.utf8), file: file)
        return nil
    } catch {
        return error
    }
}

private func parse(_ text: String) throws -> JSONValue {
    try JSONParser.parse(Array(text.utf8), file: "t.json")
}

@Suite struct JSONParserValueTests {
    @Test func scalars() throws {
        #expect(try parse("null").isNull)
        #expect(try parse(" true ").bool == true)
        #expect(try parse("false").bool == false)
        #expect(try parse("\"hi\"").string == "hi")
        #expect(try parse("-0").content == .number("-0"))
        #expect(try parse("12.5e-3").double == 0.0125)
    }

    @Test func objectKeepsFileOrderAndLocations() throws {
        let value = try parse("{\n  \"b\": 1,\n  \"a\": [true, null],\n  \"c\": {}\n}")
        let members = try value.members
        #expect(members.map(\.key) == ["b", "a", "c"])
        #expect(members[0].keyLocation == JSONLocation(line: 2, column: 3, offset: 4))
        #expect(members[1].value.location.line == 3)
        #expect(members[1].value.location.column == 8)
        #expect(try value["a"].array.count == 2)
        #expect(try value["a"].array[1].isNull)
    }

    @Test func integersAreExactUpToInt64() throws {
        #expect(try parse("9223372036854775807").int64 == Int64.max)
        #expect(try parse("-9223372036854775808").int64 == Int64.min)
        // 2^53 + 1 is not representable as a double; the literal keeps it exact.
        #expect(try parse("9007199254740993").int64 == 9_007_199_254_740_993)
        #expect(try parse("1e3").int64 == 1000)
        #expect(try parse("1000.0").int64 == 1000)
    }

    @Test func integerErrors() throws {
        let tooBig = try parse("{\"n\": 9223372036854775808}")
        #expect(throws: JSONError.self) { try tooBig["n"].int64 }
        do {
            _ = try tooBig["n"].int64
        } catch {
            #expect(error.description == "<json>:1:7: n: integer 9223372036854775808 does not fit in 64 bits")
        }
        do {
            _ = try parse("[1.5]").array[0].int64
            Issue.record("1.5 read as an integer")
        } catch {
            #expect("\(error)" == "<json>:1:2: [0]: expected an integer, got number 1.5")
        }
    }

    @Test func doublesAreCorrectlyRounded() throws {
        #expect(try parse("0.1").double == 0.1)
        #expect(try parse("2.2250738585072014e-308").double == 2.2250738585072014e-308)
        #expect(try parse("5e-324").double == Double.leastNonzeroMagnitude)
        #expect(try parse("1.7976931348623157e308").double == Double.greatestFiniteMagnitude)
        // Underflow to zero is allowed (it is not an overflow).
        #expect(try parse("1e-400").double == 0)
    }

    @Test func escapesAndUnicode() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#).string == "a\"b\\c/d\u{8}\u{C}\n\r\t")
        #expect(try parse(#""\u00e9\u20AC""#).string == "é€")
        #expect(try parse(#""\ud83d\ude00""#).string == "😀")
        #expect(try parse("\"héllo wörld\"").string == "héllo wörld")
        #expect(try parse("\u{FEFF}{\"bom\": 1}")["bom"].int64 == 1)
    }

    @Test func typedAccessorErrorsNameThePath() throws {
        let doc = try parse("{\"tasks\": [{\"key\": \"a\"}, {\"key\": 7,\n \"deps\": [\"x\", 3]}]}")
        let tasks = try doc.array(at: "tasks")
        #expect(try tasks[0]["key"].string == "a")
        do {
            _ = try tasks[1]["key"].string
            Issue.record("number read as string")
        } catch {
            #expect(error.description == "<json>:1:34: tasks[1].key: expected a string, got number 7")
        }
        do {
            _ = try tasks[1]["deps"].array[1].string
            Issue.record("number read as string")
        } catch {
            #expect(error.path?.description == "tasks[1].deps[1]")
            #expect(error.location.line == 2)
        }
        do {
            _ = try tasks[0]["duration"]
            Issue.record("missing field found")
        } catch {
            #expect(error.message == "missing required field \"duration\"")
            #expect(error.path?.description == "tasks[0]")
        }
        #expect(try tasks[0].optional("duration") == nil)
        #expect(JSONPath([.key("metadata"), .key("odd key")]).description == "metadata[\"odd key\"]")
    }

    @Test func deepButAllowedNesting() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try parse(text)
        var levels = 1
        while case .array(let items) = value.content, let first = items.first {
            value = first
            levels += 1
        }
        #expect(levels == depth)
    }
}

@Suite struct JSONParserErrorTests {
    /// (input, expected error text) pairs: every message names line and column.
    static let cases: [(String, String)] = [
        ("", "t.json:1:1: unexpected end of input, expected a value"),
        ("   \n  ", "t.json:2:3: unexpected end of input, expected a value"),
        ("{\"a\": 1", "t.json:1:8: unexpected end of input, expected ',' or '}' after object member"),
        ("{\"a\": 1 \"b\": 2}", "t.json:1:9: unexpected '\"', expected ',' or '}' after object member"),
        ("{\"a\" 1}", "t.json:1:6: unexpected '1', expected ':' after object key"),
        ("{\"a\": 1,}", "t.json:1:9: unexpected '}', expected a string key after ','"),
        ("{a: 1}", "t.json:1:2: unexpected 'a', expected a string key or '}'"),
        ("[1, 2,]", "t.json:1:7: unexpected ']', expected a value"),
        ("[1 2]", "t.json:1:4: unexpected '2', expected ',' or ']' after array element"),
        ("[1, 2", "t.json:1:6: unexpected end of input, expected ',' or ']' after array element"),
        ("{\"a\": 1} x", "t.json:1:10: unexpected 'x' after the end of the JSON value"),
        ("[tru]", "t.json:1:2: invalid literal, expected 'true'"),
        ("nul", "t.json:1:1: invalid literal, expected 'null'"),
        ("NaN", "t.json:1:1: unexpected 'N', expected a value"),
        ("01", "t.json:1:1: leading zeros are not allowed in numbers"),
        ("-", "t.json:1:2: unexpected end of input, expected a digit after '-'"),
        ("1.", "t.json:1:3: unexpected end of input, expected a digit after '.'"),
        ("1.e5", "t.json:1:3: unexpected 'e', expected a digit after '.'"),
        ("1e+", "t.json:1:4: unexpected end of input, expected a digit in the exponent"),
        ("+1", "t.json:1:1: unexpected '+', expected a value"),
        ("1e400", "t.json:1:1: number 1e400 is too large for a double"),
        ("[-1e309]", "t.json:1:2: number -1e309 is too large for a double"),
        ("\"abc", "t.json:1:5: unterminated string (it starts at 1:1)"),
        ("\"a\\qb\"", "t.json:1:3: invalid escape \\q in a string"),
        ("\"\\u12G4\"", "t.json:1:2: invalid \\u escape: 'G' is not a hex digit"),
        ("\"\\u12\"", "t.json:1:2: truncated \\u escape"),
        ("\"\\ud800\"", "t.json:1:2: lone surrogate \\uD800 in a string"),
        ("\"\\udc00x\"", "t.json:1:2: lone surrogate \\uDC00 in a string"),
        ("\"a\tb\"", "t.json:1:3: control character U+0009 in a string; write it as an escape such as \\n"),
        ("\"line\nbreak\"", "t.json:1:6: control character U+000A in a string; write it as an escape such as \\n"),
        ("{\"k\": 1, \"k\": 2}", "t.json:1:10: duplicate key \"k\" (first at 1:2)"),
        ("// comment\n1", "t.json:1:1: unexpected '/', expected a value"),
        ("'single'", "t.json:1:1: unexpected ''', expected a value"),
    ]

    @Test(arguments: cases)
    func rejects(_ input: String, _ expected: String) {
        #expect(parseError(input)?.description == expected)
    }

    @Test func invalidUTF8NamesTheByteOffset() {
        // "ab" then a lone continuation byte inside a string, on line 2.
        var bytes = Array("{\n\"k\": \"ab".utf8)
        bytes.append(0x80)
        bytes += Array("\"}".utf8)
        #expect(throws: JSONError.self) { try JSONParser.parse(bytes, file: "u.json") }
        do {
            _ = try JSONParser.parse(bytes, file: "u.json")
        } catch {
            #expect(error.description == "u.json:2:9: invalid UTF-8 at byte offset 10 (byte 0x80)")
        }
    }

    @Test(arguments: [
        [0xC0, 0xAF],              // overlong '/'
        [0xED, 0xA0, 0x80],        // UTF-8 encoded surrogate
        [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
        [0xE2, 0x82],              // truncated sequence
        [0xFF],
    ] as [[UInt8]])
    func illFormedUTF8(_ sequence: [UInt8]) {
        let bytes = [UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")]
        let message = (try? JSONParser.parse(bytes, file: "x")).map { _ in "parsed" }
        #expect(message == nil)
        do {
            _ = try JSONParser.parse(bytes, file: "x")
        } catch {
            #expect(error.message.hasPrefix("invalid UTF-8 at byte offset 1"))
        }
    }

    @Test func nestingTooDeep() {
        let depth = JSONParser.maximumDepth + 1
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(parseError(text)?.description == "t.json:1:513: nesting deeper than 512 levels")
        // Far deeper input fails the same way instead of overflowing the stack.
        #expect(parseError(String(repeating: "{\"a\":", count: 100_000))?.message == "nesting deeper than 512 levels")
    }
}
