/// Where a JSON value starts in its input: 1-based line and column, and the
/// 0-based byte offset. Columns count bytes (as compilers do), so a line with
/// non-ASCII text before the value reports a column a little to the right of
/// what an editor counting characters shows.
public struct JSONLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int32
    public var column: Int32
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = Int32(clamping: line)
        self.column = Int32(clamping: column)
        self.offset = offset
    }

    /// `line:column`, the form editors and compilers use.
    public var description: String { "\(line):\(column)" }
}
