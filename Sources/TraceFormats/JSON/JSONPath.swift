/// A path from the top-level JSON value to a nested one, printed like
/// `tasks[12].dependencies[0]` or `metadata["odd key"]`.
///
/// Stored as a chain of shared nodes so that handing a child its path costs
/// one small allocation, not a copy of the whole path.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    final class Node: Sendable {
        let parent: Node?
        let component: Component
        init(parent: Node?, component: Component) {
            self.parent = parent
            self.component = component
        }
    }

    let node: Node?

    /// The top-level value.
    public static let root = JSONPath(node: nil)

    init(node: Node?) { self.node = node }

    /// A path built from components, first component outermost.
    public init(_ components: [Component]) {
        var node: Node? = nil
        for component in components { node = Node(parent: node, component: component) }
        self.node = node
    }

    public func appending(key: String) -> JSONPath {
        JSONPath(node: Node(parent: node, component: .key(key)))
    }

    public func appending(index: Int) -> JSONPath {
        JSONPath(node: Node(parent: node, component: .index(index)))
    }

    public var isRoot: Bool { node == nil }

    /// Outermost first.
    public var components: [Component] {
        var result: [Component] = []
        var cursor = node
        while let current = cursor {
            result.append(current.component)
            cursor = current.parent
        }
        return result.reversed()
    }

    /// `tasks[12].dependencies[0]`; the root prints as `(top level)`.
    public var description: String {
        if node == nil { return "(top level)" }
        var text = ""
        for component in components {
            switch component {
            case .index(let i):
                text += "[\(i)]"
            case .key(let key):
                if Self.isPlainName(key) {
                    text += text.isEmpty ? key : "." + key
                } else {
                    text += "[" + JSONText.quoted(key) + "]"
                }
            }
        }
        return text
    }

    public static func == (a: JSONPath, b: JSONPath) -> Bool { a.components == b.components }
    public func hash(into hasher: inout Hasher) { hasher.combine(components) }

    /// Keys that read unambiguously after a dot: letters, digits and `_`, not starting with a digit.
    static func isPlainName(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
        }
    }
}
