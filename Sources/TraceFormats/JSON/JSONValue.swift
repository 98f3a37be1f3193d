/// One parsed JSON value with the place it came from.
///
/// Numbers keep their literal text, so an integer up to `Int64.max` is read
/// exactly and a double is converted once, correctly rounded, when asked for.
/// Object members keep the order of the file. Duplicate keys in one object are
/// a syntax error (a trace with two `"duration"` fields is ambiguous).
///
/// Values produced by the parser have the root path; the typed accessors in
/// `JSONValue+Access.swift` hand out children that know their path, so their
/// errors read `tasks[12].dependencies[0]: expected a string, got number 3`.
public struct JSONValue: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case null, bool, number, string, array, object
    }

    public enum Content: Sendable, Hashable {
        case null
        case bool(Bool)
        /// The number as written in the file (`-12`, `1.5e3`), already checked against JSON's grammar.
        case number(String)
        case string(String)
        case array([JSONValue])
        case object([JSONMember])
    }

    public var content: Content
    public var location: JSONLocation
    public var path: JSONPath

    public init(_ content: Content, location: JSONLocation, path: JSONPath = .root) {
        self.content = content
        self.location = location
        self.path = path
    }

    public var kind: Kind {
        switch content {
        case .null: .null
        case .bool: .bool
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    public var isNull: Bool { if case .null = content { true } else { false } }

    /// A short description for error messages: `number 3`, `string "abc"`, `an array`.
    public var summary: String {
        switch content {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let literal): return "number \(literal)"
        case .string(let s):
            let shown = s.count > 40 ? String(s.prefix(40)) + "…" : s
            return "string " + JSONText.quoted(shown)
        case .array(let items): return "an array of \(items.count)"
        case .object: return "an object"
        }
    }

    /// Structural equality: content only (location and path are ignored).
    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.content == b.content }
    public func hash(into hasher: inout Hasher) { hasher.combine(content) }
}

/// One `"key": value` member of an object.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var keyLocation: JSONLocation
    public var value: JSONValue

    public init(key: String, keyLocation: JSONLocation, value: JSONValue) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }

    public static func == (a: JSONMember, b: JSONMember) -> Bool { a.key == b.key && a.value == b.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(key); hasher.combine(value) }
}
