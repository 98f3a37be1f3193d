#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import TraceFormats
import Workload

/// `--format`, shared by every command that reads a trace.
struct TraceFormatOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Trace format; detected from the content when omitted.",
        discussion: "Known formats: \(TraceLoader.importers.map(\.name).joined(separator: ", ")).",
        valueName: "format"))
    var format: String?

    func validate() throws {
        if let format, TraceLoader.importer(named: format) == nil {
            throw ValidationError(
                "unknown format '\(format)'; known formats: \(TraceLoader.importers.map(\.name).joined(separator: ", "))")
        }
    }
}

/// Loading a trace for a command: on failure, every problem is printed to
/// standard error and the command exits with status 1.
enum TraceInput {
    /// Loads `path`, prints its warnings to standard error, and returns it;
    /// prints the error and throws `ExitCode.failure` when it cannot be loaded.
    static func loadOrExit(_ path: String, format: String?) throws -> LoadedTrace {
        switch load(path, format: format) {
        case .success(let trace):
            return trace
        case .failure(let lines):
            for line in lines { printError(line) }
            throw ExitCode.failure
        }
    }

    enum Outcome {
        case success(LoadedTrace)
        /// Lines to print, one problem per line, then a summary line.
        case failure([String])
    }

    /// Loads `path`; prints warnings, returns errors as lines instead of printing them.
    static func load(_ path: String, format: String?) -> Outcome {
        do {
            let trace = try TraceLoader.load(path: path, format: format)
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
