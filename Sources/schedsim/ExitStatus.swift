import ArgumentParser

/// Every exit status `schedsim` uses, in one place (docs/cli.md#exit-status), so
/// that a script can tell a typo from a bad file from a run that went wrong.
/// The numbers follow sysexits(3) where one fits.
enum ExitStatus: Int32, CaseIterable {
    /// Anything else: a file that cannot be written, a process that cannot start,
    /// a real run that received corrupt data.
    case other = 1
    /// The simulation did not complete (failed, stalled, stopped at a limit) or
    /// broke an invariant; a real run whose wanted results did not all arrive
    /// (erred, or lost with a scattered input).
    case runFailed = 2
    /// Bad flags or arguments (sysexits EX_USAGE; ArgumentParser's `ValidationError`
    /// exits with this too).
    case usage = 64
    /// An unreadable or malformed input: a trace, cluster, scenario, capture,
    /// measurements or log file (sysexits EX_DATAERR).
    case badInput = 65
    /// Stopped by Ctrl-C (128 + SIGINT, as a shell reports it).
    case interrupted = 130

    /// What to throw from a command's `run()` to exit with this status.
    var code: ExitCode { ExitCode(rawValue) }
}
