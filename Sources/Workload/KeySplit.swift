/// Dask's key naming rules, so prefixes and groups in our logs match Dask's.
///
/// Tuple keys such as `('sum-abc123', 3)` are carried as their Python `repr`
/// string; the rules below give the same answers on that string as Dask gives
/// on the tuple.
public enum KeyNames {
    /// Dask's `dask.utils.key_split`: the task *prefix*.
    ///
    ///     keySplit("x")                                -> "x"
    ///     keySplit("x-1")                              -> "x"
    ///     keySplit("('x-2', 1)")                       -> "x"
    ///     keySplit("hello-world-1")                    -> "hello-world"
    ///     keySplit("_(x)")                             -> "x"
    ///     keySplit("x-abcdefab")                       -> "x"   (8 letters starting with a-f end the name)
    ///     keySplit("<module.thing object at 0x1>")     -> "thing"
    ///     keySplit("a9f3c1d2e4b5a6978877665544332211") -> "data"  (32 hex digits)
    ///
    /// ASCII keys (nearly all) take a byte-level path that allocates nothing
    /// for short prefixes; it gives the same answers as `keySplitUnicode`,
    /// which handles the rest (see `KeyNames+ASCII.swift`).
    public static func keySplit(_ key: String) -> String {
        if let fast = asciiKeySplit(key) { return fast }
        return keySplitUnicode(key)
    }

    /// `keySplit` on `Character`s: the reference version, for any key.
    static func keySplitUnicode(_ key: String) -> String {
        let words = key.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = words.first, let head = first.first else { return "Other" }
        var result: String
        if head.isLetter {
            result = String(first)
        } else {
            let beforeComma = first.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            result = String(beforeComma).trimmingCharacters(in: "_'()\"")
        }
        for word in words.dropFirst() {
            // Dask tests 8-letter words with `re.compile("[a-f]+").match`, which only
            // looks at the first letter: "x-feedback" and "x-abcdefab" both end at "x".
            if isAlpha(word) && !(word.count == 8 && startsWithHexLetter(word)) {
                result += "-" + word
            } else {
                break
            }
        }
        if result.utf8.count == 32 && isHex(Substring(result)) {
            return "data"
        }
        if result.first == "<" {
            let inner = result.trimmingCharacters(in: "<>")
            let firstWord = inner.split(separator: " ").first.map(String.init) ?? inner
            result = firstWord.split(separator: ".").last.map(String.init) ?? firstWord
        }
        return result.isEmpty ? "Other" : result
    }

    /// Dask's `key_split_group`: the task *group*. For a tuple key it is the
    /// first element (`('x-abc', 3)` -> `x-abc`); for a string key it is the
    /// prefix, so repeated `submit(inc)` calls share one group.
    public static func keySplitGroup(_ key: String) -> String {
        if let fast = asciiKeySplitGroup(key) { return fast }
        return keySplitGroupUnicode(key)
    }

    /// `keySplitGroup` on `Character`s: the reference version, for any key.
    static func keySplitGroupUnicode(_ key: String) -> String {
        if key.hasPrefix("(") {
            let beforeComma = key.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let group = String(beforeComma).trimmingCharacters(in: "()\"'")
            return group.isEmpty ? keySplit(key) : group
        }
        return keySplitUnicode(key)
    }

    private static func isAlpha(_ word: Substring) -> Bool {
        !word.isEmpty && word.allSatisfy { $0.isLetter }
    }

    private static func startsWithHexLetter(_ word: Substring) -> Bool {
        guard let first = word.utf8.first else { return false }
        return (0x61...0x66).contains(first)
    }

    private static func isHex(_ word: Substring) -> Bool {
        word.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

extension String {
    /// Trims every leading and trailing character that appears in `set`
    /// (Python's `str.strip(chars)`).
    @usableFromInline
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var start = startIndex
        var end = endIndex
        while start < end, chars.contains(self[start]) { start = index(after: start) }
        while end > start, chars.contains(self[index(before: end)]) { end = index(before: end) }
        return String(self[start..<end])
    }
}
