import OrderedCollections

/// A directed graph as a DOT file states it: nodes and edges with their
/// attributes (after applying `node [...]` / `edge [...]` defaults).
struct DOTGraph {
    struct Node {
        var attributes: [String: String]
        var place: String
    }

    struct Edge {
        var from: String
        var to: String
        var attributes: [String: String]
        var place: String
    }

    var name = ""
    /// Nodes in first-mention order.
    var nodes: OrderedDictionary<String, Node> = [:]
    var edges: [Edge] = []
}

/// Recursive-descent parser for the DOT subset graph tools write:
/// `[strict] digraph [name] { stmt* }` with node, edge (`a -> b -> c`),
/// attribute (`node [...]`, `edge [...]`, `graph [...]`, `k = v`) statements
/// and `subgraph` blocks, whose defaults are scoped to the block.
struct DOTParser {
    private var lexer: DOTLexer
    private var token: DOTLexer.Token
    private var graph = DOTGraph()
    private let file: String
    /// Node and edge defaults, one entry per open block.
    private var nodeDefaults: [[String: String]] = [[:]]
    private var edgeDefaults: [[String: String]] = [[:]]

    init(text: String, file: String) throws(TraceImportError) {
        self.lexer = DOTLexer(text, file: file)
        self.file = file
        self.token = DOTLexer.Token(kind: .end, text: "", line: 1, column: 1)
        self.token = try lexer.next()
    }

    private func error(_ message: String, at token: DOTLexer.Token) -> TraceImportError {
        TraceImportError(file: file, place: "line \(token.line), column \(token.column)", message)
    }

    private func describe(_ token: DOTLexer.Token) -> String {
        token.kind == .end ? "end of file" : "'\(token.text)'"
    }

    private mutating func advance() throws(TraceImportError) {
        token = try lexer.next()
    }

    private func isKeyword(_ word: String) -> Bool {
        token.kind == .identifier && token.text.lowercased() == word
    }

    private mutating func expect(_ punctuation: String, _ context: String) throws(TraceImportError) {
        guard token.kind == .punctuation && token.text == punctuation else {
            throw error("expected '\(punctuation)' \(context), found \(describe(token))", at: token)
        }
        try advance()
    }

    mutating func parse() throws(TraceImportError) -> DOTGraph {
        if isKeyword("strict") { try advance() }
        if isKeyword("graph") {
            throw error("undirected graph: a task graph must be a 'digraph' with '->' edges", at: token)
        }
        guard isKeyword("digraph") else {
            throw error("expected 'digraph', found \(describe(token))", at: token)
        }
        try advance()
        if token.kind == .identifier || token.kind == .quoted {
            graph.name = token.text
            try advance()
        }
        try expect("{", "to open the graph body")
        try statements()
        try expect("}", "to close the graph body")
        guard token.kind == .end else {
            throw error("unexpected \(describe(token)) after the end of the graph", at: token)
        }
        return graph
    }

    /// Statements until the closing brace (not consumed).
    private mutating func statements() throws(TraceImportError) {
        while !(token.kind == .punctuation && token.text == "}") {
            guard token.kind != .end else {
                throw error("file ends inside a '{ }' block (truncated file?)", at: token)
            }
            try statement()
            if token.kind == .punctuation && (token.text == ";" || token.text == ",") { try advance() }
        }
    }

