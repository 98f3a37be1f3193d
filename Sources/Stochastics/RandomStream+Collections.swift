/// Random permutations and picks, drawn from a stream.
extension RandomStream {
    /// Shuffles `elements` in place with the Fisher–Yates algorithm in the same
    /// order of draws as GSL's `gsl_ran_shuffle`: for `i` from `count - 1` down
    /// to 1, swap element `i` with element `uniformInt(below: i + 1)`.
    ///
    /// Written in Swift (rather than calling `gsl_ran_shuffle` on raw memory)
    /// so that it works for any element type; the result is identical to
    /// `gsl_ran_shuffle` on the same stream, which the tests check.
    public func shuffle<C: MutableCollection & RandomAccessCollection>(_ elements: inout C) {
        let n = elements.count
        guard n > 1 else { return }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = uniformInt(below: i + 1)
            if i != j {
                elements.swapAt(
                    elements.index(elements.startIndex, offsetBy: i),
                    elements.index(elements.startIndex, offsetBy: j))
            }
        }
    }

    /// A shuffled copy of `elements`.
    public func shuffled<S: Sequence>(_ elements: S) -> [S.Element] {
        var copy = Array(elements)
        shuffle(&copy)
        return copy
    }

    /// One element picked uniformly at random, or nil if `elements` is empty
    /// (in which case no number is drawn).
    public func choice<C: Collection>(_ elements: C) -> C.Element? {
        guard !elements.isEmpty else { return nil }
        let offset = uniformInt(below: elements.count)
        return elements[elements.index(elements.startIndex, offsetBy: offset)]
    }
}
