import Foundation
import Testing

/// `schedsim compare --shard I/N` and `schedsim merge`: the shards of a grid,
/// merged, are byte for byte the unsharded compare's summary.csv.
@Suite struct MergeCommandTests {
    static let outRoot = NSTemporaryDirectory() + "schedsim-merge-tests-\(getpid())"

    static func text(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static let grid = [
        "compare", "traces/native/diamond.json", "traces/stg/robot.stg", "--policies", "dask,random,round-robin",
        "--seeds", "1-2", "--cluster", "2x2", "--no-progress", "--jobs", "1",
    ]

    @Test func threeShardsMergeIntoTheLocalRun() throws {
        let whole = try CLI.run(Self.grid + ["--out", Self.outRoot + "/whole"])
        #expect(whole.status == 0, "\(whole.stderr)")
        var shardDirs: [String] = []
        for i in 1...3 {
            let dir = Self.outRoot + "/shard-\(i)"
            let r = try CLI.run(Self.grid + ["--shard", "\(i)/3", "--out", dir])
            #expect(r.status == 0, "\(r.stderr)")
            shardDirs.append(dir)
        }
        // 12 runs; shard 2 of 3 holds run_id 2, 5, 8, 11.
        let shard2 = Self.text(shardDirs[1] + "/summary.csv").split(separator: "\n").dropFirst()
        #expect(shard2.map { String($0.split(separator: ",")[0]) } == ["2", "5", "8", "11"])
        let merged = try CLI.run(["merge"] + shardDirs.reversed() + ["--expect", "12", "--out", Self.outRoot + "/merged"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let expected = Self.text(Self.outRoot + "/whole/summary.csv")
        #expect(expected.split(separator: "\n").count == 13)
        #expect(Self.text(Self.outRoot + "/merged/summary.csv") == expected)
    }

    @Test func missingAndDuplicateRunsAreNamed() throws {
        let dir = Self.outRoot + "/bad"
        try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        try "run_id,trace\n1,x\n3,y\n".write(toFile: dir + "/a/summary.csv", atomically: true, encoding: .utf8)
        try "run_id,trace\n3,z\n".write(toFile: dir + "/b/summary.csv", atomically: true, encoding: .utf8)
        let duplicate = try CLI.run(["merge", dir + "/a", dir + "/b", "--out", dir + "/m1"])
        #expect(duplicate.status != 0)
        #expect(duplicate.stderr.contains("b/summary.csv:2: run_id 3 also at"))
        let missing = try CLI.run(["merge", dir + "/a", "--expect", "3", "--out", dir + "/m2"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("run_id 2 of 1...3 is in no shard"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/m2/summary.csv"))
        let badShard = try CLI.run(Self.grid + ["--shard", "4/3", "--out", dir + "/s"])
        #expect(badShard.status != 0)
        #expect(badShard.stderr.contains("--shard '4/3': expected I/N with 1 <= I <= N"))
    }
}
