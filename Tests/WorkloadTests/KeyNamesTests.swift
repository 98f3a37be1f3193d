import Testing
import Workload

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
}
