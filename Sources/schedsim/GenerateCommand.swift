import ArgumentParser
import Stochastics
import TraceFormats
import Workload

/// `schedsim generate KIND --seed S ... -o OUT`: write a synthetic workload.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic workload (dask.array/dataframe shapes, random DAG families, Estee graphs).",
        discussion: """
            Kinds and their parameters (defaults shown; pass as --param NAME=VALUE):
            \(GeneratorCatalog.entries.map { "  \($0.kind): \($0.summary)\n      \($0.parameters)" }.joined(separator: "\n"))

            Durations (seconds) and output sizes (bytes) are drawn from --duration and --size, \
            any distribution spec (constant:1, lognormal:mean=1,cv=0.5, exponential:mean=2, \
            uniform:low=0.5,high=2, gamma:shape=2,scale=1, ...). The same kind, parameters, \
            distributions and seed always give the same file.

            Examples:
              schedsim generate array-sum --seed 1 --param blocks=16 -o sum.json
              schedsim generate layered --seed 7 --param tasks=1000 --param layers=20 \\
                  --duration lognormal:mean=1,cv=0.5 -o layered.json.gz
              schedsim generate elementary --param graph=merge_triplets -o mt.json
            """
    )

    @Argument(help: ArgumentHelp("What to generate: \(GeneratorCatalog.kinds.joined(separator: ", ")).", valueName: "kind"))
    var kind: String

    // `.unconditional`: `--seed -1` is read as a value (and refused by UInt64) rather than as an unknown flag.
    @Option(parsing: .unconditional, help: "Seed of the random streams, 0...2^64-1.", transform: SimulationFlags.seed)
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Distribution of task durations in seconds.", valueName: "spec"))
    var duration: String = "constant:1"

    @Option(help: ArgumentHelp("Distribution of output sizes in bytes.", valueName: "spec"))
    var size: String = "constant:1000000"

    @Option(name: .customLong("param"), help: ArgumentHelp("A shape parameter NAME=VALUE (repeatable).", valueName: "name=value"))
    var parameters: [String] = []

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Native trace to write (.json or .json.gz).", valueName: "out"))
    var output: String

    func run() throws {
        var request = GeneratorRequest(kind: kind, seed: seed)
        do {
            request.duration = try Distribution.parse(duration)
            request.size = try Distribution.parse(size)
        } catch {
            printError("schedsim generate: \(error)")
            throw ExitStatus.usage.code
        }
        for parameter in parameters {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                printError("schedsim generate: --param '\(parameter)' is not NAME=VALUE")
                throw ExitStatus.usage.code
            }
            request.parameters[String(parts[0])] = String(parts[1])
        }
        let workload: Workload
        // A request the generator refuses is a bad flag (64); a file that cannot be written is not (1).
        do { workload = try GeneratorCatalog.generate(request) } catch {
            printError("\(error)")
            throw ExitStatus.usage.code
        }
        do { try NativeTraceWriter.write(workload, to: output) } catch {
            printError("\(error)")
            throw ExitStatus.other.code
        }
        printError("\(output): wrote \(workload.count) tasks, \(workload.edgeCount) edges (\(request.summary))")
    }
}
