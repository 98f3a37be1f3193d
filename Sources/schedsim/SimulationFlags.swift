import ArgumentParser
import Simulation

/// The checks on the simulation flags `replay` and `compare` share, so that no
/// flag value can make a run trap or run away (issue 18), and both commands word
/// a refusal the same way: the flag, the value, the limit (docs/cli.md#limits).
enum SimulationFlags {
    /// `--noise-cv`: a number in 0...10.
    static func checkNoiseCV(_ cv: Double) throws {
        guard cv >= 0, cv <= SimulationLimits.maximumNoiseCV else {
            throw ValidationError("--noise-cv \(cv): expected a number from 0 to \(Int(SimulationLimits.maximumNoiseCV))")
        }
    }

    /// `--sample-interval`: 0 (no samples) or at least 1 µs; the period in nanoseconds.
    @discardableResult
    static func sampleInterval(_ text: String) throws -> Int64 {
        guard let ns = Units.duration(text) else {
            throw ValidationError("--sample-interval '\(text)' is not a duration like 1s")
        }
        guard ns == 0 || ns >= SimulationLimits.minimumSampleInterval else {
            throw ValidationError("--sample-interval '\(text)': at least 1us (or 0 for no samples)")
        }
        return ns
    }

    /// `--event-limit` and `--sample-limit`: 0 (no limit) or a positive count.
    static func checkLimit(_ value: Int, flag: String) throws {
        if value < 0 { throw ValidationError("\(flag) must be >= 0 (0 = no limit)") }
    }

    /// `--seed`: a whole number 0...2^64-1. With `parsing: .unconditional` a negative
    /// seed reaches here (instead of "Missing value") and gets a message that says why.
    static func seed(_ text: String) throws -> UInt64 {
        if let value = UInt64(text) { return value }
        if let negative = Int64(text), negative < 0 { throw ValidationError("seed must be >= 0") }
        throw ValidationError("seed must be a whole number from 0 to \(UInt64.max)")
    }

    /// Help for `--event-limit`, with the default.
    static let eventLimitHelp = ArgumentHelp(
        "Stop a run after this many events with outcome event-limit and exit status 2 (0 = no limit; default 2^31 = \(SimulationLimits.defaultEventLimit)).",
        valueName: "n")
    /// Help for `--sample-limit`, with the default.
    static let sampleLimitHelp = ArgumentHelp(
        "Stop a run when workers.csv holds this many samples, with outcome sample-limit and exit status 2 (0 = no limit; default \(SimulationLimits.defaultSampleLimit)).",
        valueName: "n")
}
