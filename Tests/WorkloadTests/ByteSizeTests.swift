import Testing
import Workload

/// The one size parser behind `Units.bytes`, the scheduler settings and the executor flags.
@Suite struct ByteSizeTests {
    @Test(arguments: [
        ("1000", Int64(1000)), ("0", 0), ("4GiB", 4 << 30), ("4 gib", 4 << 30), ("500MB", 500_000_000),
        ("1.5kB", 1500), ("1e9", 1_000_000_000), ("2e3B", 2000), ("1TiB", 1 << 40), (" 7 b ", 7),
    ])
    func sizes(text: String, bytes: Int64) {
        #expect(ByteSize.parse(text) == bytes)
    }

    /// Issue 18: sizes past Int64 are refused, never trapped on (`Int64(Double)` traps at 2^63).
    @Test(arguments: ["1e30GB", "9.3e18", "9223372036854775807", "1e400", "inf", "nan", "-1", "-1kB", "5 parsecs", "", "GiB", "1e"])
    func refused(text: String) {
        #expect(ByteSize.parse(text) == nil)
    }

    @Test func theLargestThatFits() {
        #expect(ByteSize.parse("8EiB") == nil)
        #expect(ByteSize.parse("9e18") == 9_000_000_000_000_000_000)
    }
}
