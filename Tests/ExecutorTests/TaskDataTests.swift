import Messages
import NIOCore
import Testing
import Workload
@testable import Executor

struct TaskDataTests {
    @Test func patternIsDeterministicAndKeyDependent() {
        let a = TaskData.make(key: "inc-1", nbytes: 37)
        let b = TaskData.make(key: "inc-1", nbytes: 37)
        let c = TaskData.make(key: "inc-2", nbytes: 37)
        #expect(a.readableBytes == 37)
        #expect(a == b)
        #expect(a != c)
        #expect(TaskData.checksum(a) == TaskData.expectedChecksum(key: "inc-1", nbytes: 37))
        #expect(TaskData.make(key: "k", nbytes: 0).readableBytes == 0)
    }

    /// Checksums pinned to values computed independently (a Python transcription of
    /// the documented FNV-1a seed, splitmix64 words and multiply-xor hash), so the
    /// writer, `checksum` and `scan` keep producing the same numbers on the wire.
    @Test func checksumValuesArePinned() {
        for (key, n, expected): (String, Int, UInt64) in [
            ("inc-1", 37, 0x1f1d_c925_8b05_3d42), ("x", 0, 0x243f_6a88_85a3_08d3), ("('sum', 0)", 16, 0x16cc_a934_3257_4775),
        ] {
            let made = TaskData.makeWithChecksum(key: key, nbytes: n)
            #expect(made.checksum == expected, "\(key)")
            #expect(TaskData.checksum(made.data) == expected, "\(key)")
            #expect(TaskData.scan(made.data, key: key) == (expected, true), "\(key)")
        }
    }

    @Test func verifyDetectsCorruptionTruncationAndSubstitution() {
        let good = TaskData.make(key: "x", nbytes: 100)
        let sum = TaskData.checksum(good)
        #expect(TaskData.verify(key: "x", expectedBytes: 100, item: DataItem(key: TaskID(0), checksum: sum, payload: good)) == nil)

        var flipped = good
        flipped.setInteger(flipped.getInteger(at: 50, as: UInt8.self)! ^ 1, at: 50)
        let corrupt = TaskData.verify(key: "x", expectedBytes: 100, item: DataItem(key: TaskID(0), checksum: sum, payload: flipped))
        #expect(corrupt?.contains("checksum mismatch") == true)

        let short = good.getSlice(at: 0, length: 99)!
        let truncated = TaskData.verify(key: "x", expectedBytes: 100,
                                        item: DataItem(key: TaskID(0), checksum: TaskData.checksum(short), payload: short))
        #expect(truncated == "key 'x': 99 bytes received, 100 expected")

        let other = TaskData.make(key: "y", nbytes: 100)
        let substituted = TaskData.verify(key: "x", expectedBytes: 100,
                                          item: DataItem(key: TaskID(0), checksum: TaskData.checksum(other), payload: other))
        #expect(substituted == "key 'x': content differs from the key's pattern")
    }

    @Test func linkShaperQueuesTransfersAtTheBandwidth() {
        var link = LinkShaper(bandwidth: 1_000_000, latency: .milliseconds(2))
        // 1 MB at 1 MB/s = 1 s, plus 2 ms latency.
        #expect(link.reserve(bytes: 1_000_000, now: .zero) == Time(nanoseconds: 1_002_000_000))
        // A second transfer at t = 0.5 s waits for the first: ends at 1.5 s.
        #expect(link.reserve(bytes: 500_000, now: Time(seconds: 0.5)) == Time(nanoseconds: 1_002_000_000))
        // Receiving: an idle link adds nothing; a second arrival right after the
        // first waits until the link has carried both.
        var receive = LinkShaper(bandwidth: 1_000_000, latency: .zero)
        #expect(receive.reserveArrival(bytes: 1_000_000, now: Time(seconds: 10)) == .zero)
        #expect(receive.reserveArrival(bytes: 500_000, now: Time(seconds: 10)) == Time(seconds: 0.5))
        var unlimited = LinkShaper(bandwidth: 0, latency: .zero)
        #expect(unlimited.reserve(bytes: 1 << 40, now: .zero) == .zero)
    }

    @Test func endpointsParseAndReportBadInput() throws {
        #expect(try Endpoint(parsing: "tcp://127.0.0.1:8786") == Endpoint(host: "127.0.0.1", port: 8786))
        #expect(try Endpoint(parsing: "localhost:0") == Endpoint(host: "localhost", port: 0))
        #expect(throws: WireError("address 'nope': expected HOST:PORT (e.g. 127.0.0.1:8786)")) { try Endpoint(parsing: "nope") }
        #expect(throws: WireError("address 'h:99999': port must be a number from 0 to 65535")) { try Endpoint(parsing: "h:99999") }
    }
}

struct TaskDataChecksumTests {
    /// The one-pass writer's checksum equals a separate pass over the bytes, for
    /// every tail length.
    @Test func onePassChecksumMatchesSeparatePass() {
        for n in 0..<20 {
            let made = TaskData.makeWithChecksum(key: "k-\(n)", nbytes: n)
            #expect(made.checksum == TaskData.checksum(made.data), "n = \(n)")
            #expect(TaskData.scan(made.data, key: "k-\(n)") == (made.checksum, true))
            #expect(TaskData.scan(made.data, key: "other").matchesPattern == (n == 0))
        }
    }
}
