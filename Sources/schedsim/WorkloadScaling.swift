import ArgumentParser
import Executor
import Workload

/// `--time-scale` and `--size-scale` applied to a trace for a real run (`run`,
/// `submit`, `validate`), with the sizes checked first.
///
/// `Workload.timeScaled` converts each scaled size with `Int64(Double)`, which
/// traps when the product does not fit (`--size-scale 1e30`). The check here
/// finds the largest size before anything is converted and refuses a factor that
/// would take it past the 1 PiB every trace reader enforces; scaled durations are
/// Doubles and the workload's own check (at most a year) reports them.
enum WorkloadScaling {
    static func scaled(_ workload: Workload, path: String, timeScale: Double, sizeScale: Double) throws -> Workload {
        if sizeScale > 1, let (key, bytes) = largestSize(workload) {
            let scaled = Double(bytes) * sizeScale
            if !(scaled <= Double(WorkloadBuilder.maximumBytes)) {
                printError("\(path): --size-scale \(sizeScale): task '\(key)' has \(bytes) bytes, which would become \(scaled), above the \(WorkloadBuilder.maximumBytes) bytes (1 PiB) limit")
                throw ExitStatus.usage.code
            }
        }
        do { return try workload.timeScaled(by: timeScale, sizes: sizeScale) } catch {
            // The scaled graph broke a workload limit (a duration over a year): the flag's doing.
            printError("\(path): with --time-scale \(timeScale) and --size-scale \(sizeScale): \(error)")
            throw ExitStatus.usage.code
        }
    }

    /// The task with the largest output or per-edge size (the first such, in task order).
    static func largestSize(_ workload: Workload) -> (key: String, bytes: Int64)? {
        var best: (key: String, bytes: Int64)? = nil
        for i in 0..<workload.count {
            let task = workload.tasks[i]
            let largest = max(task.outputBytes, task.dependencyBytes?.max() ?? 0)
            if largest > (best?.bytes ?? 0) { best = (task.key, largest) }
        }
        return best
    }
}
