import Testing
@testable import TraceFormats

/// A tiny seeded generator (SplitMix64), so the fuzz inputs are the same on every run.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

@Suite struct JSONFuzzTests {
    static let seedDocument = """
    {"format": "schedsim-trace", "version": 1, "name": "fuzz",
     "metadata": {"origin": "h\\u00e9llo \\"q\\"", "n": "3"},
     "tasks": [
      {"key": "('x-0', 0)", "duration": 1.5e-3, "output_bytes": 1000, "annotations": {"é": "ü"}},
      {"key": "sum-1", "duration": 0.25, "output_bytes": 8, "dependencies": ["('x-0', 0)"], "dependency_bytes": [12]},
      {"key": "big", "duration": 12345678901234567890, "restrictions": {"workers": ["w1"], "loose": true}, "actor": false}
     ],
     "nested": [[[[{"deep": [null, true, false, -0.0, 1E+2]}]]]]
    }
    """

    /// Thousands of seeded mutations of a valid document: every one must either
    /// parse or throw a `JSONError` with a location inside the input; none may crash or hang.
    @Test func mutatedInputsNeverCrash() {
        let original = Array(Self.seedDocument.utf8)
        let interesting: [UInt8] = Array("{}[]\",:\\-+.eE0123456789tfnu \n".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xE2, 0xF0, 0xFF]
        var rng = SplitMix64(state: 20_261_127)
        var parsed = 0
        var rejected = 0
        var loaded = 0
        for _ in 0..<4000 {
            var bytes = original
            for _ in 0..<(1 + rng.below(4)) {
                let at = rng.below(bytes.count)
                switch rng.below(5) {
                case 0: bytes[at] = interesting[rng.below(interesting.count)]
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(interesting[rng.below(interesting.count)], at: at)
                case 3: bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.below(20)))
                default: bytes = Array(bytes[0..<at])  // truncation
                }
                if bytes.isEmpty { break }
            }
            // The whole loader (detection, native reader, builder) must also survive every input.
            if let trace = try? TraceLoader.load(bytes: bytes, path: "fuzz.json") {
                loaded += 1
                // Whatever loads must write and read back the same.
                let again = NativeTraceWriter.encode(trace.workload)
                #expect((try? NativeTraceReader.read(bytes: again, path: "again.json"))
                    .map { NativeTraceWriter.encode($0.workload) == again } == true)
            }
            do {
                let value = try JSONParser.parse(bytes, file: "fuzz.json")
                _ = value.kind
                parsed += 1
            } catch {
                #expect(error.location.offset <= bytes.count)
                #expect(error.location.line >= 1 && error.location.column >= 1)
                rejected += 1
            }
        }
        // Both outcomes occur, so the test exercises the error paths and the success path.
        #expect(parsed > 50)
        #expect(rejected > 2000)
        #expect(loaded > 10)
    }
}
