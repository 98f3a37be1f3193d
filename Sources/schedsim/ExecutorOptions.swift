#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Executor
import Messages
import Workload

/// Options shared by the real-executor commands (`scheduler`, `worker`, `submit`, `run`).
struct ExecutorSecurityOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Shared secret every connection must present in its hello (default: $SCHEDSIM_TOKEN, else none).",
        valueName: "token"))
    var token: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Largest frame accepted, in bytes.", valueName: "bytes"))
    var frameLimit: Int = WireCodec.defaultFrameLimit

    var resolvedToken: String {
        if let token { return token }
        if let env = getenv("SCHEDSIM_TOKEN") { return String(cString: env) }
        return ""
    }

    func validate() throws {
        if frameLimit < 1024 { throw ValidationError("--frame-limit must be at least 1024 bytes") }
    }
}

/// Parses sizes like `2GiB`, `512MB`, `1e9`, `0` (no limit) with the shared
/// parser (`Workload.ByteSize`), and refuses more than 1 PiB, the largest size
/// schedsim accepts anywhere.
func parseBytes(_ text: String, option: String) throws -> Int64 {
    guard let bytes = ByteSize.parse(text) else {
        throw ValidationError("\(option) '\(text)': expected a size such as 2GiB, 512MB or 1000000")
    }
    guard bytes <= 1 << 50 else {
        throw ValidationError("\(option) '\(text)': larger than 1 PiB (\(1 << 50) bytes)")
    }
    return bytes
}

/// Writes a line to standard output and flushes it at once (a parent process waits for it).
func printFlushed(_ line: String) {
    print(line)
    fflush(nil)
}
