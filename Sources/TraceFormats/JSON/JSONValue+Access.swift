/// Typed accessors that throw a `JSONError` naming the value's location and path.
///
///     let tasks = try document["tasks"].array          // [JSONValue], each with path tasks[i]
///     let key = try tasks[3]["key"].string
///     let bytes = try tasks[3].optional("output_bytes")?.int64 ?? 0
extension JSONValue {
    func typeError(_ expected: String) -> JSONError {
        JSONError(location: location, path: path, message: "expected \(expected), got \(summary)")
    }

    /// An error about this value, located at it.
    public func error(_ message: String) -> JSONError {
        JSONError(location: location, path: path, message: message)
    }

    /// The member `key` of an object; throws if this is not an object or the key is missing.
    public subscript(key: String) -> JSONValue {
        get throws(JSONError) {
            guard let value = try optional(key) else {
                throw JSONError(location: location, path: path, message: "missing required field \(JSONText.quoted(key))")
            }
            return value
        }
    }

    /// The member `key` of an object, or `nil` when absent; throws if this is not an object.
    public func optional(_ key: String) throws(JSONError) -> JSONValue? {
        guard case .object(let members) = content else { throw typeError("an object") }
        for member in members where member.key == key {
            var value = member.value
            value.path = path.appending(key: key)
            return value
        }
        return nil
    }

    /// The members of an object in file order, each value carrying its path.
    public var members: [JSONMember] {
        get throws(JSONError) {
            guard case .object(let members) = content else { throw typeError("an object") }
            return members.map { member in
                var copy = member
                copy.value.path = path.appending(key: member.key)
                return copy
            }
        }
    }

    /// The elements of an array, each carrying its path.
    public var array: [JSONValue] {
        get throws(JSONError) {
            guard case .array(let items) = content else { throw typeError("an array") }
            return items.enumerated().map { i, item in
                var copy = item
                copy.path = path.appending(index: i)
                return copy
            }
        }
    }

    /// Shorthand for `try self[key].array`.
    public func array(at key: String) throws(JSONError) -> [JSONValue] { try self[key].array }

    public var string: String {
        get throws(JSONError) {
            guard case .string(let s) = content else { throw typeError("a string") }
            return s
        }
    }

    public var bool: Bool {
        get throws(JSONError) {
            guard case .bool(let b) = content else { throw typeError("true or false") }
            return b
        }
    }

    /// The number as a correctly rounded `Double`.
    public var double: Double {
        get throws(JSONError) {
            guard case .number(let literal) = content else { throw typeError("a number") }
            guard let value = Double(literal), value.isFinite else {
                throw error("number \(literal) does not fit in a double")
            }
            return value
        }
    }

    /// The number as an exact 64-bit integer. `1e3` and `1000.0` are accepted
    /// (they are integers written as doubles, as some tools do) when exact.
    public var int64: Int64 {
        get throws(JSONError) {
            guard case .number(let literal) = content else { throw typeError("an integer") }
            return try JSONValue.integer(fromLiteral: literal, location: location, path: path)
        }
    }

    /// `int64` narrowed to `Int`.
    public var int: Int {
        get throws(JSONError) {
            let value = try int64
            guard let narrowed = Int(exactly: value) else { throw error("integer \(value) is out of range") }
            return narrowed
        }
    }

    /// Parses an integer literal exactly; shared with the streaming trace reader.
    public static func integer(fromLiteral literal: String, location: JSONLocation, path: JSONPath?) throws(JSONError) -> Int64 {
        if let exact = Int64(literal) { return exact }
        let isIntegerSyntax = !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        if isIntegerSyntax {
            throw JSONError(location: location, path: path, message: "integer \(literal) does not fit in 64 bits")
        }
        // 2^53: beyond it a double no longer holds every integer, so `1e300` is not "an integer".
        if let value = Double(literal), value.rounded() == value, abs(value) <= 9_007_199_254_740_992 {
            return Int64(value)
        }
        throw JSONError(location: location, path: path, message: "expected an integer, got number \(literal)")
    }
}
