/// Walking big containers one member at a time, without building a tree.
extension JSONParser {
    /// Reads an object member by member. `body` gets the key and its location
    /// and must consume exactly the member's value (`parseValue`, `skipValue`,
    /// or a nested `forEach…`). Duplicate keys are rejected.
    public mutating func forEachMember(
        _ body: (inout JSONParser, _ key: String, _ keyLocation: JSONLocation) throws -> Void
    ) throws {
        guard peek() == UInt8(ascii: "{") else { throw unexpected("expected an object") }
        try enterContainer()
        position += 1
        var keys: [String] = []
        var keyLocations: [JSONLocation] = []
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else {
                throw unexpected(keys.isEmpty ? "expected a string key or '}'" : "expected a string key after ','")
            }
            let keyLocation = location
            let key = try parseString()
            if let first = keys.firstIndex(of: key) {
                throw error("duplicate key \(JSONText.quoted(key)) (first at \(keyLocations[first]))", at: keyLocation)
            }
            keys.append(key)
            keyLocations.append(keyLocation)
            guard peek() == UInt8(ascii: ":") else { throw unexpected("expected ':' after object key") }
            position += 1
            try body(&self, key, keyLocation)
            if try continueOrClose(UInt8(ascii: "}"), else: "expected ',' or '}' after object member") { return }
        }
    }

    /// Reads an array element by element. `body` gets the index and must
    /// consume exactly one value.
    public mutating func forEachElement(_ body: (inout JSONParser, _ index: Int) throws -> Void) throws {
        guard peek() == UInt8(ascii: "[") else { throw unexpected("expected an array") }
        try enterContainer()
        position += 1
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return
        }
        var index = 0
        while true {
            if peek() == nil { throw unexpected("expected a value") }
            try body(&self, index)
            index += 1
            if try continueOrClose(UInt8(ascii: "]"), else: "expected ',' or ']' after array element") { return }
        }
    }
}
