import Testing
@testable import Workload

@Suite struct KeyNamesTests {
    /// The examples of Dask's `key_split` docstring, plus behaviours of its code
    /// that traces hit (tuple keys with tokens, the 8-letter rule).
    @Test(arguments: [
        ("x", "x"),
        ("x-1", "x"),
        ("x-1-2-3", "x"),
        ("('x-2', 1)", "x"),
        ("('x', 1)", "x"),
        ("hello-world-1", "hello-world"),
        ("ae05086432ca935f6eba409a8ecd4896", "data"),
        ("<module.submodule.myclass object at 0xdaf372", "myclass"),
        ("x-abcdefab", "x"),
        ("_(x)", "x"),
        // Dask only checks the first letter of an 8-letter word against [a-f].
        ("x-feedback", "x"),
        ("x-zucchini", "x-zucchini"),
        ("x-abcdefabc", "x-abcdefabc"),
        ("('sum-8b3e0f1a2c4d5e6f7a8b9c0d1e2f3a4b', 3)", "sum"),
        ("('chunk_sum-f8f2a1b3', 2, 1, 1)", "chunk_sum"),
        ("finalize-hlgfinalizecompute-1f2e3d4c5b6a79880123456789abcdef", "finalize-hlgfinalizecompute"),
        ("inc-7f3e", "inc"),
        ("", "Other"),
        ("-x", "Other"),
    ])
    func keySplit(_ key: String, _ prefix: String) {
        #expect(KeyNames.keySplit(key) == prefix)
    }

    @Test(arguments: [
        ("('x-abc', 3)", "x-abc"),
        ("('sum-8b3e0f1a2c4d5e6f7a8b9c0d1e2f3a4b', 3)", "sum-8b3e0f1a2c4d5e6f7a8b9c0d1e2f3a4b"),
        ("inc-7f3e", "inc"),
        ("ae05086432ca935f6eba409a8ecd4896", "data"),
        ("<module.thing object at 0x1>", "thing"),
    ])
    func keySplitGroup(_ key: String, _ group: String) {
        #expect(KeyNames.keySplitGroup(key) == group)
    }

    @Test func taskSpecUsesThemUnlessOverridden() {
        let plain = TaskSpec(key: "('load-7f3e', 0)")
        #expect(plain.prefix == "load" && plain.group == "load-7f3e")
        let custom = TaskSpec(key: "('load-7f3e', 0)", prefix: "p", group: "g")
        #expect(custom.prefix == "p" && custom.group == "g")
    }

    /// The byte-level fast path and the Character-based reference agree on
    /// seeded random keys built from the characters the rules care about.
    @Test func asciiFastPathAgreesWithTheReference() {
        let alphabet = Array("abcdefghxyzABF0189-_'(),\" <>.".utf8)
        var state: UInt64 = 12345
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        var disagreements: [String] = []
        for _ in 0..<10_000 {
            let length = next() % 40
            var bytes: [UInt8] = []
            for _ in 0..<length { bytes.append(alphabet[next() % alphabet.count]) }
            // Now and then, shape it like a Dask key: word-8letters or a 32-hex token.
            switch next() % 4 {
            case 0: bytes = Array("x-".utf8) + Array("abcdefab".utf8.shuffledDeterministically(next)) + bytes
            case 1: bytes = (0..<32).map { _ in Array("0123456789abcdef".utf8)[next() % 16] } + bytes.prefix(3)
            default: break
            }
            let key = String(decoding: bytes, as: UTF8.self)
            if KeyNames.keySplit(key) != KeyNames.keySplitUnicode(key)
                || KeyNames.keySplitGroup(key) != KeyNames.keySplitGroupUnicode(key) {
                disagreements.append(key)
            }
        }
        #expect(disagreements.isEmpty, "first disagreements: \(disagreements.prefix(5))")
        // Non-ASCII keys go to the reference version.
        #expect(KeyNames.keySplit("é-x-1") == "é-x")
        #expect(KeyNames.keySplit("('ä-1', 0)") == "ä")
    }
}

extension Sequence {
    /// A permutation driven by the caller's generator (no global randomness).
    func shuffledDeterministically(_ next: () -> Int) -> [Element] {
        var items = Array(self)
        if items.count < 2 { return items }
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, next() % (i + 1)) }
        return items
    }
}