    private mutating func statement() throws(TraceImportError) {
        if isKeyword("node") || isKeyword("edge") || isKeyword("graph") {
            let which = token.text.lowercased()
            try advance()
            let attributes = try attributeLists()
            switch which {
            case "node": nodeDefaults[nodeDefaults.count - 1].merge(attributes) { $1 }
            case "edge": edgeDefaults[edgeDefaults.count - 1].merge(attributes) { $1 }
            default: break  // graph attributes (labels, layout) carry nothing schedsim uses
            }
            return
        }
        if isKeyword("subgraph") || (token.kind == .punctuation && token.text == "{") {
            let start = token
            try subgraph()
            if token.kind == .arrow || token.kind == .undirected {
                throw error("edges to or from a subgraph are not supported; list the edges node by node", at: start)
            }
            return
        }
        guard token.kind == .identifier || token.kind == .quoted else {
            throw error("expected a node, edge or attribute statement, found \(describe(token))", at: token)
        }
        let first = token
        try advance()
        if token.kind == .punctuation && token.text == "=" {
            try advance()   // graph attribute `k = v`
            guard token.kind == .identifier || token.kind == .quoted else {
                throw error("expected a value after '=', found \(describe(token))", at: token)
            }
            try advance()
            return
        }
        try skipPort()
        var chain = [first]
        while token.kind == .arrow || token.kind == .undirected {
            if token.kind == .undirected {
                throw error("undirected edge '--': a task graph needs directed '->' edges", at: token)
            }
            try advance()
            guard token.kind == .identifier || token.kind == .quoted else {
                if isKeyword("subgraph") || (token.kind == .punctuation && token.text == "{") {
                    throw error("edges to or from a subgraph are not supported; list the edges node by node", at: token)
                }
                throw error("expected a node after '->', found \(describe(token))", at: token)
            }
            chain.append(token)
            try advance()
            try skipPort()
        }
        let attributes = try attributeLists()
        if chain.count == 1 {
            let place = "line \(first.line)"
            var merged = nodeDefaults.last ?? [:]
            merged.merge(attributes) { $1 }
            if var node = graph.nodes[first.text] {
                node.attributes.merge(attributes) { $1 }
                graph.nodes[first.text] = node
            } else {
                graph.nodes[first.text] = DOTGraph.Node(attributes: merged, place: place)
            }
            return
        }
        var merged = edgeDefaults.last ?? [:]
        merged.merge(attributes) { $1 }
        for node in chain where graph.nodes[node.text] == nil {
            graph.nodes[node.text] = DOTGraph.Node(attributes: nodeDefaults.last ?? [:], place: "line \(node.line)")
        }
        for i in 1..<chain.count {
            graph.edges.append(DOTGraph.Edge(
                from: chain[i - 1].text, to: chain[i].text, attributes: merged, place: "line \(chain[i - 1].line)"))
        }
    }

    /// `node:port[:compass]` — ports only matter for drawing.
    private mutating func skipPort() throws(TraceImportError) {
        while token.kind == .punctuation && token.text == ":" {
            try advance()
            guard token.kind == .identifier || token.kind == .quoted else {
                throw error("expected a port name after ':', found \(describe(token))", at: token)
            }
            try advance()
        }
    }

    /// Deepest subgraph nesting accepted; deeper input would exhaust the stack.
    static let maximumDepth = 256

    private mutating func subgraph() throws(TraceImportError) {
        guard nodeDefaults.count <= Self.maximumDepth else {
            throw error("subgraphs nested more than \(Self.maximumDepth) deep", at: token)
        }
        if isKeyword("subgraph") {
            try advance()
            if token.kind == .identifier || token.kind == .quoted { try advance() }
        }
        try expect("{", "to open the subgraph")
        nodeDefaults.append(nodeDefaults.last ?? [:])
        edgeDefaults.append(edgeDefaults.last ?? [:])
        try statements()
        nodeDefaults.removeLast()
        edgeDefaults.removeLast()
        try expect("}", "to close the subgraph")
    }

    /// Zero or more `[k=v, k=v; ...]` lists.
    private mutating func attributeLists() throws(TraceImportError) -> [String: String] {
        var attributes: [String: String] = [:]
        while token.kind == .punctuation && token.text == "[" {
            try advance()
            while !(token.kind == .punctuation && token.text == "]") {
                guard token.kind == .identifier || token.kind == .quoted else {
                    throw error("expected an attribute name or ']', found \(describe(token))", at: token)
                }
                let key = token.text
                try advance()
                try expect("=", "after attribute '\(key)'")
                guard token.kind == .identifier || token.kind == .quoted else {
                    throw error("expected a value for attribute '\(key)', found \(describe(token))", at: token)
                }
                attributes[key] = token.text
                try advance()
                if token.kind == .punctuation && (token.text == "," || token.text == ";") { try advance() }
            }
            try advance()
        }
        return attributes
    }
}
