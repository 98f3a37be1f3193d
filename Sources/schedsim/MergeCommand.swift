import ArgumentParser
import Foundation
import Recording

/// `schedsim merge`: join the `summary.csv` files of `compare --shard` runs into the
/// `summary.csv` one unsharded `compare` writes.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the summary.csv of compare shards (--shard I/N) into one summary.csv, in run_id order.",
        discussion: """
            Each argument is a shard's output folder (or its summary.csv). All must have the same \
            header; every run_id must appear once. The rows are written in run_id order, so merging \
            the N shards of a grid gives byte for byte the summary.csv of the same compare run \
            without --shard. With --expect N, a missing run_id between 1 and N is an error.

            Example:
              schedsim compare t.json --policies dask,heft --seeds 1-4 --shard 1/2 --out s1
              schedsim compare t.json --policies dask,heft --seeds 1-4 --shard 2/2 --out s2
              schedsim merge s1 s2 --out all
            """
    )

    @Argument(help: ArgumentHelp("Shard folders (or summary.csv files).", valueName: "shard"))
    var shards: [String]

    @Option(help: ArgumentHelp("Output folder for the merged summary.csv.", valueName: "dir"))
    var out = "merge-out"

    @Option(parsing: .unconditional, help: ArgumentHelp("The grid's number of runs: every run_id 1...N must be present.", valueName: "n"))
    var expect: Int?

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give at least one shard folder") }
        if let expect, expect < 1 { throw ValidationError("--expect must be >= 1") }
    }

    func run() throws {
        var header: String?
        var rows: [(id: Int, line: String, place: String)] = []
        for shard in shards {
            let path = shard.hasSuffix(".csv") ? shard : shard + "/summary.csv"
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                printError("\(path): cannot read this file")
                throw ExitStatus.badInput.code
            }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            guard let first = lines.first, first.hasPrefix("run_id,") else {
                printError("\(path):1: expected a compare summary.csv starting with 'run_id,'")
                throw ExitStatus.badInput.code
            }
            if let header, header != first {
                printError("\(path):1: header differs from \(shards[0])'s; shards of one grid have the same columns")
                throw ExitStatus.badInput.code
            }
            header = first
            for (offset, line) in lines.dropFirst().enumerated() {
                let place = "\(path):\(offset + 2)"
                guard let comma = line.firstIndex(of: ","), let id = Int(line[..<comma]), id >= 1 else {
                    printError("\(place): expected a run_id (an integer >= 1) as the first field")
                    throw ExitStatus.badInput.code
                }
                rows.append((id, line, place))
            }
        }
        // Equal ids keep their reading order (shard order, then line), so the duplicate named is the later one.
        rows = rows.enumerated().sorted { ($0.element.id, $0.offset) < ($1.element.id, $1.offset) }.map(\.element)
        for (a, b) in zip(rows, rows.dropFirst()) where a.id == b.id {
            printError("\(b.place): run_id \(b.id) also at \(a.place); a run is in two shards")
            throw ExitStatus.badInput.code
        }
        if let expect {
            let present = Set(rows.map(\.id))
            if let missing = (1...expect).first(where: { !present.contains($0) }) {
                printError("run_id \(missing) of 1...\(expect) is in no shard")
                throw ExitStatus.badInput.code
            }
            if let extra = rows.last, extra.id > expect {
                printError("\(extra.place): run_id \(extra.id) is larger than --expect \(expect)")
                throw ExitStatus.badInput.code
            }
        }
        let text = ([header ?? ""] + rows.map(\.line)).joined(separator: "\n") + "\n"
        do {
            try AtomicFile.makeDirectory(out)
            try AtomicFile.write(text, to: out + "/summary.csv")
        } catch {
            printError("\(error)")
            throw ExitStatus.other.code
        }
        print("merged \(rows.count) runs from \(shards.count) shard(s) into \(out)/summary.csv")
    }
}
