import Foundation
import Testing
@testable import Stochastics

/// Streams depend on (seed, name) only, not on the process: the
/// `schedsim-stochastics-probe` executable is run in separate processes and
/// its output compared.
@Suite struct CrossProcessTests {
    static var probe: URL {
        ProcessSupport.productsDirectory.appendingPathComponent("schedsim-stochastics-probe")
    }

    func runProbe(_ arguments: [String]) throws -> String {
        let url = Self.probe
        try #require(FileManager.default.isExecutableFile(atPath: url.path),
                     "probe not built at \(url.path); run `swift build --product schedsim-stochastics-probe`")
        let output = try ProcessSupport.run(url, arguments)
        try #require(output.status == 0, "probe failed: \(output.standardError)")
        return output.standardOutput
    }

    @Test func sameSeedAndNameGiveSameOutputInTwoProcesses() throws {
        let first = try runProbe(["7", "workers", "16"])
        let second = try runProbe(["7", "workers", "16"])
        #expect(first == second)

        // And the child processes agree with this process.
        let stream = RandomStream(seed: 7, name: "workers")
        let lines = first.split(separator: "\n").map(String.init)
        #expect(lines[1] == "stream workers seed 7 gsl_seed 700533100")
        let drawn = lines.filter { $0.hasPrefix("u32 ") }
        #expect(drawn == (0..<16).map { _ in "u32 \(stream.nextUInt32())" })

        let distributions = stream.derived("distributions")
        let gammaLine = try #require(lines.first { $0.hasPrefix("gamma:") })
        // The probe draws constant, uniform, normal, lognormal and exponential
        // first from the same stream; replay them to reach the gamma draw.
        for spec in ["constant:1", "uniform:low=0.5,high=2", "normal:mean=1,sd=0.1",
                     "lognormal:mean=1,cv=0.5", "exponential:mean=2"] {
            _ = try Distribution.parse(spec).sample(distributions)
        }
        let gamma = Distribution.gamma(shape: 2, scale: 1).sample(distributions)
        #expect(gammaLine == "gamma:shape=2,scale=1 0x\(String(gamma.bitPattern, radix: 16)) \(gamma)")
    }

    @Test func differentNameOrSeedChangesProbeOutput() throws {
        let base = try runProbe(["7", "workers", "4"])
        let otherName = try runProbe(["7", "network", "4"])
        let otherSeed = try runProbe(["8", "workers", "4"])
        let draws: (String) -> [Substring] = { $0.split(separator: "\n").filter { $0.hasPrefix("u32 ") } }
        #expect(draws(base) != draws(otherName))
        #expect(draws(base) != draws(otherSeed))
        #expect(draws(base).count == 4)
    }

    @Test func probeRejectsBadArguments() throws {
        let output = try ProcessSupport.run(Self.probe, ["seven", "workers"])
        #expect(output.status == 2)
        #expect(output.standardError.hasPrefix(
            "schedsim-stochastics-probe: SEED must be an unsigned 64-bit integer, got 'seven'\n"))
        #expect(output.standardOutput.isEmpty)
    }
}
