// schedsim-stochastics-probe SEED NAME [COUNT]
//
// Prints the first COUNT (default 8) raw outputs of the stream NAME under run
// seed SEED, then one draw of each distribution kind from the derived stream
// NAME/distributions, as exact bit patterns. StochasticsTests runs this twice in
// separate processes and compares the output byte for byte.
import Stochastics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ message: String) -> Never {
    writeToStandardError("schedsim-stochastics-probe: \(message)\n")
    writeToStandardError("usage: schedsim-stochastics-probe SEED NAME [COUNT]\n")
    exit(2)
}

/// Writes to file descriptor 2 directly: Swift 6 rejects the C global `stderr`.
func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = write(2, &bytes, bytes.count)
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 2 || arguments.count == 3 else {
    fail("expected 2 or 3 arguments, got \(arguments.count)")
}
let seedText = arguments[arguments.startIndex]
guard let seed = UInt64(seedText) else {
    fail("SEED must be an unsigned 64-bit integer, got '\(seedText)'")
}
let name = arguments[arguments.startIndex + 1]
var count = 8
if arguments.count == 3 {
    let countText = arguments[arguments.startIndex + 2]
    guard let parsed = Int(countText), parsed >= 0 else {
        fail("COUNT must be a non-negative integer, got '\(countText)'")
    }
    count = parsed
}

let stream = RandomStream(seed: seed, name: name)
print("gsl \(GSLLibrary.version)")
print("stream \(stream.name) seed \(stream.seed) gsl_seed \(stream.gslSeed)")
for _ in 0..<count {
    print("u32 \(stream.nextUInt32())")
}
let specs = [
    "constant:1", "uniform:low=0.5,high=2", "normal:mean=1,sd=0.1", "lognormal:mean=1,cv=0.5",
    "exponential:mean=2", "gamma:shape=2,scale=1", "pareto:shape=3,scale=1",
    "weibull:scale=1,shape=1.5", "poisson:mean=4", "discrete:weights=1/2/3",
]
let distributionStream = stream.derived("distributions")
for spec in specs {
    do {
        let distribution = try Distribution.parse(spec)
        let value = distribution.sample(distributionStream)
        print("\(distribution) 0x\(String(value.bitPattern, radix: 16)) \(value)")
    } catch {
        fail("\(error)")
    }
}
