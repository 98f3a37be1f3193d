#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Simulation
import TraceFormats
import Workload

/// `--format`, shared by every command that reads a trace.
struct TraceFormatOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Trace format; detected from the content when omitted.",
        discussion: "Known formats: \(TraceLoader.importers.map(\.name).joined(separator: ", ")).",
        valueName: "format"))
    var format: String?

    @Option(name: .long, help: ArgumentHelp(
        "How edges that read part of a producer's output are run: split or whole.",
        discussion: """
            split (default; convert: whole): each distinct part a producer's consumers read becomes a \
            zero-duration selection task (prefix 'part') on the producer's output, as Dask's getitem on a \
            tuple result, so only the part moves. whole: the graph as written; consumers fetch the \
            producer's whole output_bytes (schedsim's behaviour before partial reads were split).
            """,
        valueName: "mode"))
    var partialReads: String?

    @Option(name: .customLong("max-input-bytes"), parsing: .unconditional, help: ArgumentHelp(
        "Refuse a trace larger than this once decompressed (default 8GiB).",
        discussion: "A size like 8GiB or 500MB. Guards against decompression bombs and endless files (docs/cli.md#limits).",
        valueName: "size"))
    var maxInputBytes: String?

    /// `--max-input-bytes` in bytes (validated in `validate()`).
    var maxInputBytesValue: Int {
        maxInputBytes.flatMap(Units.bytes).map { Int($0) } ?? InputLimits.defaultMaxInputBytes
    }

    /// `--partial-reads`, or `fallback` when it is not given.
    func partialReadsMode(default fallback: PartialReads = .split) -> PartialReads {
        partialReads.flatMap(PartialReads.init(rawValue:)) ?? fallback
    }

    func validate() throws {
        if let format, TraceLoader.importer(named: format) == nil {
            throw ValidationError(
                "unknown format '\(format)'; known formats: \(TraceLoader.importers.map(\.name).joined(separator: ", "))")
        }
        if let maxInputBytes {
            guard let value = Units.bytes(maxInputBytes), value >= 1, value <= Int64(InputLimits.largestMaxInputBytes) else {
                throw ValidationError("--max-input-bytes '\(maxInputBytes)' is not a size in 1B...1TiB like 8GiB")
            }
        }
        if let partialReads, PartialReads(rawValue: partialReads) == nil {
            throw ValidationError(
                "unknown --partial-reads '\(partialReads)'; expected \(PartialReads.allCases.map(\.rawValue).joined(separator: " or "))")
        }
    }
}

/// Loading a trace for a command: on failure, every problem is printed to
/// standard error and the command exits with `ExitStatus.badInput` (65).
enum TraceInput {
    /// Loads `path`, prints its warnings to standard error, and returns it;
    /// prints the error and throws `ExitStatus.badInput` when it cannot be loaded.
    static func loadOrExit(_ path: String, format: String?, partialReads: PartialReads,
                           maxInputBytes: Int = InputLimits.defaultMaxInputBytes) throws -> LoadedTrace {
        switch load(path, format: format, partialReads: partialReads, maxInputBytes: maxInputBytes) {
        case .success(let trace):
            return trace
        case .failure(let lines):
            for line in lines { printError(line) }
            throw ExitStatus.badInput.code
        }
    }

    enum Outcome {
        case success(LoadedTrace)
        /// Lines to print, one problem per line, then a summary line.
        case failure([String])
    }

    /// Loads `path`; prints warnings, returns errors as lines instead of printing them.
    /// This is the one place every command's trace goes through, so partial
    /// reads are split (or not) here for all of them alike.
    static func load(_ path: String, format: String?, partialReads: PartialReads,
                     maxInputBytes: Int = InputLimits.defaultMaxInputBytes) -> Outcome {
        do {
            let trace = try TraceLoader.load(path: path, format: format, maxInputBytes: maxInputBytes).withPartialReads(partialReads)
            for warning in trace.warnings { printError("\(warning)") }
            return .success(trace)
        } catch let error as WorkloadValidationError {
            let count = error.issues.count
            return .failure(error.issues.map { "\(error.source): \($0)" }
                + ["\(error.source): \(count) problem\(count == 1 ? "" : "s") found"])
        } catch {
            return .failure(["\(error)"])
        }
    }
}

/// Writes one line to standard error (diagnostics never mix with command output).
func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
            let n = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if n <= 0 { return }
            offset += n
        }
    }
}
