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
        "Shared secret every connection must present in its hello (default: $SCHEDSIM_TOKEN, else none; run and validate generate a random one).",
        valueName: "token"))
    var token: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Largest frame accepted, in bytes (before a connection's hello is accepted: at most 64 KiB).", valueName: "bytes"))
    var frameLimit: Int = WireCodec.defaultFrameLimit

    @Option(name: .long, help: ArgumentHelp("Close an incoming connection whose hello has not been accepted after this many seconds.", valueName: "seconds"))
    var handshakeTimeout: Double = ConnectionLimits.defaultHandshakeTimeout.seconds

    @Option(name: .long, help: ArgumentHelp("Close a connection that sends nothing for this many seconds in the middle of a frame.", valueName: "seconds"))
    var stallTimeout: Double = ConnectionLimits.defaultStallTimeout.seconds

    var resolvedToken: String {
        if let token { return token }
        if let env = getenv("SCHEDSIM_TOKEN") { return String(cString: env) }
        return ""
    }

    /// For `run` and `validate`, which start every process themselves: `--token`, else
    /// `$SCHEDSIM_TOKEN`, else a fresh random token, so no other local process can
    /// join the cluster or read its data by default. `--token ''` turns it off.
    var clusterToken: String {
        if let token { return token }
        if let env = getenv("SCHEDSIM_TOKEN") { return String(cString: env) }
        return randomToken()
    }

    /// The flags a child process of `run` gets so that it has the same limits.
    var childArguments: [String] {
        ["--frame-limit", String(frameLimit), "--handshake-timeout", String(handshakeTimeout), "--stall-timeout", String(stallTimeout)]
    }

    func validate() throws {
        if frameLimit < 1024 { throw ValidationError("--frame-limit must be at least 1024 bytes") }
        for (name, value) in [("--handshake-timeout", handshakeTimeout), ("--stall-timeout", stallTimeout)] {
            // Positive, and at most a day so the nanosecond timer cannot overflow.
            if !(value > 0) || value > 86_400 { throw ValidationError("\(name) must be a number of seconds above 0 and at most 86400") }
        }
    }
}

/// 32 hex digits (128 bits) from the system's secure generator.
func randomToken() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<2).map { _ in
        let hex = String(generator.next() as UInt64, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }.joined()
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
