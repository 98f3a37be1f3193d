import Messages

/// Bounds on the numbers a peer puts in a frame. Frames come from other processes
/// (or anything that can reach the port), so every count, size, duration and
/// thread number is checked when it is decoded, never trusted into arithmetic: a
/// hello announcing 2^31-1 threads used to overflow the utilisation sum when the
/// logs were written (issue 18). The values are the simulator's (SimulationLimits
/// in Sources/Simulation, which this module does not import): far outside any real
/// cluster, so a value beyond one is a bug or an attack.
enum WireBounds {
    /// Threads of one worker (SimulationLimits.maximumThreads).
    static let maximumThreads: Int32 = 100_000
    /// Worker ids (SimulationLimits.maximumWorkers).
    static let maximumWorkers: Int32 = 1_000_000
    /// Any size in bytes: 1 PiB, the largest size schedsim accepts anywhere.
    static let maximumBytes: Int64 = 1 << 50
    /// Any one string (a key, a name, an exception): 1 MiB.
    static let maximumStringBytes = 1 << 20
}
